"""Limits on guessing, counted in the database (accounts.models.Counter): shared by every app
server, and atomic under parallel requests.

`guess` is the rule for anything that can be guessed (a workshop code): a key (an address
block, say) is allowed `limit` wrong guesses per window. The attempt is counted *before* the
guess is looked at, inside one transaction that holds the counter's row, so a burst of parallel
wrong guesses is evaluated at most `limit` times, and a right guess takes its count back
(a room of phones behind one address joining a workshop is never refused).

`looked_up` is the lighter rule for what cannot be guessed (a random link of 96 bits or more):
the count is only read, and only a wrong look-up is written.
"""

import datetime
import time
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import Counter


class Limited(Exception):
    """The key used up its wrong guesses for this window."""


def _window(seconds: int) -> int:
    return int(time.time()) // seconds


def _add(key: str, seconds: int, step: int = 1, window: int | None = None) -> int:
    """Count `step` more for `key` in the current window (or `window`); the new count. Call
    inside a transaction: the row stays locked until it ends."""
    window = _window(seconds) if window is None else window
    rows = Counter.objects.filter(key=key, window=window)
    if not rows.update(count=F("count") + step):
        try:
            with transaction.atomic():
                expires = timezone.now() + datetime.timedelta(seconds=2 * seconds)
                Counter.objects.create(key=key, window=window, count=step, expires_at=expires)
            _forget_expired()
            return step
        except IntegrityError:  # another request made the row just now
            rows.update(count=F("count") + step)
    return rows.values_list("count", flat=True).get()


def _forget_expired() -> None:
    """Done when a new window starts for a key: rare, and bounded by the keys in use."""
    Counter.objects.filter(expires_at__lt=timezone.now()).delete()


def count(key: str, *, seconds: int) -> int:
    """The failures counted for `key` in the current window."""
    return (
        Counter.objects.filter(key=key, window=_window(seconds))
        .values_list("count", flat=True)
        .first()
        or 0
    )


def fail(key: str, *, seconds: int) -> int:
    """Count one failure for `key`; the count in the current window."""
    with transaction.atomic():
        return _add(key, seconds)


def clear(key: str) -> int:
    """Forget every count of `key` (an administrator's unlock, a password reset)."""
    deleted, _ = Counter.objects.filter(key=key).delete()
    return deleted


def guess[T](key: str, *, limit: int, seconds: int, check: Callable[[], T | None]) -> T | None:
    """`check()`, the look-up of what was guessed, unless `key` had `limit` wrong guesses in
    this window (then `Limited`, and `check` is not run). A result of None is a wrong guess
    and stays counted."""
    window = _window(seconds)
    with transaction.atomic():
        if _add(key, seconds, window=window) > limit:
            raise Limited  # rolls the attempt's count back: the count stays at the limit
        found = check()
        if found is not None:
            _add(key, seconds, -1, window=window)
        return found


def looked_up[T](key: str, *, limit: int, seconds: int, check: Callable[[], T | None]) -> T | None:
    """`check()` unless `key` had `limit` wrong look-ups in this window (then `Limited`, and
    `check` is not run); a result of None is counted. A right look-up costs one read and no
    write. Parallel wrong look-ups can each pass the read, so a burst may go past `limit` by
    the requests in flight: harmless where guessing is hopeless anyway (a survey's link), and
    why the workshop's short codes use `guess`."""
    if count(key, seconds=seconds) >= limit:
        raise Limited
    found = check()
    if found is None:
        fail(key, seconds=seconds)
    return found
