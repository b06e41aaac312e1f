"""How django-allauth signs people in here: no sign-up, our lock-out, our client address."""

from allauth.account.adapter import DefaultAccountAdapter

from dvo_portal.network import client_address


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        """Administrators create accounts (Django admin); nobody signs up."""
        return False

    def pre_authenticate(self, request, **credentials) -> None:
        """Wrong passwords are counted by django-axes, per username and address, so a user is
        never locked out by failures from another address. allauth's own per-username limit
        would lock everyone out; it stays in force for second-factor codes."""
        self._login_failed_rl_usage = None

    def get_client_ip(self, request) -> str:
        return client_address(request) or super().get_client_ip(request)
