"""Units of an organisation (department, brand, region...) assessed on their own."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.Model):
    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("department")
        BRAND = "brand", _("brand")
        REGION = "region", _("region")
        OTHER = "other", _("other unit")

    organisation = models.ForeignKey(
        "assessments.Organisation",
        on_delete=models.CASCADE,
        related_name="units",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)
    # Nested one level: a unit with a parent has no children itself.
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )

    class Meta:
        ordering = ["organisation", "name", "id"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="unit_name_unique_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.parent_id is None:
            return
        if self.parent.organisation_id != self.organisation_id:
            raise ValidationError({"parent": _("The unit is part of another organisation.")})
        if self.parent.parent_id is not None or (self.pk and self.children.exists()):
            raise ValidationError({"parent": _("Units are nested one level deep.")})


class UnitAssessment(models.Model):
    """This assessment is of one unit (an assessment without one is of the whole
    organisation)."""

    assessment = models.OneToOneField(
        "assessments.Assessment", on_delete=models.CASCADE, related_name="unit_link"
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="assessments")

    class Meta:
        verbose_name = _("unit assessment")
        verbose_name_plural = _("unit assessments")

    def __str__(self) -> str:
        return f"{self.unit}: {self.assessment}"


class UnitRestriction(models.Model):
    """A manager who sees only the assessments of one unit."""

    membership = models.OneToOneField(
        "assessments.Membership", on_delete=models.CASCADE, related_name="unit_restriction"
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="restrictions")

    class Meta:
        verbose_name = _("unit restriction")
        verbose_name_plural = _("unit restrictions")

    def __str__(self) -> str:
        return f"{self.membership} → {self.unit}"
