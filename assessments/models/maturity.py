"""The maturity model: a named model with versions; a version holds levels, dimensions,
business processes and criteria. A published version is immutable, so a historical assessment
always scores against exactly what it was made with.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

MAX_LEVELS = 9


class PublishedVersionError(ValidationError):
    """Raised on any attempt to change a published model version or its content."""

    def __init__(self, version=None):
        label = str(version) if version is not None else _("this model version")
        super().__init__(
            _("%(version)s is published and cannot be changed; clone it as a new draft instead.")
            % {"version": label},
            code="published",
        )


class Bilingual:
    """English and Dutch text in `<field>_en` / `<field>_nl`; `text("name")` picks the active
    language and falls back to English where the Dutch is empty."""

    def text(self, field: str, language: str | None = None) -> str:
        language = (language or get_language() or "en")[:2]
        value = getattr(self, f"{field}_{language}", "") or getattr(self, f"{field}_en", "")
        return value

    @property
    def name(self) -> str:
        return self.text("name")

    @property
    def description(self) -> str:
        return self.text("description")


class MaturityModel(Bilingual, models.Model):
    key = models.SlugField(_("key"), max_length=50, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("maturity model")
        verbose_name_plural = _("maturity models")

    def __str__(self) -> str:
        return self.name


class ModelVersionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=ModelVersion.Status.PUBLISHED)

    def drafts(self):
        return self.filter(status=ModelVersion.Status.DRAFT)

    def update(self, **kwargs):
        if self.published().exists():
            raise PublishedVersionError()
        return super().update(**kwargs)

    def delete(self):
        if self.published().exists():
            raise PublishedVersionError()
        return super().delete()


class ModelVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    model = models.ForeignKey(
        MaturityModel, on_delete=models.PROTECT, related_name="versions", verbose_name=_("model")
    )
    number = models.PositiveIntegerField(_("version number"), validators=[MinValueValidator(1)])
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    notes = models.TextField(_("release notes"), blank=True)
    cloned_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="clones",
        verbose_name=_("cloned from"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)

    objects = ModelVersionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["model__key", "-number"]
        verbose_name = _("model version")
        verbose_name_plural = _("model versions")
        constraints = [
            models.UniqueConstraint(fields=["model", "number"], name="version_number_unique"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="version_number_gte_1"),
            models.CheckConstraint(
                condition=models.Q(status="draft", published_at__isnull=True)
                | models.Q(status="published", published_at__isnull=False),
                name="version_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return _("%(model)s, version %(number)s") % {"model": self.model, "number": self.number}

    def save(self, *args, **kwargs):
        # Immutability is an invariant of the data, not a rule of one form: guard every save.
        if self.stored_as_published():
            raise PublishedVersionError(self)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.stored_as_published():
            raise PublishedVersionError(self)
        return super().delete(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def stored_as_published(self) -> bool:
        """What the database says, not what this (possibly edited) instance says."""
        if self.pk is None:
            return False
        return ModelVersion.objects.filter(pk=self.pk, status=self.Status.PUBLISHED).exists()


class VersionContentQuerySet(models.QuerySet):
    def _refuse_if_published(self):
        if self.filter(version__status=ModelVersion.Status.PUBLISHED).exists():
            raise PublishedVersionError()

    def update(self, **kwargs):
        self._refuse_if_published()
        return super().update(**kwargs)

    def delete(self):
        self._refuse_if_published()
        return super().delete()


class VersionContent(Bilingual, models.Model):
    """Base of everything that belongs to one model version. `key` is stable across clones,
    so answers can be matched from one version to the next."""

    version = models.ForeignKey(
        ModelVersion, on_delete=models.CASCADE, related_name="+", verbose_name=_("version")
    )
    key = models.SlugField(
        _("key"),
        max_length=60,
        help_text=_("Stable identifier; keep it when the wording changes between versions."),
    )

    objects = VersionContentQuerySet.as_manager()
    history = HistoricalRecords(inherit=True)  # admin edits of a draft are audited

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.version_id and ModelVersion(pk=self.version_id).stored_as_published():
            raise PublishedVersionError(self.version)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if ModelVersion(pk=self.version_id).stored_as_published():
            raise PublishedVersionError(self.version)
        return super().delete(*args, **kwargs)


def _version_unique(model_name: str, *fields: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=["version", *fields], name=f"{model_name}_{'_'.join(fields)}_unique"
    )


class Level(VersionContent):
    version = models.ForeignKey(
        ModelVersion, on_delete=models.CASCADE, related_name="levels", verbose_name=_("version")
    )
    number = models.PositiveSmallIntegerField(
        _("level"), validators=[MinValueValidator(1), MaxValueValidator(MAX_LEVELS)]
    )
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_nl = models.CharField(_("name (Dutch)"), max_length=100, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    practice_en = models.TextField(_("in practice (English)"), blank=True)
    practice_nl = models.TextField(_("in practice (Dutch)"), blank=True)

    class Meta:
        ordering = ["version", "number"]
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        constraints = [
            _version_unique("level", "number"),
            _version_unique("level", "key"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=MAX_LEVELS), name="level_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    @property
    def practice(self) -> str:
        return self.text("practice")


class Dimension(VersionContent):
    version = models.ForeignKey(
        ModelVersion,
        on_delete=models.CASCADE,
        related_name="dimensions",
        verbose_name=_("version"),
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_nl = models.CharField(_("name (Dutch)"), max_length=100, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)

    class Meta:
        ordering = ["version", "order"]
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        constraints = [_version_unique("dimension", "order"), _version_unique("dimension", "key")]

    def __str__(self) -> str:
        return self.name


class BusinessProcess(VersionContent):
    version = models.ForeignKey(
        ModelVersion, on_delete=models.CASCADE, related_name="processes", verbose_name=_("version")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_nl = models.CharField(_("name (Dutch)"), max_length=100, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)

    class Meta:
        ordering = ["version", "order"]
        verbose_name = _("business process")
        verbose_name_plural = _("business processes")
        constraints = [_version_unique("process", "order"), _version_unique("process", "key")]

    def __str__(self) -> str:
        return self.name


class Criterion(VersionContent):
    version = models.ForeignKey(
        ModelVersion, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("version")
    )
    order = models.PositiveIntegerField(_("order"))
    level = models.ForeignKey(
        Level, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("level")
    )
    dimension = models.ForeignKey(
        Dimension, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("dimension")
    )
    process = models.ForeignKey(
        BusinessProcess,
        on_delete=models.CASCADE,
        related_name="criteria",
        null=True,
        blank=True,
        verbose_name=_("business process"),
        help_text=_("Leave empty for a generic criterion that applies to every process."),
    )
    is_baseline = models.BooleanField(
        _("level-3 baseline condition"),
        default=False,
        help_text=_(
            "One of the minimum conditions for structured use (policy, platforms, training)."
        ),
    )
    text_en = models.TextField(_("text (English)"))
    text_nl = models.TextField(_("text (Dutch)"), blank=True)

    class Meta:
        ordering = ["version", "order"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [_version_unique("criterion", "order"), _version_unique("criterion", "key")]

    def __str__(self) -> str:
        return f"{self.key}: {self.text_en[:60]}"

    @property
    def statement(self) -> str:
        return self.text("text")

    def clean(self):
        errors = {}
        for field in ("level", "dimension", "process"):
            related_version = getattr(self, f"{field}_id") and getattr(self, field).version_id
            if related_version and related_version != self.version_id:
                errors[field] = _("Choose one of this model version's own entries.")
        if self.level_id and self.level.number < 2:
            errors["level"] = _("Criteria belong to level 2 or higher; level 1 is the floor.")
        if errors:
            raise ValidationError(errors)
