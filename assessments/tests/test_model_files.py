"""Model versions as YAML: round trip, and malformed files refused by line and field."""

import io
import textwrap
import tracemalloc

import pytest
import yaml
from django.core.management import CommandError, call_command

from assessments.model_files import (
    SMG_MODEL_FILE,
    ModelFileError,
    parse_model_file,
    version_export,
    version_import,
    version_to_data,
)
from assessments.models import Criterion, Level, MaturityModel, ModelVersion

SMALL = textwrap.dedent(
    """\
    format: dvo-model/1
    model:
      key: tiny
      name: {en: Tiny, nl: Klein}
    version:
      number: 1
      status: draft
    levels:
      - {number: 1, key: one, name: {en: One, nl: Een}}
      - {number: 2, key: two, name: {en: Two, nl: Twee}}
      - {number: 3, key: three, name: {en: Three, nl: Drie}}
    dimensions:
      - {key: people, name: {en: People, nl: Mensen}}
    processes:
      - {key: sales, name: {en: Sales, nl: Verkoop}}
    criteria:
      - key: c2
        level: 2
        dimension: people
        text: {en: Someone owns it, nl: Iemand is eigenaar}
      - key: c3
        level: 3
        dimension: people
        process: sales
        text: {en: Sales uses it}
    """
)


def rows():
    return (
        ModelVersion.objects.count(),
        Level.objects.count(),
        Criterion.objects.count(),
        MaturityModel.objects.count(),
    )


def test_shipped_model_round_trips_through_export_and_import(smg_version):
    version = smg_version
    exported = version_export(version)
    # What is stored is what the shipped file says.
    assert parse_model_file(exported) == parse_model_file(
        SMG_MODEL_FILE.read_text(encoding="utf-8")
    )
    assert yaml.safe_load(exported) == version_to_data(version)

    # The same file under another number imports as an identical second version.
    data = yaml.safe_load(exported)
    data["version"]["number"] = 2
    copy = version_import(text=yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    again = version_to_data(copy)
    assert again["version"]["number"] == 2
    del again["version"], data["version"]
    assert again == data
    assert copy.is_published


def test_round_trip_of_a_small_draft_keeps_every_field(db):
    version = version_import(text=SMALL)
    assert version.status == ModelVersion.Status.DRAFT
    data = version_to_data(version)
    assert data["criteria"][1] == {
        "key": "c3",
        "level": 3,
        "dimension": "people",
        "process": "sales",
        "baseline": False,
        "text": {"en": "Sales uses it", "nl": ""},
    }
    assert parse_model_file(version_export(version)) == parse_model_file(SMALL)


def broken(old: str, new: str) -> str:
    assert old in SMALL
    return SMALL.replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (broken("  - {number: 2, key: two", "  -{number: 2 key two"), "line 10: not valid YAML"),
        (
            broken("version:\n", "version:\n  colour: red\n"),
            "line 6: version.colour: unknown field",
        ),
        (broken("level: 2\n", "level: 7\n"), "line 18: criteria[0].level: 7 is not a level"),
        (broken("level: 2\n", "level: 1\n"), "line 18: criteria[0].level: 1 is not a level"),
        (broken("level: 2\n", "level: two\n"), "line 18: criteria[0].level: expected a whole"),
        (broken("dimension: people\n", "dimension: tools\n"), "line 19: criteria[0].dimension"),
        (broken("process: sales", "process: hr"), "line 24: criteria[1].process: 'hr' is not"),
        (broken("key: c3", "key: c2"), "line 21: criteria[1].key: 'c2' is used twice"),
        (broken("key: c3", "key: C 3!"), "line 21: criteria[1].key: expected a key"),
        (broken("{number: 3, key", "{number: 4, key"), "line 11: levels[2].number"),
        (broken("{en: Two, nl: Twee}", "{nl: Twee}"), "line 10: levels[1].name.en: the English"),
        (broken("{en: Tiny, nl: Klein}", "{en: Tiny, fr: Petit}"), "line 4: model.name.fr"),
        (broken("format: dvo-model/1", "format: other/9"), "line 1: format: expected"),
        (broken("status: draft", "status: final"), "line 7: version.status"),
        (
            broken("dimensions:\n  - {key: people, name: {en: People, nl: Mensen}}\n", ""),
            "dimensions",
        ),
        (
            broken("model:\n  key: tiny\n", "model:\n  key: tiny\n  key: tinier\n"),
            "line 4: 'key' appears twice",
        ),
        ("- just\n- a list\n", "file: expected a mapping"),
        ("", "file: expected a mapping"),
        # Numbers must fit their column: SQLite took 2**70 as an OverflowError, PostgreSQL
        # a DataError.
        (
            broken("number: 1\n", f"number: {2**70}\n"),
            "line 6: version.number: expected a whole number from 1 to 2147483647",
        ),
        (
            broken("number: 1\n", "number: -1\n"),
            "line 6: version.number: expected a whole number from 1 to 2147483647",
        ),
        (broken("number: 1\n", "number: true\n"), "line 6: version.number: expected a whole"),
        (
            broken("{number: 1, key: one", "{number: 40000, key: one"),
            "line 9: levels[0].number: expected a whole number from 1 to 9",
        ),
        (
            broken("level: 2\n", f"level: {2**70}\n"),
            "line 18: criteria[0].level: expected a whole number from 1 to 9",
        ),
        (broken("number: 1\n", "number: 1" + "0" * 5000 + "\n"), "line 6: this number is too"),
        (
            broken("status: draft", "status: draft\n  notes: 2026-13-45"),
            "line 8: cannot read this value: month must be in 1..12",
        ),
        # Wrong types where a key of the model is expected.
        (broken("dimension: people\n", "dimension: [people]\n"), "line 19: criteria[0].dimension"),
        (broken("process: sales", "process: {key: sales}"), "line 24: criteria[1].process: "),
        (
            broken("key: tiny", "key: " + "t" * 51),
            "line 3: model.key: expected a key of lowercase letters, digits and hyphens (at most "
            "50)",
        ),
        (broken("key: c3", 'key: "c3\\n"'), "line 21: criteria[1].key: expected a key"),
        # Control characters: YAML refuses them raw; escaped, a surrogate cannot be stored.
        (
            broken("Sales uses it", "Sales\x00 uses it"),
            "line 25: the character U+0000 is not allowed in a model file",
        ),
        (
            broken("{en: Sales uses it}", '{en: "Sales \\ud800"}'),
            "line 25: criteria[1].text.en: holds half of a UTF-16 surrogate pair",
        ),
        ("format: dvo-model/1\nmodel: " + "[" * 5000 + "]" * 5000, "nested too deeply"),
    ],
    ids=lambda value: value[:40] if value.startswith(("line", "file", "dim", "nest")) else "",
)
def test_malformed_file_is_refused_by_line_and_field_and_writes_nothing(db, text, expected):
    before = rows()
    with pytest.raises(ModelFileError) as error:
        version_import(text=text)
    assert expected in str(error.value)
    assert rows() == before


