"""Writing a checked model file as a new model version."""

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import (
    BusinessProcess,
    Criterion,
    Dimension,
    Level,
    MaturityModel,
    ModelVersion,
    PublishedVersionError,
)
from .parsing import LANGUAGES, parse_model_file
from .yaml_lines import ModelFileError


def _bilingual(prefix: str, text: dict[str, str]) -> dict[str, str]:
    return {f"{prefix}_{language}": text[language] for language in LANGUAGES}


@transaction.atomic
def version_import(*, text: str, replace_draft: bool = False) -> ModelVersion:
    """Create a model version from a model file. An existing published version is never
    touched; an existing draft is replaced only when asked."""
    from ..services import version_publish  # the services build on this package

    parsed = parse_model_file(text)
    model, _created = MaturityModel.objects.get_or_create(
        key=parsed.model["key"],
        defaults={
            **_bilingual("name", parsed.model["name"]),
            **_bilingual("description", parsed.model["description"]),
        },
    )
    number = parsed.version["number"]
    existing = ModelVersion.objects.filter(model=model, number=number).first()
    if existing is not None:
        if existing.is_published:
            raise PublishedVersionError(existing)
        if not replace_draft:
            raise ModelFileError(
                [
                    _(
                        "%(version)s already exists as a draft; "
                        "import with --replace to overwrite it."
                    )
                    % {"version": existing}
                ]
            )
        existing.delete()

    version = ModelVersion.objects.create(model=model, number=number, notes=parsed.version["notes"])
    levels = Level.objects.bulk_create(
        Level(
            version=version,
            number=level["number"],
            key=level["key"],
            **_bilingual("name", level["name"]),
            **_bilingual("description", level["description"]),
            **_bilingual("practice", level["practice"]),
        )
        for level in parsed.levels
    )
    dimensions = Dimension.objects.bulk_create(
        Dimension(
            version=version,
            order=order,
            key=entry["key"],
            **_bilingual("name", entry["name"]),
            **_bilingual("description", entry["description"]),
        )
        for order, entry in enumerate(parsed.dimensions, start=1)
    )
    processes = BusinessProcess.objects.bulk_create(
        BusinessProcess(
            version=version,
            order=order,
            key=entry["key"],
            **_bilingual("name", entry["name"]),
            **_bilingual("description", entry["description"]),
        )
        for order, entry in enumerate(parsed.processes, start=1)
    )
    level_by_number = {level.number: level for level in levels}
    dimension_by_key = {dimension.key: dimension for dimension in dimensions}
    process_by_key = {process.key: process for process in processes}
    Criterion.objects.bulk_create(
        Criterion(
            version=version,
            order=order,
            key=entry["key"],
            level=level_by_number[entry["level"]],
            dimension=dimension_by_key[entry["dimension"]],
            process=process_by_key.get(entry["process"]) if entry["process"] else None,
            is_baseline=entry["baseline"],
            **_bilingual("text", entry["text"]),
        )
        for order, entry in enumerate(parsed.criteria, start=1)
    )
    if parsed.version["status"] == ModelVersion.Status.PUBLISHED:
        version = version_publish(version=version)
    return version
