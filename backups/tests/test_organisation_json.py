"""An organisation as JSON: a round trip keeps everything; a bad file writes nothing."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from assessments.models import AspectCheck, Assessment, NotApplicable, Organisation, ProcessScore
from assessments.selectors import assessment_results
from backups.organisation_json import organisation_to_data
from roadmaps.models import RoadmapItem
from roadmaps.quarters import Quarter
from roadmaps.services import roadmap_create, roadmap_draft


@pytest.fixture
def rich(demo_data):
    """The demo organisation with aspects and a roadmap."""
    assessment = Assessment.objects.get()
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
        Assessment.objects.count(),
        ProcessScore.objects.count(),
        RoadmapItem.objects.count(),
    )


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
            "$.assessments[0].scores[1].ambition_level: expected int",
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
    ],
)
def test_a_malformed_backup_is_refused_by_place_and_writes_nothing(rich, tmp_path, change, message):
    data = organisation_to_data(rich)
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
    with pytest.raises(CommandError, match="exists already"):
        call_command("restore_organisation", str(path))
    path.write_text('{"format": "dvo-organisation/1",', encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON: line 1"):
        call_command("restore_organisation", str(path))
