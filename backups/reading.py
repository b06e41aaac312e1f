"""Reading a backup: the JSON file within the size limit, then every value checked by type,
range and depth as it is taken, with its path in the file for the message.

Whole numbers must fit their PostgreSQL column (SQLite would store more, so a file restores on
both or on neither), free text passes through `clean_text` (a NUL that SQLite kept restores on
PostgreSQL too), and a key holding a control character is refused.
"""

import json
import math
from pathlib import Path
from typing import Any

from assessments.model_files import ImportFileError, read_import_file
from assessments.model_files.limits import INT_MAX, has_surrogates
from dvo_portal.text import clean_text, has_controls

# A backup nests about six deep (assessments, scores, a team vote); far more is no backup.
MAX_DEPTH = 32
_KINDS = {
    int: "a whole number",
    str: "text",
    list: "a list",
    dict: "an object",
    bool: "true or false",
}


class OrganisationFileError(ValueError):
    """A backup file that cannot be restored; `path` says where in the file."""

    def __init__(self, path: str, message: str):
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class Reader:
    """Typed access to the JSON with the path of every value, for clear messages."""

    def __init__(self, value, path: str):
        self.value, self.path = value, path

    def get(
        self,
        key: str,
        kind: type,
        *,
        required: bool = True,
        default=None,
        minimum: int = 0,
        maximum: int = INT_MAX,
    ):
        """The value at `key`, checked by `_checked`: a whole number in minimum..maximum, a
        key (text without control characters), a list, an object or true/false."""
        if not isinstance(self.value, dict):
            raise OrganisationFileError(self.path, "expected an object")
        if key not in self.value:
            if required:
                raise OrganisationFileError(f"{self.path}.{key}", "missing")
            return default
        value = self.value[key]
        if value is None and not required:
            return default
        return _checked(value, kind, f"{self.path}.{key}", minimum=minimum, maximum=maximum)

    def text(self, key: str, *, required: bool = False) -> str:
        """Free text, with Word's breaks as newlines and other control characters removed."""
        value = self.get(key, _Text, required=required, default="")
        return clean_text(value)

    def json(self, key: str, *, default=None):
        """An object stored as it is (a JSON field), its text cleaned."""
        value = self.get(key, dict, required=False, default=default)
        return _plain(value, f"{self.path}.{key}")

    def key_list(self, key: str) -> list[str]:
        return [
            _checked(value, str, f"{self.path}.{key}[{index}]")
            for index, value in enumerate(self.get(key, list))
        ]

    def items(self, key: str):
        values = self.get(key, list)
        return [Reader(value, f"{self.path}.{key}[{index}]") for index, value in enumerate(values)]


class _Text(str):
    """The kind of free text in `Reader.get`: control characters allowed, to be cleaned."""


def _checked(value, kind: type, path: str, *, minimum: int = 0, maximum: int = INT_MAX):
    """`value` if it is of `kind`: never true/false for a number, a number that fits its
    column, text that every database stores (a key also without control characters)."""
    expected = str if kind is _Text else kind
    if not isinstance(value, expected) or (kind is int and isinstance(value, bool)):
        raise OrganisationFileError(path, f"expected {_KINDS[expected]}")
    if kind is int and not minimum <= value <= maximum:
        raise OrganisationFileError(path, f"expected a whole number from {minimum} to {maximum}")
    if expected is str and has_surrogates(value):
        raise OrganisationFileError(
            path, "holds half of a UTF-16 surrogate pair, which is not text"
        )
    if kind is str and has_controls(value):
        raise OrganisationFileError(
            path, "holds a control character (such as NUL), which a key cannot have"
        )
    return value


def _plain(value, path: str):
    """A JSON value as it will be stored: text cleaned, no NaN or infinity (PostgreSQL's
    jsonb refuses them)."""
    if isinstance(value, str):
        return clean_text(_checked(value, _Text, path))
    if isinstance(value, float) and not math.isfinite(value):
        raise OrganisationFileError(path, "expected a finite number")
    if isinstance(value, list):
        return [_plain(item, f"{path}[{index}]") for index, item in enumerate(value)]
    if isinstance(value, dict):
        return {
            clean_text(_checked(key, _Text, path)): _plain(item, f"{path}.{key}")
            for key, item in value.items()
        }
    return value


def check_depth(data: Any) -> None:
    """Refuse data nested deeper than MAX_DEPTH, without recursion (Python's own json reads
    a few thousand levels)."""
    stack = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise OrganisationFileError("$", f"nested more than {MAX_DEPTH} levels deep")
        if isinstance(value, dict):
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)


def _refuse_constant(name: str):
    raise OrganisationFileError("", f"not valid JSON: {name} is not a number JSON allows")


def _parse_int(digits: str) -> int:
    if len(digits) > 30:  # beyond every column; int() refuses 4,300 digits less clearly
        raise OrganisationFileError("", f"not valid JSON: the number {digits[:20]}… is too large")
    return int(digits)


def organisation_file_load(path: Path) -> Any:
    """The JSON in the backup file at `path`, read no further than IMPORT_MAX_BYTES.
    OrganisationFileError when it is too large, not UTF-8, empty or not JSON; OSError when it
    cannot be read."""
    try:
        text = read_import_file(path)
    except ImportFileError as error:
        raise OrganisationFileError("", str(error)) from error
    try:
        return json.loads(text, parse_constant=_refuse_constant, parse_int=_parse_int)
    except json.JSONDecodeError as error:
        raise OrganisationFileError(
            "", f"not valid JSON: line {error.lineno}, column {error.colno}: {error.msg}"
        ) from error
    except RecursionError as error:
        raise OrganisationFileError("$", f"nested more than {MAX_DEPTH} levels deep") from error
