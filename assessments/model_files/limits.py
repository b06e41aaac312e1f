"""What an import accepts, for model files and organisation backups alike: a file of bounded
size in UTF-8, whole numbers that fit their database column, text every database can store.

SQLite stores integers up to 2**63 and PostgreSQL's columns hold far less, so the ranges here
are PostgreSQL's: a file imports on both or on neither.
"""

import re
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

INT_MAX = 2**31 - 1  # PositiveIntegerField
SMALL_MAX = 2**15 - 1  # PositiveSmallIntegerField
ID_MAX = 2**63 - 1  # BigAutoField
_SURROGATES = re.compile("[\ud800-\udfff]")


class ImportFileError(ValueError):
    """A file that is too large, not UTF-8 or empty; the message says which."""


def import_max_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_BYTES", 10 * 1024 * 1024)


def too_large_message() -> str:
    limit = import_max_bytes()
    size = f"{limit / 2**20:.3g} MB" if limit >= 2**20 else f"{limit} bytes"
    return _(
        "the file is larger than %(limit)s, the most an import may be (setting IMPORT_MAX_BYTES)"
    ) % {"limit": size}


def read_import_file(path: Path) -> str:
    """The text of the file at `path`, never more than IMPORT_MAX_BYTES of it in memory.
    ImportFileError when it is larger, not UTF-8 or empty; OSError when it cannot be read."""
    limit = import_max_bytes()
    with path.open("rb") as file:
        raw = file.read(limit + 1)
    if len(raw) > limit:
        raise ImportFileError(too_large_message())
    try:
        text = raw.decode("utf-8-sig")  # a byte order mark, as Windows editors write, is fine
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _("not UTF-8 text (the byte at position %(position)s); save the file as UTF-8")
            % {"position": error.start}
        ) from error
    if not text.strip():
        raise ImportFileError(_("the file is empty"))
    return text


def has_surrogates(value: str) -> bool:
    """Whether `value` holds half of a UTF-16 pair (an escape such as "\\ud800" in JSON or
    YAML): no database driver can encode it."""
    return _SURROGATES.search(value) is not None
