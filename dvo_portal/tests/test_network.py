"""One rule for the client's address: django-allauth's, which django-axes is handed as well."""

import pytest
from allauth.account.adapter import get_adapter
from axes.helpers import get_client_ip_address
from django.http import HttpRequest

from dvo_portal.network import address_block, client_address


@pytest.mark.parametrize(
    ("proxies", "forwarded", "address"),
    [
        (0, "", "10.0.0.5"),
        (0, "198.51.100.1", "10.0.0.5"),  # without trusted proxies the header is the client's say
        (1, "", "10.0.0.5"),
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "198.51.100.1, 203.0.113.5", "203.0.113.5"),  # the left entry is forged
        (2, "198.51.100.1, 203.0.113.5, 10.1.0.1", "203.0.113.5"),
        (1, "198.51.100.1, 2001:db8::5", "2001:db8::5"),
    ],
)
def test_the_address_is_what_the_trusted_proxies_saw(rf, settings, proxies, forwarded, address):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = rf.post("/accounts/login/", REMOTE_ADDR="10.0.0.5", **extra)
    assert client_address(request) == address
    assert get_adapter(request).get_client_ip(request) == address  # allauth's rate limits
    assert get_client_ip_address(request) == address_block(address)  # django-axes, by /64


def test_a_request_without_an_address_has_an_empty_one():
    """The test client's force_login logs in with a bare request, which django-axes records."""
    assert client_address(HttpRequest()) == ""
