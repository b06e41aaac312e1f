"""A model version as a model file."""

from typing import Any

import yaml

from ..models import Criterion, ModelVersion
from .parsing import FORMAT, LANGUAGES


def _pair(obj, field: str) -> dict[str, str]:
    return {language: getattr(obj, f"{field}_{language}") for language in LANGUAGES}


def version_to_data(version: ModelVersion) -> dict[str, Any]:
    model = version.model
    criteria = Criterion.objects.filter(version=version).select_related(
        "level", "dimension", "process"
    )
    return {
        "format": FORMAT,
        "model": {
            "key": model.key,
            "name": _pair(model, "name"),
            "description": _pair(model, "description"),
        },
        "version": {
            "number": version.number,
            "status": str(version.status),
            "notes": version.notes,
        },
        "levels": [
            {
                "number": level.number,
                "key": level.key,
                "name": _pair(level, "name"),
                "description": _pair(level, "description"),
                "practice": _pair(level, "practice"),
            }
            for level in version.levels.all()
        ],
        "dimensions": [
            {"key": d.key, "name": _pair(d, "name"), "description": _pair(d, "description")}
            for d in version.dimensions.all()
        ],
        "processes": [
            {"key": p.key, "name": _pair(p, "name"), "description": _pair(p, "description")}
            for p in version.processes.all()
        ],
        "criteria": [
            {
                "key": c.key,
                "level": c.level.number,
                "dimension": c.dimension.key,
                "process": c.process.key if c.process_id else None,
                "baseline": c.is_baseline,
                "text": _pair(c, "text"),
            }
            for c in criteria
        ],
    }


def version_export(version: ModelVersion) -> str:
    return yaml.safe_dump(version_to_data(version), sort_keys=False, allow_unicode=True, width=100)
