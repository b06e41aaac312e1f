"""Lock-outs that no change of address escapes: an IPv6 /64 is one address for django-axes,
and an account has a limit of its own across all addresses, which its owner ends with a
password reset by mail (an attacker cannot keep a colleague out) or an admin ends with
`manage.py unlock_account`."""

import re

import pytest
from django.core import mail
from django.core.management import call_command

from accounts.models import Counter

LOGIN = "/accounts/login/"


def login(client, username, password, address):
    return client.post(LOGIN, {"login": username, "password": password}, REMOTE_ADDR=address)


@pytest.fixture
def carol(make_user):
    user = make_user("carol")
    user.email = "carol@example.org"
    user.save()
    return user


def test_thirty_one_addresses_of_one_ipv6_64_are_one_address_for_the_lock_out(client, carol):
    answers = [
        login(client, "carol", "wrong", f"2001:db8:5:6:{n:x}:{n:x}::1").status_code
        for n in range(31)
    ]
    assert answers[:4] == [422] * 4  # the form says the password was wrong
    assert set(answers[4:]) == {429}  # locked from the fifth on, whatever the address
    right = login(client, "carol", "carol-password", "2001:db8:5:6:abcd::77")
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    # The next /64 is somebody else.
    assert login(type(client)(), "carol", "carol-password", "2001:db8:5:7::1").status_code == 302


def test_an_account_is_locked_after_its_limit_from_any_address(client, carol, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 8
    for n in range(8):  # eight subscribers, one guess each: django-axes sees no repeat
        login(type(client)(), "carol", "wrong", f"2001:db8:{n + 1:x}::1")
    refused = login(client, "carol", "carol-password", "192.0.2.99")
    assert "_auth_user_id" not in client.session
    assert "This account is locked after too many failed sign-ins" in refused.content.decode()


def test_an_unknown_username_gets_the_same_lock_out(client, carol, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 3
    for n in range(3):
        login(type(client)(), "carol", "wrong", f"198.51.100.{n}")
        login(type(client)(), "nobody", "wrong", f"198.51.100.{n}")
    known = login(type(client)(), "carol", "wrong", "198.51.100.50").content.decode()
    unknown = login(type(client)(), "nobody", "wrong", "198.51.100.50").content.decode()
    assert "This account is locked" in known
    assert "This account is locked" in unknown
    assert not Counter.objects.filter(key__contains="carol").exists()  # names are hashed


def test_the_owner_ends_the_lock_out_with_a_password_reset(client, carol, settings):
    settings.PASSWORD_RESET_BY_MAIL = True
    settings.LOGIN_FAILURES_PER_ACCOUNT = 3
    for n in range(3):
        login(type(client)(), "carol", "wrong", f"198.51.100.{n}")
    assert (
        "This account is locked"
        in login(client, "carol", "carol-password", "10.1.1.1").content.decode()
    )
    client.post("/accounts/password/reset/", {"email": "carol@example.org"}, REMOTE_ADDR="10.1.1.1")
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body)
    set_password = client.get(link[1], REMOTE_ADDR="10.1.1.1", follow=True)
    client.post(
        set_password.redirect_chain[-1][0],
        {"password1": "A-new-one-2026!", "password2": "A-new-one-2026!"},
        REMOTE_ADDR="10.1.1.1",
    )
    assert login(client, "carol", "A-new-one-2026!", "10.1.1.1").status_code == 302


def test_an_admin_ends_the_lock_out_with_a_command(client, carol, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 7
    for _ in range(5):  # locked by django-axes at this address ...
        login(client, "carol", "wrong", "10.2.2.2")
    for n in range(2):  # ... and for the account, from elsewhere
        login(type(client)(), "carol", "wrong", f"10.2.3.{n}")
    assert login(client, "carol", "carol-password", "10.2.2.2").status_code != 302
    refused = login(type(client)(), "carol", "carol-password", "10.2.4.4")
    assert "This account is locked" in refused.content.decode()
    call_command("unlock_account", "carol", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert login(client, "carol", "carol-password", "10.2.2.2").status_code == 302
    assert login(type(client)(), "carol", "carol-password", "10.2.4.4").status_code == 302


def test_a_successful_sign_in_starts_the_count_afresh(client, carol, settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 3
    for n in range(2):
        login(type(client)(), "carol", "wrong", f"198.51.100.{n}")
    assert login(client, "carol", "carol-password", "10.3.3.3").status_code == 302
    for n in range(2):
        login(type(client)(), "carol", "wrong", f"198.51.100.{n + 10}")
    assert login(type(client)(), "carol", "carol-password", "10.3.3.4").status_code == 302
