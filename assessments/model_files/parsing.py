"""Strict checking of a model file: every problem named by line and field, nothing written."""

import re
from dataclasses import dataclass
from typing import Any

import yaml
from django.utils.translation import gettext as _

from dvo_portal.text import clean_text

from ..models import ModelVersion
from ..models.maturity import MAX_LEVELS
from .limits import INT_MAX, SMALL_MAX, has_surrogates, import_max_bytes, too_large_message
from .yaml_lines import ModelFileError, _Mapping, load

FORMAT = "dvo-model/1"
KEY_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
LANGUAGES = ("en", "nl")


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

    def key(self, entry: _Mapping, path: str, seen: set[str], max_length: int = 60) -> str:
        key = entry.get("key")
        if not isinstance(key, str) or not KEY_RE.fullmatch(key) or len(key) > max_length:
            self.problem(
                entry.line_of("key"),
                f"{path}.key",
                _("expected a key of lowercase letters, digits and hyphens (at most %(max)s)")
                % {"max": max_length},
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
            text = self.plain_text(text, line, f"{path}.{field}.{language}").strip()
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

    def plain_text(self, value, line: int, path: str) -> str:
        """`value` as text a database stores alike everywhere: Word's breaks as newlines, other
        control characters (a NUL) removed."""
        if not isinstance(value, str):
            self.problem(line, path, _("expected text"))
            return ""
        if has_surrogates(value):
            self.problem(line, path, _("holds half of a UTF-16 surrogate pair, which is not text"))
            return ""
        return clean_text(value)

    def integer(
        self, entry: _Mapping, field: str, path: str, *, minimum: int = 1, maximum: int = INT_MAX
    ) -> int | None:
        """A whole number (never true/false) in minimum..maximum, so it fits its column."""
        value = entry.get(field)
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(entry.line_of(field), f"{path}.{field}", _("expected a whole number"))
            return None
        if not minimum <= value <= maximum:
            self.problem(
                entry.line_of(field),
                f"{path}.{field}",
                _("expected a whole number from %(min)s to %(max)s")
                % {"min": minimum, "max": maximum},
            )
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
    if len(text) > import_max_bytes():
        raise ModelFileError([too_large_message()])
    try:
        data = load(text)
    except yaml.reader.ReaderError as error:
        raise ModelFileError(
            [
                _("line %(line)s: the character %(code)s is not allowed in a model file")
                % {
                    "line": text.count("\n", 0, error.position) + 1,
                    "code": f"U+{error.character:04X}",
                }
            ]
        ) from error
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
    except RecursionError as error:
        raise ModelFileError([_("nested too deeply to be a model file")]) from error

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
            "key": check.key(model_entry, "model", set(), max_length=50),
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
        status = version_entry.get("status")
        if status not in ModelVersion.Status.values:
            check.problem(
                version_entry.line_of("status"),
                "version.status",
                _("expected 'draft' or 'published'"),
            )
        notes = check.plain_text(
            version_entry.get("notes") or "", version_entry.line_of("notes"), "version.notes"
        )
        version = {"number": number, "status": status, "notes": notes}

    level_keys: set[str] = set()

    def build_level(entry, path):
        return {
            "number": check.integer(entry, "number", path, maximum=MAX_LEVELS),
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
        SMALL_MAX,
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
        SMALL_MAX,
        {"key", "name", "description"},
        {"key", "name"},
        catalogue_builder(process_keys),
    )

    criterion_keys: set[str] = set()
    level_numbers = {level["number"] for level in levels}

    def build_criterion(entry, path):
        criterion = {
            "key": check.key(entry, path, criterion_keys),
            "level": check.integer(entry, "level", path, maximum=MAX_LEVELS),
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
        if (
            not isinstance(criterion["dimension"], str)
            or criterion["dimension"] not in dimension_keys
        ):
            check.problem(
                entry.line_of("dimension"),
                f"{path}.dimension",
                _("'%(key)s' is not a dimension of this model") % {"key": criterion["dimension"]},
            )
        if criterion["process"] is not None and (
            not isinstance(criterion["process"], str) or criterion["process"] not in process_keys
        ):
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

    if version.get("status") == ModelVersion.Status.PUBLISHED:
        _check_every_level_has_criteria(check, data, levels, processes, criteria)
    if check.problems:
        raise ModelFileError(check.problems)
    return ParsedModel(model, version, levels, dimensions, processes, criteria)


def _check_every_level_has_criteria(check, data, levels, processes, criteria) -> None:
    """A published version has at least one criterion at every level from 2 up for every
    process: no level may be passed by having nothing in it."""
    numbers = [level["number"] for level in levels if level["number"] and level["number"] >= 2]
    covered = {
        (criterion["level"], criterion["process"])
        for criterion in criteria
        if isinstance(criterion["process"], str | None)  # anything else is a problem already
    }
    for index, process in enumerate(processes):
        missing = [
            str(number)
            for number in numbers
            if (number, None) not in covered and (number, process["key"]) not in covered
        ]
        if missing:
            entry = data["processes"][index]
            check.problem(
                entry.line,
                f"processes[{index}]",
                _(
                    "no criterion at level %(levels)s for “%(process)s”; a published version "
                    "needs at least one at every level from 2 up for every process"
                )
                % {"levels": ", ".join(missing), "process": process["key"]},
            )
