"""Counters for the limits on guessing (accounts/limits.py). django-allauth keeps the second
factors (allauth.mfa) and the recorded logins (allauth.usersessions)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Counter(models.Model):
    """How often something failed in one window of time: wrong workshop codes from one
    address block, failed sign-ins of one account. A row per key and window, counted up with
    an UPDATE of `count + 1` in the database, so parallel requests never count one failure
    twice or lose one."""

    key = models.CharField(_("what is counted"), max_length=120)
    window = models.BigIntegerField(_("window"))  # seconds since the epoch // the window's length
    count = models.PositiveIntegerField(_("count"), default=0)
    expires_at = models.DateTimeField(_("expires"), db_index=True)

    class Meta:
        verbose_name = _("limit counter")
        verbose_name_plural = _("limit counters")
        constraints = [
            models.UniqueConstraint(fields=["key", "window"], name="counter_key_window_unique")
        ]

    def __str__(self) -> str:
        return f"{self.key} ×{self.count}"
