"""An organisation as JSON: a round trip keeps everything; a bad file writes nothing."""

import copy
import io
import json
import re
import tracemalloc

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from assessments.models import (
    AspectCheck,
    Assessment,
    Membership,
    NotApplicable,
    Organisation,
    ProcessScore,
)
from assessments.selectors import assessment_results
from backups.organisation_json import (
    OrganisationFileError,
    organisation_import,
    organisation_to_data,
)
from backups.reading import organisation_file_load
from roadmaps.models import RoadmapItem
from roadmaps.quarters import Quarter
from roadmaps.services import roadmap_create, roadmap_draft


def enrich(assessment: Assessment) -> Organisation:
    """The demo organisation with aspects and a roadmap."""
    AspectCheck.objects.create(
        assessment=assessment, aspect="privacy-ip", status="partial", note="DPIA"
    )
    roadmap_draft(roadmap=roadmap_create(assessment=assessment, start=Quarter.of(2027, 1)), by=None)
    assessment.scores.filter(process__key="sales").update(
        override_level=3, override_reason="Team", override_carried_over=True
    )
    marketing = assessment.scores.get(process__key="marketing")
    policy = assessment.version.criteria.get(key="l3-policy")
    NotApplicable.objects.create(score=marketing, criterion=policy, reason="Group policy")
    assessment.scores.filter(pk=marketing.pk).update(
        team_vote={"count": 4, "median": 3, "spread": 1, "wide": False}
    )
    return assessment.organisation


@pytest.fixture
def rich(demo_data):
    return enrich(Assessment.objects.get())


