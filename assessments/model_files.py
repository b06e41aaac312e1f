"""A model version as a YAML file: export, strict parsing with line numbers, import.

The file format (``format: dvo-model/1``) is what `assessments/data/smg_model.yaml` uses. A file
is checked whole before anything is written; a malformed one is refused with every problem
named by line and field.
"""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils.translation import gettext as _

from .models import (
    BusinessProcess,
    Criterion,
    Dimension,
    Level,
    MaturityModel,
    ModelVersion,
    PublishedVersionError,
)
from .models.maturity import MAX_LEVELS

FORMAT = "dvo-model/1"
SMG_MODEL_FILE = Path(__file__).resolve().parent / "data" / "smg_model.yaml"
KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANGUAGES = ("en", "nl")


class ModelFileError(ValueError):
    """A model file that cannot be imported; `problems` lists every finding."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


# --- reading YAML with line numbers -------------------------------------------------------


class _Mapping(dict):
    line: int = 0

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _Sequence(list):
    line: int = 0


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Mapping:
    loader.flatten_mapping(node)
    mapping = _Mapping()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, str):
            raise ModelFileError([_("line %(line)s: keys must be text") % {"line": line}])
        if key in mapping:
            raise ModelFileError(
                [_("line %(line)s: '%(key)s' appears twice") % {"line": line, "key": key}]
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line
    return mapping


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> _Sequence:
    sequence = _Sequence(loader.construct_object(child, deep=True) for child in node.value)
    sequence.line = node.start_mark.line + 1
    return sequence


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


# --- validation ----------------------------------------------------------------------------


@dataclass
class ParsedModel:
    """A validated model file: plain dicts with every field present."""

    model: dict[str, Any]
    version: dict[str, Any]
    levels: list[dict[str, Any]]
    dimensions: list[dict[str, Any]]
    processes: list[dict[str, Any]]
    criteria: list[dict[str, Any]]


class _Checker:
    def __init__(self):
        self.problems: list[str] = []

    def problem(self, line: int, path: str, message: str) -> None:
        self.problems.append(
            _("line %(line)s: %(field)s: %(message)s")
            % {"line": line, "field": path, "message": message}
        )

    def mapping(self, value, path: str, line: int, allowed: set[str], required: set[str]):
        if not isinstance(value, dict):
            self.problem(line, path, _("expected a mapping of fields"))
            return None
        for key in sorted(set(value) - allowed):
            self.problem(value.line_of(key), f"{path}.{key}", _("unknown field"))
        for key in sorted(required - set(value)):
            self.problem(value.line, f"{path}.{key}", _("missing"))
        return value

    def sequence(self, parent: _Mapping, key: str, minimum: int, maximum: int | None = None):
        value = parent.get(key)
        line = parent.line_of(key)
        if not isinstance(value, list):
            self.problem(line, key, _("expected a list"))
            return []
        if len(value) < minimum or (maximum is not None and len(value) > maximum):
            bounds = f"{minimum}..{maximum}" if maximum is not None else f">= {minimum}"
            self.problem(
                line,
                key,
                _("expected %(bounds)s entries, found %(count)s")
                % {"bounds": bounds, "count": len(value)},
            )
        return value

    def key(self, entry: _Mapping, path: str, seen: set[str]) -> str:
        key = entry.get("key")
        if not isinstance(key, str) or not KEY_RE.match(key) or len(key) > 60:
            self.problem(
                entry.line_of("key"),
                f"{path}.key",
                _("expected a key of lowercase letters, digits and hyphens (at most 60)"),
            )
            return ""
        if key in seen:
            self.problem(
                entry.line_of("key"), f"{path}.key", _("'%(key)s' is used twice") % {"key": key}
            )
        seen.add(key)
        return key

    def text(self, entry: _Mapping, field: str, path: str, *, required: bool, max_length=None):
        """A bilingual text: {en: ..., nl: ...}; English required where the field is."""
        value = entry.get(field)
        line = entry.line_of(field)
        if value is None and not required:
            return {"en": "", "nl": ""}
        if not isinstance(value, dict):
            self.problem(line, f"{path}.{field}", _("expected {en: ..., nl: ...}"))
            return {"en": "", "nl": ""}
        result = {}
        for key in sorted(set(value) - set(LANGUAGES)):
            self.problem(value.line_of(key), f"{path}.{field}.{key}", _("unknown language"))
        for language in LANGUAGES:
            text = value.get(language, "")
            if text is None:
                text = ""
            if not isinstance(text, str):
                self.problem(line, f"{path}.{field}.{language}", _("expected text"))
                text = ""
            text = text.strip()
            if max_length and len(text) > max_length:
                self.problem(
                    value.line_of(language),
                    f"{path}.{field}.{language}",
                    _("longer than %(max)s characters") % {"max": max_length},
                )
            result[language] = text
        if required and not result["en"]:
            self.problem(line, f"{path}.{field}.en", _("the English text is required"))
        return result

    def integer(self, entry: _Mapping, field: str, path: str) -> int | None:
        value = entry.get(field)
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(entry.line_of(field), f"{path}.{field}", _("expected a whole number"))
            return None
        return value


def _parse_entries(check, data, key, minimum, maximum, allowed, required, build):
    entries = []
    for index, entry in enumerate(check.sequence(data, key, minimum, maximum)):
        path = f"{key}[{index}]"
        line = getattr(entry, "line", data.line_of(key))
        if check.mapping(entry, path, line, allowed, required) is not None:
            entries.append(build(entry, path))
    return entries


def parse_model_file(text: str) -> ParsedModel:
    """Validate a model file completely; raise ModelFileError naming every problem."""
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        raise ModelFileError(
            [
                _("line %(line)s: not valid YAML: %(problem)s")
                % {"line": line, "problem": error.problem}
            ]
        ) from error
    except yaml.YAMLError as error:
        raise ModelFileError([_("not valid YAML: %(error)s") % {"error": error}]) from error

    check = _Checker()
    top_fields = {"format", "model", "version", "levels", "dimensions", "processes", "criteria"}
    if check.mapping(data, _("file"), 1, top_fields, top_fields) is None:
        raise ModelFileError(check.problems)
    if data.get("format") != FORMAT:
        check.problem(
            data.line_of("format"), "format", _("expected '%(format)s'") % {"format": FORMAT}
        )

    model_entry = check.mapping(
        data.get("model"),
        "model",
        data.line_of("model"),
        {"key", "name", "description"},
        {"key", "name"},
    )
    model = {}
    if model_entry is not None:
        model = {
            "key": check.key(model_entry, "model", set()),
            "name": check.text(model_entry, "name", "model", required=True, max_length=200),
            "description": check.text(model_entry, "description", "model", required=False),
        }

    version_entry = check.mapping(
        data.get("version"),
        "version",
        data.line_of("version"),
        {"number", "status", "notes"},
        {"number", "status"},
    )
    version = {}
    if version_entry is not None:
        number = check.integer(version_entry, "number", "version")
        if number is not None and number < 1:
            check.problem(version_entry.line_of("number"), "version.number", _("must be 1 or more"))
        status = version_entry.get("status")
        if status not in ModelVersion.Status.values:
            check.problem(
                version_entry.line_of("status"),
                "version.status",
                _("expected 'draft' or 'published'"),
            )
        notes = version_entry.get("notes") or ""
        if not isinstance(notes, str):
            check.problem(version_entry.line_of("notes"), "version.notes", _("expected text"))
            notes = ""
        version = {"number": number, "status": status, "notes": notes}

    level_keys: set[str] = set()

    def build_level(entry, path):
        return {
            "number": check.integer(entry, "number", path),
            "key": check.key(entry, path, level_keys),
            "name": check.text(entry, "name", path, required=True, max_length=100),
            "description": check.text(entry, "description", path, required=False),
            "practice": check.text(entry, "practice", path, required=False),
        }

    levels = _parse_entries(
        check,
        data,
        "levels",
        2,
        MAX_LEVELS,
        {"number", "key", "name", "description", "practice"},
        {"number", "key", "name"},
        build_level,
    )
    for index, level in enumerate(levels, start=1):
        if level["number"] is not None and level["number"] != index:
            entry = data["levels"][index - 1]
            check.problem(
                entry.line_of("number"),
                f"levels[{index - 1}].number",
                _("levels must be numbered 1, 2, 3, ... in order; expected %(n)s") % {"n": index},
            )

    def catalogue_builder(seen):
        def build(entry, path):
            return {
                "key": check.key(entry, path, seen),
                "name": check.text(entry, "name", path, required=True, max_length=100),
                "description": check.text(entry, "description", path, required=False),
            }

        return build

    dimension_keys: set[str] = set()
    dimensions = _parse_entries(
        check,
        data,
        "dimensions",
        1,
        None,
        {"key", "name", "description"},
        {"key", "name"},
        catalogue_builder(dimension_keys),
    )
    process_keys: set[str] = set()
    processes = _parse_entries(
        check,
        data,
        "processes",
        1,
        None,
        {"key", "name", "description"},
        {"key", "name"},
        catalogue_builder(process_keys),
    )

    criterion_keys: set[str] = set()
    level_numbers = {level["number"] for level in levels}

    def build_criterion(entry, path):
        criterion = {
            "key": check.key(entry, path, criterion_keys),
            "level": check.integer(entry, "level", path),
            "dimension": entry.get("dimension"),
            "process": entry.get("process"),
            "baseline": entry.get("baseline", False),
            "text": check.text(entry, "text", path, required=True),
        }
        if criterion["level"] is not None and (
            criterion["level"] not in level_numbers or criterion["level"] < 2
        ):
            check.problem(
                entry.line_of("level"),
                f"{path}.level",
                _("%(level)s is not a level 2..%(top)s of this model")
                % {"level": criterion["level"], "top": len(levels)},
            )
        if criterion["dimension"] not in dimension_keys:
            check.problem(
                entry.line_of("dimension"),
                f"{path}.dimension",
                _("'%(key)s' is not a dimension of this model") % {"key": criterion["dimension"]},
            )
        if criterion["process"] is not None and criterion["process"] not in process_keys:
            check.problem(
                entry.line_of("process"),
                f"{path}.process",
                _("'%(key)s' is not a process of this model") % {"key": criterion["process"]},
            )
        if not isinstance(criterion["baseline"], bool):
            check.problem(
                entry.line_of("baseline"), f"{path}.baseline", _("expected true or false")
            )
        return criterion

    criteria = _parse_entries(
        check,
        data,
        "criteria",
        0,
        None,
        {"key", "level", "dimension", "process", "baseline", "text"},
        {"key", "level", "dimension", "text"},
        build_criterion,
    )

    if check.problems:
        raise ModelFileError(check.problems)
    return ParsedModel(model, version, levels, dimensions, processes, criteria)


# --- import and export ---------------------------------------------------------------------


def _bilingual(prefix: str, text: dict[str, str]) -> dict[str, str]:
    return {f"{prefix}_{language}": text[language] for language in LANGUAGES}


@transaction.atomic
def version_import(*, text: str, replace_draft: bool = False) -> ModelVersion:
    """Create a model version from a model file. An existing published version is never
    touched; an existing draft is replaced only when asked."""
    from .services import version_publish  # services build on this module's neighbours

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
