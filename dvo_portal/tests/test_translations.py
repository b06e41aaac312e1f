"""English and Dutch ship together: every marked string has a Dutch translation."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale" / "nl" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|\{\w*\}")


@pytest.fixture(scope="module")
def catalogue():
    return polib.pofile(str(LOCALE / "django.po"))


def test_every_dutch_entry_is_translated_and_none_is_fuzzy(catalogue):
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    assert len(catalogue.translated_entries()) > 100


def test_dutch_translations_keep_every_placeholder(catalogue):
    for entry in catalogue:
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for translation in translations:
            assert sorted(PLACEHOLDER.findall(translation)) == sorted(
                PLACEHOLDER.findall(entry.msgid_plural or entry.msgid)
            ) or sorted(PLACEHOLDER.findall(translation)) == sorted(
                PLACEHOLDER.findall(entry.msgid)
            ), entry.msgid


def test_compiled_catalogue_matches_the_source(catalogue):
    compiled = {entry.msgid: entry for entry in polib.mofile(str(LOCALE / "django.mo"))}
    for entry in catalogue.translated_entries():
        assert entry.msgid in compiled, f"django.mo is stale; run `make messages`: {entry.msgid}"
        if entry.msgid_plural:
            assert compiled[entry.msgid].msgstr_plural == entry.msgstr_plural
        else:
            assert compiled[entry.msgid].msgstr == entry.msgstr, entry.msgid


def test_catalogue_holds_every_string_marked_in_the_code(tmp_path, catalogue):
    """Extract the marked strings afresh (xgettext) and compare with the committed catalogue."""
    if shutil.which("xgettext") is None:
        pytest.fail("xgettext is missing: install Debian's gettext package (make test does)")
    base = Path(settings.BASE_DIR)
    copy = tmp_path / "project"
    shutil.copytree(
        base,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "staticfiles", "static", "test-artifacts", "*.sqlite3*", "__pycache__"
        ),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "nl", "--no-obsolete", "-v", "0"],
        cwd=copy,
        check=True,
    )
    fresh = polib.pofile(str(copy / "locale" / "nl" / "LC_MESSAGES" / "django.po"))
    missing = {entry.msgid for entry in fresh} - {entry.msgid for entry in catalogue}
    assert not missing, f"not in the Dutch catalogue; run `make messages`: {sorted(missing)}"
    untranslated = [entry.msgid for entry in fresh.untranslated_entries()]
    assert not untranslated, f"no Dutch translation yet: {untranslated}"
