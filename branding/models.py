"""The installation's brand (one row) and a logo per client organisation.

Logos live in the database, not on a disk: every app server serves them, and a backup of the
database holds them. Each is stored with its content type and SHA-256, which names it in its
URL (served with a year's caching: a new logo is a new URL)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .colours import DEFAULT_ACCENT, validate_accent
from .images import EXTENSIONS, PNG, SVG


class LogoType(models.TextChoices):
    PNG = PNG, "PNG"
    SVG = SVG, "SVG"


class ConsultancyBrand(models.Model):
    """The consultancy running this installation: its name, logo and accent colour, shown on
    the login page, in every report, PDF and deck. Without a row the portal's defaults
    apply (branding.brand)."""

    # Always True and unique: the database holds at most one brand.
    singleton = models.BooleanField(default=True, editable=False)
    consultancy_name = models.CharField(_("consultancy name"), max_length=100)
    accent = models.CharField(
        _("accent colour"),
        max_length=7,
        default=DEFAULT_ACCENT,
        validators=[validate_accent],
        help_text=_("The menu bar, the main buttons and the report's headings take it."),
    )
    logo_data = models.BinaryField(_("logo"), blank=True, default=b"", editable=False)
    logo_content_type = models.CharField(
        _("logo type"), max_length=20, blank=True, choices=LogoType.choices, editable=False
    )
    logo_sha256 = models.CharField(_("logo SHA-256"), max_length=64, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["logo_data"])  # the hash says which logo

    class Meta:
        verbose_name = _("consultancy brand")
        verbose_name_plural = _("consultancy brand")
        constraints = [
            models.UniqueConstraint(fields=["singleton"], name="branding_one_brand"),
            models.CheckConstraint(condition=Q(singleton=True), name="branding_brand_singleton"),
            models.CheckConstraint(
                condition=Q(logo_content_type="", logo_sha256="")
                | (Q(logo_content_type__in=LogoType.values) & ~Q(logo_sha256="")),
                name="branding_brand_logo_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.consultancy_name

    @property
    def has_logo(self) -> bool:
        return bool(self.logo_sha256)

    @property
    def logo_extension(self) -> str:
        return EXTENSIONS.get(self.logo_content_type, "")


class ClientLogo(models.Model):
    """The logo of a client organisation, beside the consultancy's on its reports."""

    organisation = models.OneToOneField(
        "assessments.Organisation",
        on_delete=models.CASCADE,
        related_name="client_logo",
        verbose_name=_("organisation"),
    )
    data = models.BinaryField(_("logo"), editable=False)
    content_type = models.CharField(
        _("logo type"), max_length=20, choices=LogoType.choices, editable=False
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["data"])

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("client logo")
        verbose_name_plural = _("client logos")
        constraints = [
            models.CheckConstraint(
                condition=Q(content_type__in=LogoType.values) & ~Q(sha256=""),
                name="branding_client_logo_complete",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def extension(self) -> str:
        return EXTENSIONS.get(self.content_type, "")
