"""Switching two-factor authentication on ends the user's other sessions.

Without this, a session opened earlier with a stolen password would outlive the switch: the
second factor is asked at login only. The sessions live in the database (`SESSION_ENGINE`), one
row per browser, keyed by a random key that does not name its user; so the user's sessions are
found by reading the unexpired ones: about 11 µs each (0.1 s for 10,000 sessions, anonymous
workshop participants included), once per switch and never per request. Should that grow too
slow, record session keys per user at login (django-allauth's `usersessions` does).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone
from django.utils.translation import ngettext

DATABASE_SESSIONS = "django.contrib.sessions.backends.db"
FIELDS, BATCH = ("session_key", "session_data"), 2000


def end_other_sessions(*, user, keep: str | None) -> int:
    """Delete every unexpired session of `user` except the one with key `keep`; how many."""
    if settings.SESSION_ENGINE != DATABASE_SESSIONS:  # pragma: no cover - settings.py sets it
        raise NotImplementedError(f"ending sessions needs {DATABASE_SESSIONS}")
    store = Session.get_session_store_class()()
    live = Session.objects.filter(expire_date__gt=timezone.now()).order_by("session_key")
    others, after = [], ""
    while batch := list(live.filter(session_key__gt=after).values_list(*FIELDS)[:BATCH]):
        # In batches by key, not a server-side cursor (which a pooler in transaction mode
        # would not keep open) nor all at once.
        for key, data in batch:
            if key != keep and store.decode(data).get(SESSION_KEY) == str(user.pk):
                others.append(key)
        after = batch[-1][0]
    Session.objects.filter(session_key__in=others).delete()
    return len(others)


def on_authenticator_added(sender, request, user, authenticator, **kwargs):
    from allauth.mfa.models import Authenticator

    if authenticator.type == Authenticator.Type.RECOVERY_CODES:
        return  # comes with the app's authenticator, which ends the sessions already
    ended = end_other_sessions(user=user, keep=request.session.session_key)
    if ended:
        messages.info(
            request,
            ngettext(
                "You were logged out in %(count)d other browser.",
                "You were logged out in %(count)d other browsers.",
                ended,
            )
            % {"count": ended},
        )
