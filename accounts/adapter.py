"""How django-allauth signs people in here: no sign-up, our lock-out, our client address."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.cache import cache

from dvo_portal.network import client_address


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        """Administrators create accounts (Django admin); nobody signs up."""
        return False

    def pre_authenticate(self, request, **credentials) -> None:
        """Wrong passwords are counted by django-axes, per username and address, so a user is
        never locked out by failures from another address. allauth's own per-username limit
        would lock everyone out; it stays in force for second-factor codes. Across usernames,
        an address that keeps failing (`LOGIN_FAILURES_PER_ADDRESS` wrong passwords without a
        pause of `LOGIN_FAILURES_PAUSE` seconds: someone trying one password on many accounts)
        is refused until it pauses."""
        self._login_failed_rl_usage = None
        if cache.get(self._failures_key(request), 0) >= settings.LOGIN_FAILURES_PER_ADDRESS:
            raise self.validation_error("too_many_login_attempts")

    def authentication_failed(self, request, **credentials) -> None:
        key = self._failures_key(request)
        if not cache.add(key, 1, timeout=settings.LOGIN_FAILURES_PAUSE):
            cache.set(key, cache.get(key, 0) + 1, timeout=settings.LOGIN_FAILURES_PAUSE)
        super().authentication_failed(request, **credentials)

    def _failures_key(self, request) -> str:
        return f"login-failures-from:{self.get_client_ip(request)}"

    def get_client_ip(self, request) -> str:
        return client_address(request) or super().get_client_ip(request)