@pytest.fixture(scope="module")
def rich_backup(django_db_setup, django_db_blocker):
    """A backup of `rich`, made once for the tests that spoil a copy: the data it was made
    from is rolled back, the SMG model it refers to stays."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        data = organisation_to_data(enrich(Assessment.objects.get()))
        transaction.set_rollback(True)
    return data


@pytest.fixture
def backup(db, rich_backup):
    return copy.deepcopy(rich_backup)


def results_of(organisation):
    assessment = organisation.assessments.get()
    _catalogue, results = assessment_results(assessment)
    return [
        (i.score.display_name, i.result.level, i.result.progress, i.result.ambition)
        for i in results
    ]


def test_backup_and_restore_round_trip(rich, tmp_path):
    path = tmp_path / "demo.json"
    call_command("backup_organisation", rich.name, "-o", str(path), stdout=io.StringIO())
    before = organisation_to_data(rich)
    call_command("restore_organisation", str(path), "--rename", "Demo Copy", stdout=io.StringIO())
    copy = Organisation.objects.get(name="Demo Copy")
    after = organisation_to_data(copy)
    after["organisation"]["name"] = before["organisation"]["name"]
    assert after == before
    assert results_of(copy) == results_of(rich)
    assert RoadmapItem.objects.filter(roadmap__assessment__organisation=copy).count() == (
        RoadmapItem.objects.filter(roadmap__assessment__organisation=rich).count()
    )
    # What "not scored", "does not apply", the team's vote and a carried-over consensus are
    # survives, and each restored process starts its audit trail with one record.
    scores = {s.process.key: s for s in ProcessScore.objects.filter(assessment__organisation=copy)}
    assert [s.is_scored for s in scores.values()] == [
        s.is_scored for s in ProcessScore.objects.filter(assessment__organisation=rich)
    ]
    assert not scores["production"].is_scored
    assert dict(scores["marketing"].exclusions.values_list("criterion__key", "reason")) == {
        "l3-policy": "Group policy"
    }
    assert scores["marketing"].team_vote["median"] == 3
    assert scores["sales"].override_carried_over
    assert all(score.history.count() == 1 for score in scores.values())
    record = scores["marketing"].history.get()
    assert list(record.not_applicable.values_list("reason", flat=True)) == ["Group policy"]


def counts():
    return (
        Organisation.objects.count(),
        Membership.objects.count(),
        Assessment.objects.count(),
        ProcessScore.objects.count(),
        RoadmapItem.objects.count(),
    )


def score(data, index=0):
    return data["assessments"][0]["scores"][index]


def item(data):
    return data["assessments"][0]["roadmap"]["items"][-1]


def nested(depth: int):
    value = 1
    for _ in range(depth):
        value = {"a": value}
    return value


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="other"), "$.format: expected 'dvo-organisation/1'"),
        (
            lambda d: d["organisation"].pop("report_language"),
            "$.organisation.report_language: missing",
        ),
        (lambda d: d["assessments"][0].update(version=9), "model smg version 9 is not published"),
        (
            lambda d: d["assessments"][0]["scores"][0].update(process="nope"),
            "$.assessments[0].scores[0].process: unknown process 'nope'",
        ),
        (
            lambda d: d["assessments"][0]["scores"][2]["criteria_met"].append("l9-x"),
            "unknown criterion 'l9-x'",
        ),
        (
            lambda d: d["assessments"][0]["scores"][1].update(ambition_level="high"),
            "$.assessments[0].scores[1].ambition_level: expected a whole number",
        ),
        (lambda d: d["assessments"][0].update(assessed_on="15-10-2026"), "expected a date"),
        (
            lambda d: d["assessments"][0]["roadmap"]["items"][-1].update(end_quarter=1),
            "ends before it starts",
        ),
        (
            lambda d: d["assessments"][0]["roadmap"]["items"][-1].update(status="finished"),
            "is not a valid choice",
        ),
        # Numbers must fit their column: SQLite stored an order of 40000 that PostgreSQL
        # refuses, and 2**70 overflowed SQLite.
        (
            lambda d: d["assessments"][0].update(version=2**70),
            "$.assessments[0].version: expected a whole number from 1 to 2147483647",
        ),
        (
            lambda d: score(d).update(order=40_000),
            "$.assessments[0].scores[0].order: expected a whole number from 0 to 32767",
        ),
        (
            lambda d: score(d).update(order=-1),
            "$.assessments[0].scores[0].order: expected a whole number from 0 to 32767",
        ),
        (
            lambda d: score(d).update(override_level=2**70),
            "$.assessments[0].scores[0].override_level: expected a whole number from 1 to 9",
        ),
        (
            lambda d: item(d).update(target_level=0),
            "target_level: expected a whole number from 1 to 9",
        ),
        (
            lambda d: d["assessments"][0]["roadmap"].update(start_quarter=2**40),
            "$.assessments[0].roadmap.start_quarter: expected a whole number from 0 to 2147483647",
        ),
        (lambda d: d["assessments"][0].update(ref=True), "$.assessments[0].ref: expected a whole"),
        # Wrong types.
        (
            lambda d: score(d).update(criteria_met=[{}]),
            "$.assessments[0].scores[0].criteria_met[0]: expected text",
        ),
        (
            lambda d: score(d).update(criteria_met="l2-pilots"),
            "$.assessments[0].scores[0].criteria_met: expected a list",
        ),
        (lambda d: d.update(scope={}), "$.scope: expected a list"),
        (lambda d: d.update(organisation=[]), "$.organisation: expected an object"),
        (
            lambda d: d["assessments"][0]["scores"].__setitem__(1, []),
            "$.assessments[0].scores[1]: expected an object",
        ),
        (
            lambda d: score(d).update(override_carried_over=1),
            "$.assessments[0].scores[0].override_carried_over: expected true or false",
        ),
        (lambda d: score(d).update(notes=["a"]), "$.assessments[0].scores[0].notes: expected text"),
        # Keys with a control character are refused (free text is cleaned, see below).
        (
            lambda d: score(d).update(process="market\x00ing"),
            "$.assessments[0].scores[0].process: holds a control character (such as NUL), which "
            "a key cannot have",
        ),
        (
            lambda d: d["members"][0].update(username="consultant\x00"),
            "$.members[0].username: holds a control character",
        ),
        (
            lambda d: score(d).update(notes="\ud800"),
            "$.assessments[0].scores[0].notes: holds half of a UTF-16 surrogate pair",
        ),
        # Stored as JSON: PostgreSQL's jsonb takes no NaN; nesting is bounded.
        (
            lambda d: score(d).update(team_vote={"median": float("nan")}),
            "not valid JSON: NaN is not a number JSON allows",
        ),
        (lambda d: score(d).update(team_vote=nested(40)), "$: nested more than 32 levels deep"),
    ],
)
def test_a_malformed_backup_is_refused_by_place_and_writes_nothing(
    backup, tmp_path, change, message
):
    data = backup
    change(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    before = counts()
    with pytest.raises(CommandError) as error:
        call_command("restore_organisation", str(path), "--rename", "Broken")
    assert message in str(error.value)
    assert counts() == before


def test_restoring_over_an_existing_name_and_broken_json_are_refused(rich, tmp_path):
    path = tmp_path / "same.json"
    path.write_text(json.dumps(organisation_to_data(rich)), encoding="utf-8")
    with pytest.raises(
        CommandError, match=r"has an organisation named .* already; restore with --rename"
    ):
        call_command("restore_organisation", str(path))
    path.write_text('{"format": "dvo-organisation/1",', encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON: line 1"):
        call_command("restore_organisation", str(path))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b" \n", "the file is empty"),
        (b"\xff\xfe{}", "not UTF-8 text (the byte at position 0); save the file as UTF-8"),
        (b"[1, 2]", "$: expected an object"),
        (b'"a backup"', "$: expected an object"),
        (b'{"format": "dvo-organisation/1", "organisation": {"na', "not valid JSON: line 1, "),
        (b"[" * 5000 + b"]" * 5000, "$: nested more than 32 levels deep"),
        (b'{"a": ' * 5000 + b"1" + b"}" * 5000, "$: nested more than 32 levels deep"),
        # So deep that Python's json gives up (RecursionError).
        (b"[" * 100_000 + b"]" * 100_000, "$: nested more than 32 levels deep"),
        (b'{"format": ' + b"9" * 5000 + b"}", "not valid JSON: the number 9999"),
        (b'{"format": Infinity}', "not valid JSON: Infinity is not a number JSON allows"),
    ],
    ids=[
        "empty",
        "blank",
        "utf-16",
        "list",
        "string",
        "truncated",
        "5000-lists",
        "5000-objects",
        "100000-lists",
        "5000-digits",
        "infinity",
    ],
)
def test_a_file_that_is_no_backup_is_refused_with_a_message(db, tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    before = counts()
    with pytest.raises(CommandError) as error:
        call_command("restore_organisation", str(path), "--rename", "Broken")
    assert f"{path} was not restored: {message}" in str(error.value)
    assert counts() == before


def test_a_backup_over_the_size_limit_is_refused_before_it_is_read_whole(
    backup, tmp_path, settings
):
    path = tmp_path / "huge.json"
    with path.open("wb") as file:
        file.truncate(50 * 2**20)  # 50 MB, sparse on disk
    before = counts()
    tracemalloc.start()
    try:
        with pytest.raises(CommandError) as error:
            call_command("restore_organisation", str(path))
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(error.value) == (
        f"{path} was not restored: the file is larger than 10 MB, the most an import may be "
        "(setting IMPORT_MAX_BYTES)"
    )
    assert peak < 20 * 2**20
    settings.IMPORT_MAX_BYTES = 1000
    path.write_text(json.dumps(backup), encoding="utf-8")
    with pytest.raises(OrganisationFileError, match="larger than 1000 bytes"):
        organisation_file_load(path)
    assert counts() == before


def test_a_backup_with_control_characters_in_its_text_restores_them_cleaned(backup, tmp_path):
    """An old backup may hold a NUL (SQLite stored one) or Word's line break: the text is
    restored cleaned, the same on SQLite and PostgreSQL."""
    data = backup
    data["organisation"]["name"] = "Demo\x00 Copy"
    score(data)["notes"] = "Word\x0bline\x00 break"
    score(data)["team_vote"]["note"] = "a\x00b"
    data["assessments"][0]["aspects"][0]["note"] = "DP\x00IA\x0c"
    item(data)["title"] = "Train\x00 the team"
    data["scope"][0]["custom_name"] = "Mark\x00eting"
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    call_command("restore_organisation", str(path), stdout=io.StringIO(), stderr=io.StringIO())

    restored = organisation_to_data(Organisation.objects.get(name="Demo Copy"))
    assert score(restored)["notes"] == "Word\nline break"
    assert score(restored)["team_vote"]["note"] == "ab"
    assert restored["assessments"][0]["aspects"][0]["note"] == "DPIA\n"
    assert item(restored)["title"] == "Train the team"
    assert restored["scope"][0]["custom_name"] == "Marketing"


def test_the_library_refuses_what_a_json_file_cannot_carry(backup):
    """organisation_import takes data from anywhere: infinity, deep nesting, wrong types."""
    before = counts()
    cases = [
        (lambda d: score(d).update(team_vote={"median": float("inf")}), "expected a finite"),
        (lambda d: score(d).update(team_vote=nested(5000)), "nested more than 32 levels deep"),
        (lambda d: score(d).update(criteria_met=[["l2-pilots"]]), "criteria_met[0]: expected"),
        (lambda d: score(d).update(order=True), "scores[0].order: expected a whole number"),
    ]
    for change, message in cases:
        data = copy.deepcopy(backup)
        change(data)
        with pytest.raises(OrganisationFileError, match=re.escape(message)):
            organisation_import(data, rename="Broken")
        assert counts() == before


@pytest.mark.parametrize("name", ["99999999999999999999", "²", "9" * 5000])
def test_backup_of_an_id_beyond_the_column_finds_no_organisation(db, name):
    with pytest.raises(CommandError, match="No organisation"):
        call_command("backup_organisation", name)


def test_backup_and_restore_name_a_file_they_cannot_use(organisation, tmp_path):
    with pytest.raises(CommandError, match="No such file or directory"):
        call_command("backup_organisation", organisation.name, "-o", str(tmp_path / "no" / "x"))
    with pytest.raises(CommandError, match="No such file or directory"):
        call_command("restore_organisation", str(tmp_path / "missing.json"))


def test_a_name_another_tenant_uses_restores_and_a_backup_by_name_asks_which(rich, tmp_path):
    """Names are unique per user only: a client of the same name elsewhere does not stop a
    restore whose members do not see it, and a backup by an ambiguous name asks for the id."""
    from assessments.models import Membership, Organisation

    data = organisation_to_data(rich)
    data["members"] = []  # restored without the members who see the original
    path = tmp_path / "elsewhere.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    call_command("restore_organisation", str(path), stdout=io.StringIO())
    twins = Organisation.objects.filter(name=rich.name)
    assert twins.count() == 2
    assert not Membership.objects.filter(organisation__in=twins.exclude(pk=rich.pk)).exists()
    with pytest.raises(CommandError, match="give the id instead of the name"):
        call_command("backup_organisation", rich.name, stdout=io.StringIO())
    out = io.StringIO()
    call_command("backup_organisation", str(rich.pk), stdout=out)
    assert json.loads(out.getvalue())["organisation"]["name"] == rich.name


def test_units_their_assessments_and_a_managers_limit_survive_a_round_trip(demo_data):
    from assessments.services import assessment_finalise, reassessment_start
    from units.models import UnitAssessment, UnitRestriction
    from units.services import unit_assessment_start, unit_create

    organisation = Organisation.objects.get()
    consultant = organisation.memberships.get(role="consultant").user
    north = unit_create(organisation=organisation, name="North", kind="region")
    unit_create(organisation=organisation, name="North-West", kind="region", parent=north)
    version = organisation.assessments.get().version
    baseline = unit_assessment_start(
        unit=north, version=version, by=consultant, process_keys=["marketing", "sales"]
    )
    assessment_finalise(assessment=baseline)
    reassessment_start(previous=baseline, version=version, copy_answers=True, by=consultant)
    manager = organisation.memberships.get(role="manager")
    UnitRestriction.objects.create(membership=manager, unit=north)

    data = organisation_to_data(organisation)
    assert [u["name"] for u in data["units"]] == ["North", "North-West"]
    assert [a["unit"] for a in data["assessments"]] == [None, "North", "North"]
    manager.user.memberships.all().delete()  # the restored copy has the manager alone
    Membership.objects.create(organisation=organisation, user=manager.user, role="manager")
    copy, warnings = organisation_import(json.loads(json.dumps(data)), rename="Demo Units")
    assert not warnings
    after = organisation_to_data(copy)
    assert after["units"] == data["units"]
    assert [a["unit"] for a in after["assessments"]] == [None, "North", "North"]
    assert after["unit_limits"] == [{"username": manager.user.username, "unit": "North"}]
    assert UnitAssessment.objects.filter(assessment__organisation=copy).count() == 2


def test_a_backup_naming_an_unknown_unit_is_refused_and_writes_nothing(backup):
    backup["units"] = [{"name": "North", "kind": "region", "parent": None}]
    backup["assessments"][0]["unit"] = "South"
    with pytest.raises(OrganisationFileError, match=r"assessments\[0\]\.unit.*unknown unit"):
        organisation_import(backup, rename="Broken Units")
    assert not Organisation.objects.filter(name="Broken Units").exists()
