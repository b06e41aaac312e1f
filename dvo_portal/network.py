"""The client's address, one rule for login lock-outs, the login cap and workshop rate limits."""

from allauth.account.adapter import get_adapter
from django.core.exceptions import PermissionDenied


def client_address(request) -> str:
    """The address django-allauth sees: REMOTE_ADDR, or behind `ALLAUTH_TRUSTED_PROXY_COUNT`
    proxies the entry that many places from the right in X-Forwarded-For (entries further left
    can be forged). Empty for a request that names none, such as the bare request the test
    client's `force_login` passes to django-axes."""
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return ""
