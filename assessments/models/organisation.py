"""Client organisations, the business processes they have in scope, and who may see them."""

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .maturity import BusinessProcess


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one place that decides which organisations a user may see: those they are a
        member of. Everything else is a 404 for them, superusers included (they use admin)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user)

    def editable_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user, memberships__role=Membership.Role.CONSULTANT)


class Organisation(models.Model):
    # Unique only among the organisations one user sees (OrganisationForm): a name refused
    # because another tenant's client has it would tell that the client exists.
    name = models.CharField(_("name"), max_length=200)
    # Blank: each report comes in the language of whoever downloads it (their interface).
    report_language = models.CharField(
        _("report language"),
        max_length=5,
        choices=[("", _("The reader's language")), *settings.LANGUAGES],
        blank=True,
        default="",
        help_text=_(
            "The language of this organisation's reports. With “The reader's language” "
            "each report comes in the interface language of whoever downloads it."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def language_of_reports(self) -> str:
        """The language of a report made now: the organisation's fixed one, else the active
        language (the interface language of the request), else the site's default."""
        if self.report_language:
            return self.report_language
        active = translation.get_language() or ""
        return active if active in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class OrganisationProcess(models.Model):
    """A catalogue process the organisation has in scope, optionally under its own name."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="processes",
        verbose_name=_("organisation"),
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
        help_text=_("Leave empty to use the catalogue name."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["organisation", "order", "process__order"]
        verbose_name = _("process in scope")
        verbose_name_plural = _("processes in scope")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "process"], name="organisation_process_unique"
            )
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.custom_name or self.process.name


class Membership(models.Model):
    class Role(models.TextChoices):
        CONSULTANT = "consultant", _("consultant")
        MANAGER = "manager", _("manager")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["organisation", "user"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) @ {self.organisation}"

    @property
    def is_consultant(self) -> bool:
        return self.role == self.Role.CONSULTANT
