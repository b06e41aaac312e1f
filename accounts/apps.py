from django.apps import AppConfig
from django.core.management import call_command
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_cache_table(sender, using="default", **kwargs):
    """`migrate` also creates the shared cache table, so no deployment can forget it."""
    call_command("createcachetable", database=using, verbosity=0)


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and sign-in")

    def ready(self):
        from allauth.account.signals import password_reset
        from allauth.mfa.signals import authenticator_added
        from django.contrib.auth.signals import user_logged_in

        from dvo_portal import startup  # noqa: F401  (registers the SECRET_KEY check)

        from . import checks  # noqa: F401  (registers the deploy check)
        from .receivers import end_other_sessions, forget_failures_on_login, unlock_after_reset

        post_migrate.connect(create_cache_table, sender=self)
        authenticator_added.connect(end_other_sessions, dispatch_uid="end_other_sessions")
        password_reset.connect(unlock_after_reset, dispatch_uid="unlock_after_reset")
        user_logged_in.connect(forget_failures_on_login, dispatch_uid="forget_failures_on_login")
