"""Report files (PDFs and PowerPoint decks) rendered in the background (reports/tasks.py) and kept
in the database, where every app server finds them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment


class ReportFile(models.Model):
    """One rendering of an assessment's report: a kind, a language and the state it shows (`key`:
    the revisions, the brand and the layout it was asked for, reports.tasks.file_key). A row is
    made when someone asks for a file nobody has asked for yet, and the worker fills it in;
    once a newer one of the same assessment, kind and language is ready, the older rows go."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        DECK = "deck", "PowerPoint"

    class Status(models.TextChoices):
        PENDING = "pending", _("being prepared")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="+", verbose_name=_("assessment")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=5)
    key = models.CharField(max_length=64)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    content = models.BinaryField(default=b"")
    # The latest time someone asked for it (a request that finds it pending long past this
    # queues it again: the worker that had it may have died).
    requested_at = models.DateTimeField(_("requested"))
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("report file")
        verbose_name_plural = _("report files")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "kind", "language", "key"], name="report_file_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.language} of assessment {self.assessment_id}"
