"""Optional two-factor authentication (django-allauth MFA): an authenticator app and recovery
codes, asked for after the password, on the portal's login and the admin's alike."""

import base64
import hashlib
import hmac
import re
import struct
import time

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

LOGIN = "/accounts/login/"


def totp(secret: str, at: float | None = None) -> str:
    """RFC 6238 code of an authenticator app (SHA-1, 6 digits, 30 s) for a base32 secret."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def log_in(client, username, password, address="10.1.0.1"):
    return client.post(LOGIN, {"login": username, "password": password}, REMOTE_ADDR=address)


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def switch_on_two_factor(client, username):
    """What a user does: log in, open Two-factor authentication, scan, type the code."""
    assert log_in(client, username, f"{username}-password").status_code == 302
    asked = client.get(reverse("mfa_activate_totp"))
    assert asked.url.startswith(reverse("account_reauthenticate"))  # confirm the password first
    confirmed = client.post(asked.url, {"password": f"{username}-password"})
    assert confirmed.url == reverse("mfa_activate_totp")
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html  # the QR code, no external image
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7=]+)"', html)
    secret = secret or re.search(r'value="([A-Z2-7=]{32})"', html)
    secret = secret.group(1)
    response = client.post(reverse("mfa_activate_totp"), {"code": totp(secret)})
    assert response.status_code == 302, response.content.decode()[:2000]
    # Next the user is shown the recovery codes to keep.
    shown = client.get(response.url).content.decode()
    box = re.search(r'<textarea[^>]*id="recovery_codes"[^>]*>(.*?)</textarea>', shown, re.S)
    codes = box.group(1).split()
    assert len(codes) >= 10, shown[:3000]
    client.post(reverse("account_logout"))
    switch_on_two_factor.recovery_codes = codes
    return secret


def qr_modules(svg: str) -> set[tuple[int, int]]:
    """The dark modules (column, row) of a QR code drawn by segno: one path of horizontal
    strokes (`M`/`m` move, `h` draws), in module units, the quiet zone included."""
    path = re.search(r'<path[^>]*class="qrline"[^>]*\sd="([^"]+)"', svg).group(1)
    x = y = 0.0
    dark = set()
    for command, first, second in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", path):
        if command == "M":
            x, y = float(first), float(second)
        elif command == "m":
            x, y = x + float(first), y + float(second)
        else:
            dark |= {(int(x) + step, int(y)) for step in range(int(float(first)))}
            x += float(first)
    return dark


def confirm_password(client, username):
    """Sensitive pages (the codes, switching off) ask for the password again."""
    asked = client.get(reverse("account_reauthenticate"))
    assert asked.status_code == 200
    client.post(reverse("account_reauthenticate"), {"password": f"{username}-password"})


@pytest.fixture
def consultant(make_user):
    return make_user("carol")


def test_without_two_factor_the_password_is_enough(client, consultant):
    response = log_in(client, "carol", "carol-password")
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert logged_in_user_id(client) == str(consultant.pk)


def test_with_two_factor_the_password_alone_does_not_log_in(client, consultant):
    secret = switch_on_two_factor(client, "carol")
    assert Authenticator.objects.filter(user=consultant, type="totp").exists()

    response = log_in(client, "carol", "carol-password")
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert logged_in_user_id(client) is None
    assert client.get(reverse("home")).status_code == 302  # still sent to the login

    page = client.get(reverse("mfa_authenticate"))
    assert "authenticator code" in page.content.decode()
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 422
    assert "Incorrect code" in wrong.content.decode()
    assert logged_in_user_id(client) is None

    right = client.post(reverse("mfa_authenticate"), {"code": totp(secret)})
    assert right.status_code == 302
    assert logged_in_user_id(client) == str(consultant.pk)


def test_a_code_cannot_be_used_twice(client, consultant):
    secret = switch_on_two_factor(client, "carol")
    code = totp(secret)
    log_in(client, "carol", "carol-password")
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    client.post(reverse("account_logout"))

    log_in(client, "carol", "carol-password")
    replay = client.post(reverse("mfa_authenticate"), {"code": code})
    assert replay.status_code == 422
    assert logged_in_user_id(client) is None


def test_guessing_codes_is_stopped(client, consultant):
    secret = switch_on_two_factor(client, "carol")
    log_in(client, "carol", "carol-password")
    for _ in range(5):
        client.post(reverse("mfa_authenticate"), {"code": "000000"})
    stopped = client.post(reverse("mfa_authenticate"), {"code": totp(secret)})
    assert stopped.status_code == 422
    assert "Too many failed login attempts" in stopped.content.decode()
    assert logged_in_user_id(client) is None


def test_a_recovery_code_works_once(client, consultant):
    switch_on_two_factor(client, "carol")
    code = switch_on_two_factor.recovery_codes[0]
    log_in(client, "carol", "carol-password")
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert logged_in_user_id(client) == str(consultant.pk)
    client.post(reverse("account_logout"))
    log_in(client, "carol", "carol-password")
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 422
    assert logged_in_user_id(client) is None


def test_recovery_codes_page_lists_them(client, consultant):
    secret = switch_on_two_factor(client, "carol")
    codes = switch_on_two_factor.recovery_codes
    log_in(client, "carol", "carol-password")
    client.post(reverse("mfa_authenticate"), {"code": totp(secret)})
    confirm_password(client, "carol")
    page = client.get(reverse("mfa_view_recovery_codes"))
    assert page.status_code == 200
    assert all(code in page.content.decode() for code in codes)


def test_the_admin_login_goes_through_the_second_factor(client, make_user):
    make_user("ada", is_staff=True, is_superuser=True)
    secret = switch_on_two_factor(client, "ada")

    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
    # The admin's own login form cannot be used to skip the code.
    client.post("/admin/login/", {"username": "ada", "password": "ada-password"})
    assert logged_in_user_id(client) is None

    log_in(client, "ada", "ada-password")
    assert logged_in_user_id(client) is None
    client.post(reverse("mfa_authenticate"), {"code": totp(secret)})
    assert client.get("/admin/").status_code == 200


def test_two_factor_can_be_switched_off_again(client, consultant):
    secret = switch_on_two_factor(client, "carol")
    log_in(client, "carol", "carol-password")
    client.post(reverse("mfa_authenticate"), {"code": totp(secret)})
    confirm_password(client, "carol")
    page = client.get(reverse("mfa_deactivate_totp"))
    assert page.status_code == 200
    assert client.post(reverse("mfa_deactivate_totp")).status_code == 302
    assert not Authenticator.objects.filter(user=consultant, type="totp").exists()
    client.post(reverse("account_logout"))
    assert log_in(client, "carol", "carol-password").url == reverse("home")


@pytest.mark.parametrize(
    "path", ["/accounts/signup/", "/accounts/email/", "/accounts/confirm-email/"]
)
def test_sign_up_and_email_pages_do_not_exist(client, consultant, path):
    """Accounts are made by admins; e-mail addresses are not managed here."""
    assert client.get(path).status_code == 404
    client.force_login(consultant)
    assert client.get(path).status_code == 404


def test_without_a_mail_server_there_is_no_password_reset(client, consultant, settings):
    settings.PASSWORD_RESET_BY_MAIL = False
    assert "Forgot your password?" not in client.get(LOGIN).content.decode()
    assert client.get("/accounts/password/reset/").status_code == 404
    response = client.post("/accounts/password/reset/", {"email": "carol@example.org"})
    assert response.status_code == 404


def test_with_a_mail_server_the_password_reset_mails_a_link(
    client, make_user, settings, mailoutbox
):
    settings.PASSWORD_RESET_BY_MAIL = True
    make_user("dora", email="dora@example.org")
    assert "Forgot your password?" in client.get(LOGIN).content.decode()
    response = client.post("/accounts/password/reset/", {"email": "dora@example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/accounts/password/reset/key/" in mailoutbox[0].body
    client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert len(mailoutbox) == 1  # no mail to an address without an account


def test_an_unverified_email_address_does_not_stop_two_factor(client, make_user):
    from allauth.account.models import EmailAddress

    user = make_user("erik", email="erik@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    switch_on_two_factor(client, "erik")
    assert Authenticator.objects.filter(user=user, type="totp").exists()


def test_a_flood_of_cache_keys_does_not_reset_the_code_guessing_limit(client, consultant):
    from django.core.cache import cache

    secret = switch_on_two_factor(client, "carol")
    log_in(client, "carol", "carol-password")
    for _ in range(5):
        client.post(reverse("mfa_authenticate"), {"code": "000000"})
    cache.set_many({f"zz-flood-{n}": n for n in range(400)}, 300)
    cache.set("zz-flood-last", 1, 300)  # a write past the old 300-key limit culls
    stopped = client.post(reverse("mfa_authenticate"), {"code": totp(secret)})
    assert "Too many failed login attempts" in stopped.content.decode()


def test_the_two_factor_pages_are_in_dutch_too(client, consultant):
    client.force_login(consultant)
    client.cookies["django_language"] = "nl"
    page = client.get(reverse("mfa_index"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'lang="nl"' in html
    assert "Tweestapsverificatie" in html or "Twee-factor" in html


@pytest.mark.parametrize(
    "name",
    [
        "mfa_index",
        "mfa_activate_totp",
        "mfa_deactivate_totp",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "account_change_password",
        "account_reauthenticate",
        "usersessions_list",
    ],
)
def test_account_pages_need_a_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_the_qr_code_to_scan_holds_the_secret_shown(client, consultant):
    """The QR code is what an authenticator app reads: the otpauth URL with the secret, the
    issuer and the user. Read back module by module and compared with the QR code of that URL
    (no QR decoder among our dependencies)."""
    import segno

    log_in(client, "carol", "carol-password")
    asked = client.get(reverse("mfa_activate_totp"))
    client.post(asked.url, {"password": "carol-password"})
    html = client.get(reverse("mfa_activate_totp")).content.decode()
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7=]+)"', html).group(1)
    image = re.search(r'<img[^>]*src="data:image/svg\+xml;base64,([^"]+)"', html).group(1)
    svg = base64.b64decode(image).decode()
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')  # a document of its own

    url = f"otpauth://totp/carol?secret={secret}&issuer=DVO%20Portal"
    qr = segno.make(url, error="m")
    border = 4
    expected = {
        (column + border, row + border)
        for row, modules in enumerate(qr.matrix)
        for column, dark in enumerate(modules)
        if dark
    }
    assert qr_modules(svg) == expected


def test_switching_two_factor_on_needs_the_password_again(client, consultant):
    log_in(client, "carol", "carol-password")
    asked = client.get(reverse("mfa_activate_totp"))
    wrong = client.post(asked.url, {"password": "guess"})
    assert wrong.status_code == 422
    assert client.get(reverse("mfa_activate_totp")).status_code == 302
    assert not Authenticator.objects.filter(user=consultant).exists()


@pytest.mark.django_db(transaction=True)  # allauth signals after the commit, as in production
def test_switching_two_factor_on_ends_the_users_other_sessions(client, consultant, make_user):
    """A session opened earlier with the password alone (perhaps a stolen one) does not outlive
    the switch; the browser that switched it on and other users' sessions stay."""
    from django.test import Client

    earlier, other_user, gone = Client(), Client(), Client()
    assert log_in(earlier, "carol", "carol-password", address="10.9.9.9").status_code == 302
    log_in(gone, "carol", "carol-password", address="10.9.9.8")
    gone.post(reverse("account_logout"))  # a browser logged out already is not counted
    make_user("dave")
    assert log_in(other_user, "dave", "dave-password").status_code == 302
    assert earlier.get(reverse("mfa_index")).status_code == 200

    assert log_in(client, "carol", "carol-password").status_code == 302
    asked = client.get(reverse("mfa_activate_totp"))
    client.post(asked.url, {"password": "carol-password"})
    html = client.get(reverse("mfa_activate_totp")).content.decode()
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7=]+)"', html) or re.search(
        r'value="([A-Z2-7=]{32})"', html
    )
    activated = client.post(reverse("mfa_activate_totp"), {"code": totp(secret.group(1))})
    assert activated.status_code == 302

    overview = client.get(reverse("mfa_index"))  # this browser stays logged in, and is told
    assert "You were logged out in 1 other browser." in overview.content.decode()
    ended = earlier.get(reverse("mfa_index"))
    assert ended.status_code == 302
    assert ended.url.startswith(LOGIN)
    assert other_user.get(reverse("mfa_index")).status_code == 200