def test_every_problem_is_reported_at_once(db):
    text = broken("level: 2\n", "level: 9\n").replace(
        "dimension: people\n    process", "dimension: x\n    process"
    )
    with pytest.raises(ModelFileError) as error:
        version_import(text=text)
    assert len(error.value.problems) == 2


def test_import_over_a_published_version_is_refused_and_changes_nothing(db, tmp_path):
    published = SMALL.replace("status: draft", "status: published")
    version = version_import(text=published)
    before = version_to_data(version)
    changed = tmp_path / "changed.yaml"
    changed.write_text(published.replace("Sales uses it", "Changed"), encoding="utf-8")
    for extra in ([], ["--replace"]):
        with pytest.raises(CommandError, match="is published and cannot be changed"):
            call_command("import_model", str(changed), *extra)
    assert version_to_data(version) == before
    assert ModelVersion.objects.filter(model__key="tiny").count() == 1


def test_import_over_a_draft_needs_replace(db, tmp_path):
    version_import(text=SMALL)
    path = tmp_path / "draft.yaml"
    path.write_text(SMALL.replace("Sales uses it", "Sales relies on it"), encoding="utf-8")
    with pytest.raises(CommandError, match="--replace"):
        call_command("import_model", str(path))
    call_command("import_model", str(path), "--replace", stdout=io.StringIO())
    assert Criterion.objects.get(key="c3").text_en == "Sales relies on it"
    assert ModelVersion.objects.filter(model__key="tiny").count() == 1


def test_export_command_writes_a_file_the_import_command_reads(db, tmp_path):
    version_import(text=SMALL)
    path = tmp_path / "tiny.yaml"
    call_command("export_model", "tiny", "1", "-o", str(path), stdout=io.StringIO())
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["model"]["name"] == {"en": "Tiny", "nl": "Klein"}
    data["version"]["number"] = 2
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    call_command("import_model", str(path), stdout=io.StringIO())
    assert ModelVersion.objects.filter(model__key="tiny").count() == 2


