"""A consultant's portfolio: when each client is due for its next measurement, who wants to be
reminded of it, and which reminders went out (one per due date and person, kept by a unique
constraint, so a second run or a second worker sends nothing)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models import Organisation

MAX_MONTHS = 60


class Cadence(models.Model):
    """An organisation's re-assessment rhythm: a fixed date, or else every `months` months
    after its last final assessment. An organisation without one follows
    `PORTFOLIO_DEFAULT_CADENCE_MONTHS`."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="cadence",
        verbose_name=_("organisation"),
    )
    months = models.PositiveSmallIntegerField(
        _("every (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_MONTHS)],
        help_text=_("Months after the date of the last final assessment."),
    )
    due_on = models.DateField(
        _("fixed date"),
        null=True,
        blank=True,
        help_text=_("A fixed date for the next measurement; it takes the place of the rhythm."),
    )
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last changed by"),
    )

    class Meta:
        verbose_name = _("re-assessment cadence")
        verbose_name_plural = _("re-assessment cadences")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(months__isnull=True)
                | models.Q(months__gte=1, months__lte=MAX_MONTHS),
                name="cadence_months_in_range",
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class ReminderPreference(models.Model):
    """A person's switches for the reminder mails; no row means both are on."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminder_preference",
        verbose_name=_("user"),
    )
    measurement_reminders = models.BooleanField(
        _("re-assessment reminders"),
        default=True,
        help_text=_("A mail some weeks before a re-assessment is due, and one on the day."),
    )
    roadmap_reminders = models.BooleanField(
        _("roadmap reminders"),
        default=True,
        help_text=_("A mail when the quarter of a roadmap item ended and it is not done."),
    )

    class Meta:
        verbose_name = _("reminder preference")
        verbose_name_plural = _("reminder preferences")

    def __str__(self) -> str:
        return str(self.user)


class SentReminder(models.Model):
    """One reminder to one person, claimed before the mail goes out: the unique constraints
    make a second claim of the same reminder fail, whichever worker tries it."""

    class Kind(models.TextChoices):
        DUE_SOON = "due-soon", _("re-assessment due soon")
        DUE = "due", _("re-assessment due")
        ROADMAP = "roadmap", _("roadmap item overdue")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("organisation"),
    )
    item = models.ForeignKey(
        "roadmaps.RoadmapItem",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("roadmap item"),
    )
    due_on = models.DateField(_("due date"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("recipient"),
    )
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "organisation", "due_on", "recipient"],
                condition=models.Q(item__isnull=True),
                name="reminder_once_per_organisation_date_person",
            ),
            models.UniqueConstraint(
                fields=["kind", "item", "due_on", "recipient"],
                condition=models.Q(item__isnull=False),
                name="reminder_once_per_item_date_person",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="roadmap", item__isnull=False)
                | (~models.Q(kind="roadmap") & models.Q(item__isnull=True)),
                name="reminder_item_only_for_roadmap",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.organisation} {self.due_on} → {self.recipient}"
