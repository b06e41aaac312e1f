"""What the portal does when django-allauth reports a change to someone's sign-in."""

from allauth.mfa.models import Authenticator
from allauth.usersessions.adapter import get_adapter
from allauth.usersessions.models import UserSession
from django.contrib import messages
from django.utils.translation import ngettext


def end_other_sessions(sender, request, user, authenticator, **kwargs):
    """Switching two-factor authentication on ends the user's other sessions: one opened
    earlier with a stolen password would outlive the switch otherwise, as the second factor is
    asked at login only. allauth's usersessions records each session at login (`UserSession`,
    one row per browser); those whose session has ended or expired are dropped, not counted."""
    if authenticator.type == Authenticator.Type.RECOVERY_CODES:
        return  # comes with the app's authenticator, which ends the sessions already
    current = request.session.session_key
    others = [s for s in UserSession.objects.purge_and_list(user) if s.session_key != current]
    get_adapter().end_sessions(others)
    if others:
        messages.info(
            request,
            ngettext(
                "You were logged out in %(count)d other browser.",
                "You were logged out in %(count)d other browsers.",
                len(others),
            )
            % {"count": len(others)},
        )


def unlock_after_reset(sender, request, user, **kwargs):
    """A password reset by mail proves the account's owner: it ends the account's lock-out."""
    from .adapter import unlock_account

    unlock_account(user.get_username())


def forget_failures_on_login(sender, request, user, **kwargs):
    """A successful sign-in starts the account's count of failures afresh."""
    from . import limits
    from .adapter import account_key

    limits.clear(account_key(user.get_username()))
