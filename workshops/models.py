"""Live workshop voting: participants join with a short code and vote a level per process;
the consultant reveals the votes and sets the consensus. All state lives in the database, so
any app server behind a load balancer can serve any request."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment, ProcessScore
from assessments.models.maturity import MAX_LEVELS

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: easy to read out loud
CODE_LENGTH = 6
WIDE_SPREAD = 2  # levels between the lowest and the highest vote that call for a discussion


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class WorkshopSessionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_at__isnull=True)


class WorkshopSession(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="workshops", verbose_name=_("assessment")
    )
    code = models.CharField(_("join code"), max_length=12, unique=True)
    show_names = models.BooleanField(_("show names with the votes"), default=False)
    current = models.ForeignKey(
        ProcessScore,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("process under discussion"),
    )
    voting_open = models.BooleanField(_("voting open"), default=False)
    revealed = models.BooleanField(_("votes revealed"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Bumped on every change the participants' screens must follow (cheap polling check).
    revision = models.PositiveIntegerField(default=1)

    objects = WorkshopSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("workshop session")
        verbose_name_plural = _("workshop sessions")

    def __str__(self) -> str:
        return f"{self.code} ({self.assessment})"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Participant(models.Model):
    session = models.ForeignKey(
        WorkshopSession, on_delete=models.CASCADE, related_name="participants"
    )
    display_name = models.CharField(_("name"), max_length=40, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["joined_at"]

    def __str__(self) -> str:
        return self.display_name or _("participant %(number)s") % {"number": self.pk}


class Vote(models.Model):
    session = models.ForeignKey(WorkshopSession, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    score = models.ForeignKey(ProcessScore, on_delete=models.CASCADE, related_name="votes")
    level = models.PositiveSmallIntegerField(_("level"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            # Once per process: changing a vote replaces it.
            models.UniqueConstraint(fields=["participant", "score"], name="vote_once_per_process"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=MAX_LEVELS), name="vote_level_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant}: {self.level}"
