"""How django-allauth signs people in here: no sign-up, our lock-out, segno's QR code."""

import hashlib
import io

import segno
from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from dvo_portal.network import address_block

from . import limits, mfa_secrets


def account_key(username: str) -> str:
    """The failed-sign-in counter of a username (hashed: no usernames in the table), known
    or not, so that an unknown name answers as a known one does."""
    name = hashlib.sha256(str(username).strip().lower().encode()).hexdigest()[:32]
    return f"login-account:{name}"


def unlock_account(username: str) -> None:
    """End every lock-out of `username`: the per-account limit and django-axes's per-address
    ones (a password reset does this, and `manage.py unlock_account`)."""
    from axes.utils import reset

    limits.clear(account_key(username))
    reset(username=username)


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_locked": _(
            "This account is locked after too many failed sign-ins. Reset your password by "
            "e-mail (“Forgot your password?”) to unlock it, or ask an administrator."
        ),
    }

    def is_open_for_signup(self, request) -> bool:
        """Administrators create accounts (Django admin); nobody signs up."""
        return False

    def pre_authenticate(self, request, **credentials) -> None:
        """Wrong passwords are counted by django-axes, per username and address, so a user is
        never locked out by failures from another address.

        Across usernames: an address (an IPv6 /64) at which `LOGIN_FAILURES_PER_ADDRESS`
        different usernames failed, each within `LOGIN_FAILURES_PAUSE` seconds of the one
        before (one password tried on many accounts), is refused until that time has passed
        since the last. Different usernames, not failures: one person retrying their own
        (perhaps locked) account never blocks their colleagues behind the same address.

        allauth's own `pre_authenticate` is not called: all it does is put passwords under
        its `login_failed` rate limit, five failures per username from any address (so anyone
        could lock a user out) and ten a minute per address. Nor is that limit switched off by
        setting (`ACCOUNT_RATE_LIMITS = {"login_failed": False}`): allauth.mfa counts wrong
        second-factor codes under the same name, and that limit stays
        (accounts/tests/test_two_factor.py: test_guessing_codes_is_stopped).

        Per account, from any address: `LOGIN_FAILURES_PER_ACCOUNT` failures within
        `LOGIN_ACCOUNT_WINDOW` seconds lock the account until the window has passed, or until
        its owner resets the password by mail or an administrator unlocks it
        (`unlock_account`): changing addresses (a /48 holds 65,536 /64s) does not escape it,
        and no attacker can keep a colleague out, since the reset ends the lock."""
        failed = cache.get(self._failures_key(request), ())
        if len(failed) >= settings.LOGIN_FAILURES_PER_ADDRESS:
            raise self.validation_error("too_many_login_attempts")
        username = credentials.get("username", "")
        key = account_key(username)
        if limits.count(key, seconds=settings.LOGIN_ACCOUNT_WINDOW) >= (
            settings.LOGIN_FAILURES_PER_ACCOUNT
        ):
            raise self.validation_error("account_locked")

    def authentication_failed(self, request, **credentials) -> None:
        key = self._failures_key(request)
        failed = set(cache.get(key, ()))
        username = str(credentials.get("username", "")).lower()
        name = hashlib.sha256(username.encode()).hexdigest()[:16]  # no usernames in the cache
        if name not in failed and len(failed) < settings.LOGIN_FAILURES_PER_ADDRESS:
            # Read and written, not incremented in place: parallel failures may be counted
            # once (the database cache has no atomic update); the cap holds for sequential ones.
            cache.set(key, frozenset(failed | {name}), timeout=settings.LOGIN_FAILURES_PAUSE)
        limits.fail(account_key(username), seconds=settings.LOGIN_ACCOUNT_WINDOW)
        super().authentication_failed(request, **credentials)

    def _failures_key(self, request) -> str:
        return f"login-failures-from:{address_block(self.get_client_ip(request))}"


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        """Two-factor secrets are stored encrypted (accounts/mfa_secrets.py)."""
        return mfa_secrets.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return mfa_secrets.decrypt(encrypted_text)

    def build_totp_svg(self, url: str) -> str:
        """The QR code of the authenticator app's `otpauth://` URL, drawn with segno (as the
        workshop's join code is) instead of allauth's default, the qrcode package. A whole SVG
        document (allauth shows it as a `data:` image), dark on white, with the quiet zone."""
        svg = io.BytesIO()
        segno.make(url, error="m").save(svg, kind="svg", xmldecl=False, scale=4, light="#fff")
        return svg.getvalue().decode()
