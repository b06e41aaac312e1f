"""An invitation to join an organisation, sent by e-mail: nobody becomes a member without
accepting one (or an administrator adding them in Django admin)."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .organisation import Membership, Organisation


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        """Neither accepted nor expired (a revoked or declined invitation is deleted)."""
        return self.filter(accepted_at__isnull=True, expires_at__gt=timezone.now())

    def with_token(self, token: str):
        return self.filter(token_hash=Invitation.hash_token(token))


class Invitation(models.Model):
    VALID_FOR = datetime.timedelta(days=14)

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    email = models.EmailField(_("e-mail address"), max_length=254)
    role = models.CharField(_("role"), max_length=20, choices=Membership.Role.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    # Only the token's hash is stored: the raw token travels in the mailed link alone, so a
    # copy of the database opens no invitation.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            # One open invitation per address and organisation: inviting again replaces it.
            models.UniqueConstraint(
                Lower("email"),
                "organisation",
                condition=models.Q(accepted_at__isnull=True),
                name="invitation_open_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(accepted_by__isnull=True) | models.Q(accepted_at__isnull=False),
                name="invitation_accepted_by_when_accepted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_role_display()}) @ {self.organisation}"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
