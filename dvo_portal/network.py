"""The client's address, the same way for login lock-outs and workshop rate limits."""

from django.conf import settings


def client_address(request) -> str:
    """REMOTE_ADDR, or behind PROXY_COUNT trusted proxies the address they saw: the entry that
    many places from the right in X-Forwarded-For (entries further left can be forged)."""
    count = settings.PROXY_COUNT
    if count:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= count:
            return forwarded[-count][:64]
    return request.META.get("REMOTE_ADDR", "")[:64]
