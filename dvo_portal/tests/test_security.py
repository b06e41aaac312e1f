"""Headers, brute-force protection, health check and request logging."""

import json
import logging
import re

import pytest
from django.urls import reverse

LOGIN = "/accounts/login/"


def login(client, username, password, address):
    return client.post(LOGIN, {"login": username, "password": password}, REMOTE_ADDR=address)


def test_every_page_sends_a_strict_content_security_policy(client, alice):
    pages = [client.get(LOGIN)]
    client.force_login(alice)
    pages += [
        client.get(url) for url in ("/", reverse("assessments:organisations"), "/accounts/2fa/")
    ]
    for page in pages:
        assert page.status_code == 200
        policy = page["Content-Security-Policy"]
        assert "unsafe-inline" not in policy
        assert "unsafe-eval" not in policy
        assert "object-src 'none'" in policy
        assert "base-uri 'none'" in policy
        assert "frame-ancestors 'none'" in policy
        assert re.search(r"script-src 'self'( 'nonce-[\w-]+')?;", policy)


def test_security_headers(client, db):  # the login page shows the brand
    response = client.get(LOGIN)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.fixture
def consultant(make_user):
    return make_user("carol")


def test_repeated_failures_lock_the_account_for_that_address(client, consultant):
    for _ in range(4):
        assert login(client, "carol", "wrong", "10.0.0.5").status_code == 422
    assert login(client, "carol", "wrong", "10.0.0.5").status_code == 429  # the fifth locks
    locked = login(client, "carol", "carol-password", "10.0.0.5")  # the right password
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address is not locked out.
    other = type(client)()
    response = login(other, "carol", "carol-password", "10.0.0.6")
    assert response.status_code == 302
    assert other.session["_auth_user_id"] == str(consultant.pk)


def test_a_success_resets_the_count(client, consultant):
    for _ in range(4):
        login(client, "carol", "wrong", "10.0.0.7")
    assert login(client, "carol", "carol-password", "10.0.0.7").status_code == 302
    client.post("/accounts/logout/")
    for _ in range(4):
        login(client, "carol", "wrong", "10.0.0.7")
    assert login(client, "carol", "carol-password", "10.0.0.7").status_code == 302


def test_an_address_trying_many_accounts_is_refused_until_it_pauses(
    client, consultant, make_user, settings
):
    """One password tried on many accounts from one address: each account sees one failure
    (no lock-out), so the address as a whole is capped."""
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    make_user("dave")
    for name in ("anna", "ben", "chris"):
        assert login(client, name, "Summer2026!", "10.0.1.1").status_code == 422
    refused = login(client, "dave", "dave-password", "10.0.1.1")  # even a right password
    assert refused.status_code == 422
    assert "Too many failed login attempts" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    other = type(client)()  # another address is not affected
    assert login(other, "dave", "dave-password", "10.0.1.2").status_code == 302
    from django.core.cache import cache

    cache.clear()  # the pause has passed
    assert login(client, "dave", "dave-password", "10.0.1.1").status_code == 302


def test_one_person_retrying_their_account_does_not_block_the_address(
    client, consultant, make_user, settings
):
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    make_user("dave")
    for _ in range(6):  # carol mistypes, is locked out by axes, and keeps trying
        login(client, "carol", "wrong", "10.0.2.1")
    colleague = type(client)()
    assert login(colleague, "dave", "dave-password", "10.0.2.1").status_code == 302


def test_an_ipv6_subscriber_is_one_address_for_the_cap(client, consultant, make_user, settings):
    from accounts.adapter import address_block

    assert address_block("2001:db8:1:2::5") == address_block("2001:db8:1:2:ffff::9")
    assert address_block("2001:db8:1:3::5") != address_block("2001:db8:1:2::5")
    assert address_block("10.0.0.1") == "10.0.0.1"
    settings.LOGIN_FAILURES_PER_ADDRESS = 2
    make_user("dave")
    login(client, "anna", "guess", "2001:db8:1:2::1")
    login(client, "ben", "guess", "2001:db8:1:2::2")  # a fresh address from the same /64
    refused = login(client, "dave", "dave-password", "2001:db8:1:2::3")
    assert "Too many failed login attempts" in refused.content.decode()


def login_via_proxy(client, username, password, *, forged, real):
    """Through one trusted proxy (10.9.0.1), which appends the address it saw (`real`) to what
    the client sent in X-Forwarded-For (`forged`)."""
    return client.post(
        LOGIN,
        {"login": username, "password": password},
        REMOTE_ADDR="10.9.0.1",
        HTTP_X_FORWARDED_FOR=f"{forged}, {real}",
    )


def test_behind_a_proxy_a_forged_forwarded_address_does_not_escape_the_lock_out(
    client, consultant, settings
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for n in range(4):
        failed = login_via_proxy(
            client, "carol", "wrong", forged=f"198.51.100.{n}", real="203.0.113.5"
        )
        assert failed.status_code == 422
    locked = login_via_proxy(client, "carol", "wrong", forged="198.51.100.9", real="203.0.113.5")
    assert locked.status_code == 429
    refused = login_via_proxy(
        client, "carol", "carol-password", forged="203.0.113.6", real="203.0.113.5"
    )
    assert refused.status_code == 429
    # Carol elsewhere, behind the same proxy: the proxy's own address is not what is counted.
    other = type(client)()
    elsewhere = login_via_proxy(
        other, "carol", "carol-password", forged="203.0.113.5", real="203.0.113.6"
    )
    assert elsewhere.status_code == 302


def test_behind_a_proxy_a_forged_forwarded_address_does_not_escape_the_address_cap(
    client, consultant, make_user, settings
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_FAILURES_PER_ADDRESS = 3
    make_user("dave")
    for n, name in enumerate(("anna", "ben", "chris")):
        login_via_proxy(client, name, "Summer2026!", forged=f"198.51.100.{n}", real="203.0.113.7")
    refused = login_via_proxy(
        client, "dave", "dave-password", forged="10.0.0.1", real="203.0.113.7"
    )
    assert "Too many failed login attempts" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def _normalised(response):
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'nonce="[^"]+"', "", html)
    html = re.sub(r'"X-CSRFToken": "[^"]+"', "", html)
    return html.replace("ghost", "carol")


def test_unknown_and_known_users_get_the_same_answer(client, consultant):
    known = login(client, "carol", "wrong", "10.0.0.8")
    unknown = login(client, "ghost", "wrong", "10.0.0.8")
    assert known.status_code == unknown.status_code == 422
    assert _normalised(known) == _normalised(unknown)
    for _ in range(5):
        known = login(client, "carol", "wrong", "10.0.0.9")
        unknown = login(client, "ghost", "wrong", "10.0.0.9")
    assert known.status_code == unknown.status_code == 429
    assert _normalised(known) == _normalised(unknown)


def test_health_check_reports_the_database(client, db):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_requests_are_logged_as_json(client, alice, caplog):
    from dvo_portal.logging import JsonFormatter

    client.force_login(alice)
    request_logger = logging.getLogger("dvo_portal.requests")
    request_logger.addHandler(caplog.handler)  # it does not propagate to the root logger
    try:
        client.get(reverse("assessments:organisations"))
    finally:
        request_logger.removeHandler(caplog.handler)
    record = next(r for r in caplog.records if r.name == "dvo_portal.requests")
    entry = json.loads(JsonFormatter().format(record))
    assert entry["method"] == "GET"
    assert entry["path"] == "/organisations/"
    assert entry["status"] == 200
    assert entry["user"] == alice.pk
    assert entry["duration_ms"] >= 0
