"""Model versions as YAML: round trip, and malformed files refused by line and field."""

import io
import textwrap

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
    ],
    ids=lambda value: value[:40] if value.startswith(("line", "file", "dim")) else "",
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
