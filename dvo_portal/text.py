"""Free text as people paste it: one cleaner for every form, import, restore and export.

Text copied from Word or a PDF carries C0 control characters: a vertical tab for Word's manual
line break, a form feed for its page break, stray \\x01-\\x1f bytes, now and then a NUL.
PostgreSQL refuses a NUL in a text column and SQLite stores it (a backup made on one could not
be restored on the other); Excel files cannot hold any of them (openpyxl raises
IllegalCharacterError). Tab, newline and carriage return are kept; Word's line and page
breaks become newlines; every other C0 control character, NUL included, and DEL are removed.
"""

import re

from django import forms

_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def clean_text(value: str) -> str:
    """`value` with Word's breaks as newlines and the other control characters removed."""
    if not value:
        return value
    return _CONTROLS.sub("", value.translate(_BREAKS))


def has_controls(value: str) -> bool:
    """Whether `value` holds a character `clean_text` would change."""
    return clean_text(value) != value


def cleaned_input(data):
    """Submitted form data (a QueryDict or a dict) with every text value cleaned."""
    if hasattr(data, "lists"):
        cleaned = data.copy()
        for key, values in data.lists():
            cleaned.setlist(key, [clean_text(v) if isinstance(v, str) else v for v in values])
        return cleaned
    return {key: clean_text(v) if isinstance(v, str) else v for key, v in data.items()}


class CleanTextMixin:
    """For every form: what was submitted passes through `clean_text` before any field sees
    it, so a pasted line break is a newline and a NUL or \\x01 is gone, never a refusal (Django's
    own check refuses a NUL) nor a broken export. Put it first among the bases
    (`class NotesForm(CleanTextMixin, forms.ModelForm)`)."""

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(None if data is None else cleaned_input(data), *args, **kwargs)


class CleanTextModelForm(CleanTextMixin, forms.ModelForm):
    """The base form of every admin page and inline (`form = CleanTextModelForm`)."""