def test_export_of_an_unknown_version_says_so(db):
    with pytest.raises(CommandError, match="No version 3 of model 'smg'"):
        call_command("export_model", "smg", "3")


def test_load_smg_model_is_idempotent(db):
    out = io.StringIO()
    call_command("load_smg_model", stdout=out)
    call_command("load_smg_model", stdout=out)
    assert "already loaded" in out.getvalue()
    assert ModelVersion.objects.count() == 1


def test_a_published_file_with_a_level_left_empty_for_a_process_is_refused(db):
    """SMALL has no level-3 criterion for a process other than sales."""
    text = SMALL.replace("status: draft", "status: published").replace(
        "  - {key: sales, name: {en: Sales, nl: Verkoop}}",
        "  - {key: sales, name: {en: Sales, nl: Verkoop}}\n  - {key: hr, name: {en: HR, nl: HR}}",
    )
    before = rows()
    with pytest.raises(ModelFileError) as refused:
        version_import(text=text)
    assert refused.value.problems == [
        "line 16: processes[1]: no criterion at level 3 for “hr”; a published version needs at "
        "least one at every level from 2 up for every process"
    ]
    assert rows() == before
    # As a draft it imports; publishing it in the admin names the same gap.
    draft = version_import(text=text.replace("status: published", "status: draft"))
    from assessments.services import version_problems

    assert any("“HR” has no criterion at level 3" in problem for problem in version_problems(draft))


def test_escaped_control_characters_are_imported_cleaned(db):
    """YAML refuses a raw control character, but "\\0" and "\\v" in quotes are text: Word's
    line break becomes a newline, the NUL goes (PostgreSQL could not store it)."""
    text = broken("{en: Sales uses it}", '{en: "Sales\\vuses\\0 it"}').replace(
        "status: draft", 'status: draft\n  notes: "First\\0 draft"'
    )
    version = version_import(text=text)
    assert Criterion.objects.get(version=version, key="c3").text_en == "Sales\nuses it"
    assert version.notes == "First draft"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "was not imported: the file is empty"),
        (b"\n  \n", "was not imported: the file is empty"),
        (
            "format: dvo-model/1\n".encode("utf-16"),
            "was not imported: not UTF-8 text (the byte at position 0); save the file as UTF-8",
        ),
        (
            SMALL.replace("Sales uses it", "Sales\x0buses it").encode(),
            "was not imported:\nline 25: the character U+000B is not allowed in a model file",
        ),
        (
            SMALL.replace("number: 1\n", f"number: {2**70}\n", 1).encode(),
            "line 6: version.number: expected a whole number from 1 to 2147483647",
        ),
    ],
    ids=["empty", "blank", "utf-16", "vertical-tab", "2**70"],
)
def test_import_command_refuses_a_bad_file_with_a_message(db, tmp_path, content, message):
    path = tmp_path / "model.yaml"
    path.write_bytes(content)
    before = rows()
    with pytest.raises(CommandError) as error:
        call_command("import_model", str(path))
    assert message in str(error.value)
    assert rows() == before


def test_a_file_over_the_size_limit_is_refused_before_it_is_read_whole(db, tmp_path, settings):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as file:
        file.truncate(50 * 2**20)  # 50 MB, sparse on disk
    before = rows()
    tracemalloc.start()
    try:
        with pytest.raises(CommandError) as error:
            call_command("import_model", str(path))
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (
        "the file is larger than 10 MB, the most an import may be (setting IMPORT_MAX_BYTES)"
        in (str(error.value))
    )
    assert peak < 20 * 2**20
    assert rows() == before

    settings.IMPORT_MAX_BYTES = 100
    path.write_text(SMALL, encoding="utf-8")
    with pytest.raises(CommandError, match="larger than 100 bytes"):
        call_command("import_model", str(path))
    with pytest.raises(ModelFileError, match="larger than 100 bytes"):
        version_import(text=SMALL)
    assert rows() == before


def test_import_of_a_missing_file_says_so(db, tmp_path):
    with pytest.raises(CommandError, match=r"missing\.yaml: No such file or directory"):
        call_command("import_model", str(tmp_path / "missing.yaml"))


def test_a_published_file_with_a_list_as_process_is_refused_with_a_message(db):
    """The check that every level has criteria for every process reads the same field."""
    text = SMALL.replace("status: draft", "status: published").replace(
        "process: sales", "process: [sales]"
    )
    before = rows()
    with pytest.raises(ModelFileError) as refused:
        version_import(text=text)
    assert refused.value.problems[0] == (
        "line 24: criteria[1].process: '['sales']' is not a process of this model"
    )
    assert rows() == before
