"""One measurement of an organisation against one published model version."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .maturity import MAX_LEVELS, BusinessProcess, Criterion, ModelVersion
from .organisation import Organisation

NOTE_MAX_LENGTH = 10_000
REASON_MAX_LENGTH = 2_000


class AssessmentQuerySet(models.QuerySet):
    def final(self):
        return self.filter(status=Assessment.Status.FINAL)

    def shown_to_managers(self):
        """What an organisation's managers see on their start page: final assessments, and
        the drafts a consultant shares with them."""
        return self.filter(
            models.Q(status=Assessment.Status.FINAL) | models.Q(shared_with_managers=True)
        )


class Assessment(models.Model):
    class Kind(models.TextChoices):
        BASELINE = "baseline", _("baseline")
        REASSESSMENT = "reassessment", _("re-assessment")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        FINAL = "final", _("final")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("organisation"),
    )
    version = models.ForeignKey(
        ModelVersion,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("model version"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.BASELINE)
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followups",
        verbose_name=_("previous assessment"),
    )
    assessed_on = models.DateField(_("date"), default=timezone.localdate)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consultant"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    finalised_at = models.DateTimeField(_("finalised"), null=True, blank=True)
    # A draft the consultant shows to the organisation's managers on their start page (marked
    # "Draft — not final"); a final assessment is shown to them without it.
    shared_with_managers = models.BooleanField(_("shown to the managers"), default=False)
    # Bumped by every change of what the assessment's pages show (a score, the DVO aspects, a
    # vote, finalising): the key of every cache of rendered parts, and of the cached PDF.
    revision = models.PositiveIntegerField(_("revision"), default=1)
    # The process the room is looking at: the consultant's open row or the live workshop's
    # process under discussion; the presenter screen follows it.
    focus = models.ForeignKey(
        "ProcessScore",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("process under discussion"),
    )
    carried_over = models.JSONField(
        _("carried over"),
        default=dict,
        blank=True,
        help_text=_("What a re-assessment could and could not take over from the previous one."),
    )

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "-assessed_on", "-id"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="baseline", previous__isnull=True)
                | models.Q(kind="reassessment", previous__isnull=False),
                name="assessment_reassessment_has_previous",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(finalised_at__isnull=False),
                name="assessment_final_has_date",
            ),
        ]

    def __str__(self) -> str:
        return _("%(kind)s of %(organisation)s, %(date)s") % {
            "kind": self.get_kind_display(),
            "organisation": self.organisation,
            "date": date_format(self.assessed_on, "DATE_FORMAT"),
        }

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL

    def cache_key(self, *parts) -> str:
        """A key for a cache of what this assessment shows, as it is now: its revision, and its
        creation time (so a recycled id never meets an entry of a deleted assessment)."""
        stamp = self.created_at.timestamp() if self.created_at else 0
        return ":".join(str(part) for part in ("assessment", self.pk, stamp, self.revision, *parts))

    def clean(self):
        super().clean()
        # Every page of a re-assessment shows its previous one's results: never another
        # client's (the portal's own flows keep it so; this guards the admin's form).
        if (
            self.previous_id
            and self.organisation_id
            and self.previous.organisation_id != self.organisation_id
        ):
            raise ValidationError(
                {"previous": _("The previous assessment must be one of the same organisation.")}
            )


def _level_range(name: str, field: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}__isnull": True})
        | models.Q(**{f"{field}__gte": 1, f"{field}__lte": MAX_LEVELS}),
        name=name,
    )


class NotApplicable(models.Model):
    """A criterion that does not apply to one process of one assessment, and why."""

    score = models.ForeignKey(
        "ProcessScore", on_delete=models.CASCADE, related_name="exclusions", verbose_name=_("score")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="+", verbose_name=_("criterion")
    )
    reason = models.CharField(_("why it does not apply"), max_length=REASON_MAX_LENGTH)

    class Meta:
        verbose_name = _("criterion not applicable")
        verbose_name_plural = _("criteria not applicable")
        constraints = [
            models.UniqueConstraint(fields=["score", "criterion"], name="not_applicable_once"),
            models.CheckConstraint(condition=~models.Q(reason=""), name="not_applicable_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.key}: {self.reason}"


class ProcessScore(models.Model):
    class Confidence(models.TextChoices):
        LOW = "low", _("low")
        MEDIUM = "medium", _("medium")
        HIGH = "high", _("high")

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="scores", verbose_name=_("assessment")
    )
    process = models.ForeignKey(
        BusinessProcess,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("business process"),
    )
    custom_name = models.CharField(
        _("name at the client"),
        max_length=100,
        blank=True,
        help_text=_("The client's own name for the process when the assessment started."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    criteria_met = models.ManyToManyField(
        Criterion, blank=True, related_name="+", verbose_name=_("criteria met")
    )
    # Criteria that do not apply to this process at this client, each with its reason: they
    # leave the applicable set, so they neither hold a level back nor count as met.
    not_applicable = models.ManyToManyField(
        Criterion,
        blank=True,
        through=NotApplicable,
        related_name="+",
        verbose_name=_("criteria not applicable"),
    )
    override_level = models.PositiveSmallIntegerField(
        _("consensus level"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_LEVELS)],
    )
    override_reason = models.TextField(
        _("reason for the consensus level"),
        blank=True,
        validators=[MaxLengthValidator(REASON_MAX_LENGTH)],
    )
    override_carried_over = models.BooleanField(
        _("consensus carried over"),
        default=False,
        help_text=_("The consensus level was taken over from the previous assessment."),
    )
    ambition_level = models.PositiveSmallIntegerField(
        _("ambition"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_LEVELS)],
    )
    ambition_reason = models.TextField(
        _("reason for the ambition"),
        blank=True,
        validators=[MaxLengthValidator(REASON_MAX_LENGTH)],
    )
    notes = models.TextField(
        _("notes"), blank=True, validators=[MaxLengthValidator(NOTE_MAX_LENGTH)]
    )
    evidence = models.TextField(
        _("evidence"), blank=True, validators=[MaxLengthValidator(NOTE_MAX_LENGTH)]
    )
    confidence = models.CharField(
        _("confidence"), max_length=10, choices=Confidence.choices, blank=True
    )
    change_explanation = models.TextField(
        _("what changed"),
        blank=True,
        validators=[MaxLengthValidator(REASON_MAX_LENGTH)],
        help_text=_("In a re-assessment: what changed in the organisation when the level changed."),
    )
    # When someone first recorded a level (a level chosen, a criterion ticked or excluded, a
    # consensus set): until then the process is "not scored", never level 1.
    scored_at = models.DateTimeField(_("first scored"), null=True, blank=True)
    # The live workshop's votes on this process when they were revealed: count, median,
    # spread and the number of votes per level (see workshops.stats).
    team_vote = models.JSONField(_("team vote"), null=True, blank=True)
    # Bumped by every save: a save based on an older revision is merged with what changed
    # since, field by field, or asks when both changed the same field (no lost updates).
    revision = models.PositiveIntegerField(_("revision"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last changed by"),
    )
    updated_at = models.DateTimeField(_("last change"), auto_now=True)

    # Audit trail: who changed what, when, with the old and new values (criteria included).
    history = HistoricalRecords(m2m_fields=[criteria_met, not_applicable])

    class Meta:
        ordering = ["assessment", "order", "id"]
        verbose_name = _("process score")
        verbose_name_plural = _("process scores")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "process"], name="score_process_unique"),
            _level_range("score_override_in_range", "override_level"),
            _level_range("score_ambition_in_range", "ambition_level"),
            models.CheckConstraint(
                condition=models.Q(override_level__isnull=True) | ~models.Q(override_reason=""),
                name="score_override_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.assessment})"

    @property
    def display_name(self) -> str:
        return self.custom_name or self.process.name

    @property
    def is_overridden(self) -> bool:
        return self.override_level is not None

    @property
    def is_scored(self) -> bool:
        """Someone recorded a level for this process (until then it shows as "not scored")."""
        return self.scored_at is not None


class DvoAspect(models.TextChoices):
    """The five aspects of digitally responsible enterprise (the article's closing section)."""

    BUSINESS_VALUE = (
        "business-value",
        _("Business value: demonstrably supports business objectives"),
    )
    PRIVACY_IP = "privacy-ip", _("Law: privacy and intellectual property")
    DATA_ESCROW = "data-escrow", _("Data escrow: data put on external platforms stays ours")
    MONITORING = "monitoring", _("Real-time monitoring and escalation management")
    HUMAN_MEASURE = "human-measure", _("Human measure: netiquette, no social-media stress")


class AspectCheck(models.Model):
    class Status(models.TextChoices):
        NOT_ASSESSED = "not-assessed", _("not assessed")
        MISSING = "missing", _("not in place")
        PARTIAL = "partial", _("partly in place")
        IN_PLACE = "in-place", _("in place")

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="aspects", verbose_name=_("assessment")
    )
    aspect = models.CharField(_("DVO aspect"), max_length=20, choices=DvoAspect.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NOT_ASSESSED
    )
    note = models.TextField(
        _("note"), blank=True, validators=[MaxLengthValidator(REASON_MAX_LENGTH)]
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last changed by"),
    )
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    # Bumped by every save, for merging two editors' changes (as a process score's).
    revision = models.PositiveIntegerField(_("revision"), default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["assessment", "aspect"]
        verbose_name = _("DVO aspect check")
        verbose_name_plural = _("DVO aspect checks")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "aspect"], name="aspect_unique"),
            models.CheckConstraint(
                condition=models.Q(aspect__in=DvoAspect.values), name="aspect_known"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["not-assessed", "missing", "partial", "in-place"]),
                name="aspect_status_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_aspect_display()}: {self.get_status_display()}"
