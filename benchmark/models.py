"""Who an organisation is among its peers: its sector and size class (lists the admin keeps)."""

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _


class _Listed(models.Model):
    name = models.CharField(_("name (English)"), max_length=100, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self) -> str:
        if translation.get_language() == "nl" and self.name_nl:
            return self.name_nl
        return self.name


class Sector(_Listed):
    class Meta(_Listed.Meta):
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")


class SizeClass(_Listed):
    class Meta(_Listed.Meta):
        verbose_name = _("size class")
        verbose_name_plural = _("size classes")


class PeerProfile(models.Model):
    """An organisation's sector and size class; absent means neither is known."""

    organisation = models.OneToOneField(
        "assessments.Organisation",
        on_delete=models.CASCADE,
        related_name="peer_profile",
        verbose_name=_("organisation"),
    )
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("sector")
    )
    size_class = models.ForeignKey(
        SizeClass, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("size class")
    )

    class Meta:
        verbose_name = _("peer profile")
        verbose_name_plural = _("peer profiles")

    def __str__(self) -> str:
        return str(self.organisation)


class ConsentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(withdrawn_at__isnull=True)


class Consent(models.Model):
    """An organisation's consent to take part in the peer benchmark: who recorded it and when,
    and who withdrew it and when. A withdrawn consent stays as a row (the history); consenting
    again is a new row. At most one consent is in force per organisation."""

    organisation = models.ForeignKey(
        "assessments.Organisation",
        on_delete=models.CASCADE,
        related_name="benchmark_consents",
        verbose_name=_("organisation"),
    )
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    given_at = models.DateTimeField(_("given"), default=timezone.now)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "-given_at", "-id"]
        verbose_name = _("benchmark consent")
        verbose_name_plural = _("benchmark consents")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="benchmark_one_consent_in_force",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True)
                | models.Q(withdrawn_at__gte=models.F("given_at")),
                name="benchmark_consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation)

    @property
    def in_force(self) -> bool:
        return self.withdrawn_at is None


class Revision(models.Model):
    """One row: a number bumped by every change of who takes part in the benchmark and how
    they are grouped (consent, profile, the lists). With the final assessments' own revisions
    it keys the cached peer figures (benchmark.selectors), so they are never stale."""

    number = models.PositiveBigIntegerField(default=1)

    class Meta:
        verbose_name = _("benchmark revision")
        verbose_name_plural = _("benchmark revisions")

    def __str__(self) -> str:
        return str(self.number)
