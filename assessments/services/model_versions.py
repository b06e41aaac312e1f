"""Publishing and cloning versions of the maturity model."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import BusinessProcess, Criterion, Dimension, Level, ModelVersion


def version_problems(version: ModelVersion) -> list[str]:
    """What stops a draft from being published; empty when it is complete."""
    problems = []
    numbers = list(version.levels.values_list("number", flat=True))
    if len(numbers) < 2:
        problems.append(_("A model needs at least two levels."))
    if numbers != list(range(1, len(numbers) + 1)):
        problems.append(_("Levels must be numbered 1, 2, 3, ... without gaps."))
    if not version.dimensions.exists():
        problems.append(_("A model needs at least one dimension."))
    if not version.processes.exists():
        problems.append(_("A model needs at least one business process."))
    if version.criteria.filter(level__number__lt=2).exists():
        problems.append(_("Criteria belong to level 2 or higher; level 1 is the floor."))
    foreign = version.criteria.exclude(level__version=version) | version.criteria.exclude(
        dimension__version=version
    )
    if (
        foreign.exists()
        or version.criteria.filter(process__isnull=False).exclude(process__version=version).exists()
    ):
        problems.append(
            _("Some criteria point at another version's levels, dimensions or processes.")
        )
    problems.extend(levels_without_criteria(version))
    return problems


def levels_without_criteria(version: ModelVersion) -> list[str]:
    """A level above the floor that has no criterion for some process would be passed by
    having nothing in it: name every such level and process."""
    levels = list(version.levels.filter(number__gte=2).order_by("number"))
    covered = set(version.criteria.values_list("level_id", "process_id").distinct())
    generic = {level_id for level_id, process_id in covered if process_id is None}
    problems = []
    for process in version.processes.order_by("order"):
        missing = [
            str(level.number)
            for level in levels
            if level.pk not in generic and (level.pk, process.pk) not in covered
        ]
        if missing:
            problems.append(
                _(
                    "Process “%(process)s” has no criterion at level %(levels)s; every level "
                    "from 2 up needs at least one for every process."
                )
                % {"process": process.name_en, "levels": ", ".join(missing)}
            )
    return problems


@transaction.atomic
def version_publish(*, version: ModelVersion) -> ModelVersion:
    version = ModelVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise ValidationError(_("%(version)s is already published.") % {"version": version})
    problems = version_problems(version)
    if problems:
        raise ValidationError(problems)
    version.status = ModelVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.full_clean()
    version.save()
    return version


@transaction.atomic
def version_clone(*, version: ModelVersion) -> ModelVersion:
    """Copy a version with all its content into a new draft with the next number.
    Keys are kept, so answers can be matched between the two."""
    next_number = (
        ModelVersion.objects.filter(model=version.model_id).aggregate(n=Max("number"))["n"] + 1
    )
    draft = ModelVersion(
        model_id=version.model_id,
        number=next_number,
        notes=_("Cloned from version %(number)s.") % {"number": version.number},
        cloned_from=version,
    )
    draft.full_clean()
    draft.save()

    def copy(queryset, **remap):
        rows = []
        for row in queryset:
            clone = type(row)(
                **{
                    field.attname: getattr(row, field.attname)
                    for field in row._meta.concrete_fields
                    if not field.primary_key
                }
            )
            clone.version = draft
            for attname, mapping in remap.items():
                old = getattr(row, attname)
                setattr(clone, attname, mapping[old].pk if old is not None else None)
            rows.append((row.pk, clone))
        type_ = queryset.model
        type_.objects.bulk_create([clone for _pk, clone in rows])
        return dict(rows)

    levels = copy(Level.objects.filter(version=version))
    dimensions = copy(Dimension.objects.filter(version=version))
    processes = copy(BusinessProcess.objects.filter(version=version))
    copy(
        Criterion.objects.filter(version=version),
        level_id=levels,
        dimension_id=dimensions,
        process_id=processes,
    )
    return draft
