"""Rendered PDFs, kept in the database (shared by every app server) and reused while nothing
they show has changed."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment


class RenderedReport(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="+", verbose_name=_("assessment")
    )
    language = models.CharField(_("language"), max_length=5)
    fingerprint = models.CharField(max_length=64)
    pdf = models.BinaryField()
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rendered report")
        verbose_name_plural = _("rendered reports")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "language"], name="report_once_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment} ({self.language})"
