"""A two-year roadmap per assessment: deliverables that close the gap between level and
ambition, placed in quarters of year 1 and year 2."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assessments.models import Assessment, BusinessProcess, Criterion, Dimension
from assessments.models.maturity import MAX_LEVELS

from .quarters import ROADMAP_QUARTERS, Quarter

TEXT_MAX_LENGTH = 5_000


class Roadmap(models.Model):
    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="roadmap", verbose_name=_("assessment")
    )
    start_quarter = models.PositiveIntegerField(_("first quarter"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)
    # Bumped by every change of the roadmap or one of its items: part of the key of the cached
    # report (the PDF shows the roadmap).
    revision = models.PositiveIntegerField(_("revision"), default=1)

    class Meta:
        verbose_name = _("roadmap")
        verbose_name_plural = _("roadmaps")

    def __str__(self) -> str:
        return _("Roadmap of %(assessment)s") % {"assessment": self.assessment}

    @property
    def first_quarter(self) -> Quarter:
        return Quarter(self.start_quarter)

    @property
    def last_quarter(self) -> Quarter:
        return Quarter(self.start_quarter + ROADMAP_QUARTERS - 1)


class RoadmapItem(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in-progress", _("in progress")
        DONE = "done", _("done")
        DROPPED = "dropped", _("dropped")

    roadmap = models.ForeignKey(
        Roadmap, on_delete=models.CASCADE, related_name="items", verbose_name=_("roadmap")
    )
    title = models.CharField(_("deliverable"), max_length=200)
    description = models.TextField(
        _("description"), blank=True, validators=[MaxLengthValidator(TEXT_MAX_LENGTH)]
    )
    process = models.ForeignKey(
        BusinessProcess,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("business process"),
        help_text=_("Leave empty for a cross-process deliverable."),
    )
    dimension = models.ForeignKey(
        Dimension,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dimension"),
    )
    criterion = models.ForeignKey(
        Criterion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("criterion it closes"),
    )
    target_level = models.PositiveSmallIntegerField(_("target level"), null=True, blank=True)
    start_quarter = models.PositiveIntegerField(_("start"))
    end_quarter = models.PositiveIntegerField(_("end"))
    owner = models.CharField(_("owner"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    is_proposal = models.BooleanField(
        _("proposed"),
        default=False,
        help_text=_("Drafted from the gaps and not yet accepted by the consultant."),
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
    # Bumped by every save, for merging two editors' changes field by field.
    revision = models.PositiveIntegerField(_("revision"), default=1)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["roadmap", "start_quarter", "end_quarter", "id"]
        verbose_name = _("roadmap item")
        verbose_name_plural = _("roadmap items")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_quarter__gte=models.F("start_quarter")),
                name="item_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(target_level__isnull=True)
                | models.Q(target_level__gte=1, target_level__lte=MAX_LEVELS),
                name="item_target_level_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["planned", "in-progress", "done", "dropped"]),
                name="item_status_known",
            ),
            # Drafting twice never duplicates: one item per criterion and process.
            models.UniqueConstraint(
                fields=["roadmap", "process", "criterion"],
                condition=models.Q(criterion__isnull=False),
                name="item_criterion_once_per_process",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def start(self) -> Quarter:
        return Quarter(self.start_quarter)

    @property
    def end(self) -> Quarter:
        return Quarter(self.end_quarter)

    @property
    def is_closed(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.DROPPED}

    def is_overdue(self, today: Quarter | None = None) -> bool:
        """Past its end quarter and neither done nor dropped."""
        return not self.is_closed and self.end_quarter < (today or Quarter.current()).index
