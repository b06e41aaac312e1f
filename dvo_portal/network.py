"""The client's address, one rule for login lock-outs, the login cap and workshop rate limits."""

import ipaddress

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


def address_block(address: str) -> str:
    """What every limit counts as one address: an IPv4 address itself, and for IPv6 the /64
    that one subscriber (a home, a phone) is given, written as its first address
    (2001:db8:1:2::), so a fresh address from the same /64 is not a fresh start."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6 and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def client_block(request) -> str:
    """The client's address block (`address_block(client_address(request))`): django-axes
    counts failed sign-ins by it (AXES_CLIENT_IP_CALLABLE), the workshop counts wrong codes."""
    return address_block(client_address(request))
