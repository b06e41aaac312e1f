"""Thermometer 2.0: re-assessments, comparison, trend, and history that never changes."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments.comparison import compare
from assessments.models import Assessment, Criterion, ModelVersion
from assessments.selectors import assessment_results
from assessments.services import (
    assessment_finalise,
    changed_without_explanation,
    reassessment_start,
    version_clone,
    version_publish,
)
from reports.tests.test_downloads import download


def tick(score, *levels):
    criteria = Criterion.objects.filter(version=score.assessment.version, level__number__in=levels)
    score.criteria_met.add(*[c for c in criteria if c.process_id in (None, score.process_id)])


def level_of(assessment, key):
    _catalogue, results = assessment_results(assessment)
    return next(item.result for item in results if item.score.process.key == key)


@pytest.fixture
def final_baseline(baseline):
    """marketing at level 2 with ambition 4; sales at level 1 with ambition 2."""
    marketing = baseline.scores.get(process__key="marketing")
    tick(marketing, 2)
    baseline.scores.filter(process__key="marketing").update(
        ambition_level=4, ambition_reason="Grow"
    )
    baseline.scores.filter(process__key="sales").update(ambition_level=2)
    baseline.scores.update(scored_at=timezone.now())  # the workshop scored every process
    assessment_finalise(assessment=baseline)
    baseline.refresh_from_db()
    return baseline


def test_reassessment_copies_scope_ambitions_and_answers(final_baseline, alice):
    again = reassessment_start(
        previous=final_baseline, version=final_baseline.version, copy_answers=True, by=alice
    )
    assert (again.kind, again.previous, again.status) == ("reassessment", final_baseline, "draft")
    old = {s.process.key: s for s in final_baseline.scores.all()}
    new = {s.process.key: s for s in again.scores.all()}
    assert set(new) == set(old)
    for key in old:
        assert new[key].ambition_level == old[key].ambition_level
        assert set(new[key].criteria_met.values_list("key", flat=True)) == set(
            old[key].criteria_met.values_list("key", flat=True)
        )
    assert new["marketing"].ambition_reason == "Grow"
    assert again.carried_over == {"copied_answers": True, "unmatched": []}

    fresh = reassessment_start(
        previous=final_baseline, version=final_baseline.version, copy_answers=False, by=alice
    )
    assert not fresh.scores.filter(criteria_met__isnull=False).exists()
    assert fresh.scores.get(process__key="marketing").ambition_level == 4


def test_a_reassessment_needs_a_final_previous_one(baseline, alice):
    with pytest.raises(ValidationError, match="starts from a final assessment"):
        reassessment_start(previous=baseline, version=baseline.version, copy_answers=True, by=alice)


def test_comparison_shows_deltas_gap_closed_and_criteria_newly_met(final_baseline, alice):
    again = reassessment_start(
        previous=final_baseline, version=final_baseline.version, copy_answers=True, by=alice
    )
    marketing = again.scores.get(process__key="marketing")
    tick(marketing, 3)
    sales = again.scores.get(process__key="sales")
    result = compare(final_baseline, again)
    changes = {change.key: change for change in result["changes"]}
    assert changes["marketing"].then.result.progress == 2.0
    assert changes["marketing"].now.result.progress == 3.0
    assert changes["marketing"].delta == 1.0
    assert changes["marketing"].gap_closed == 0.5  # from 2.0 towards ambition 4: half way
    assert changes["marketing"].level_changed
    newly = {criterion.key for criterion in changes["marketing"].newly_met}
    assert newly == set(
        Criterion.objects.filter(version=again.version, level__number=3)
        .filter(process__isnull=True)
        .values_list("key", flat=True)
    ) | set(
        Criterion.objects.filter(process=marketing.process, level__number=3).values_list(
            "key", flat=True
        )
    )
    assert changes["sales"].delta == 0.0
    assert changes["sales"].gap_closed == 0.0
    assert not changes["sales"].level_changed
    assert [s["key"] for s in result["radar_data"]["series"]] == ["previous", "current", "ambition"]
    assert sales.pk  # sales was carried over

    marketing.criteria_met.remove(*marketing.criteria_met.filter(level__number=2)[:1])
    lost = compare(final_baseline, again)["changes"][0]
    assert lost.key == "marketing"
    assert len(lost.lost) == 1


def test_a_changed_level_must_be_explained_before_final(final_baseline, alice, client):
    again = reassessment_start(
        previous=final_baseline, version=final_baseline.version, copy_answers=True, by=alice
    )
    marketing = again.scores.get(process__key="marketing")
    tick(marketing, 3)
    client.force_login(alice)
    grid = client.get(reverse("assessments:grid", args=[again.pk])).content.decode()
    assert "was 2. Experimenting" in grid
    assert "explain the change" in grid
    response = client.post(reverse("assessments:finalise", args=[again.pk]), follow=True)
    assert "Explain what changed in the organisation" in response.content.decode()
    again.refresh_from_db()
    assert not again.is_final
    marketing.change_explanation = "Policy published and trained"
    marketing.save()
    client.post(reverse("assessments:finalise", args=[again.pk]))
    again.refresh_from_db()
    assert again.is_final


def test_a_save_in_a_reassessment_shows_the_previous_level_beside_the_row(
    final_baseline, alice, client, django_assert_max_num_queries
):
    again = reassessment_start(
        previous=final_baseline, version=final_baseline.version, copy_answers=True, by=alice
    )
    marketing = again.scores.get(process__key="marketing")
    level_three = [
        c.pk
        for c in Criterion.objects.filter(version=again.version, level__number__in=[2, 3])
        if c.process_id in (None, marketing.process_id)
    ]
    client.force_login(alice)
    client.get(reverse("assessments:grid", args=[again.pk]))  # the model version is loaded
    url = reverse("assessments:score_save", args=[again.pk, marketing.pk])
    data = {"revision": marketing.revision, "ambition_level": 4, "criteria": level_three}
    with django_assert_max_num_queries(19):  # the previous result of the one process: 3 more
        answer = client.post(url, data, HTTP_HX_REQUEST="true").content.decode()
    assert "was 2. Experimenting" in answer
    assert "explain the change" in answer
    marketing.refresh_from_db()
    data = {
        "revision": marketing.revision,
        "ambition_level": 4,
        "criteria": level_three,
        "change_explanation": "Policy published and trained",
    }
    answer = client.post(url, data, HTTP_HX_REQUEST="true").content.decode()
    assert "was 2. Experimenting" in answer
    assert "explain the change" not in answer


def test_a_previous_assessment_of_another_organisation_is_refused(
    final_baseline, alice, other_organisation, smg_version
):
    from assessments.services import assessment_start

    again = reassessment_start(
        previous=final_baseline, version=final_baseline.version, copy_answers=True, by=alice
    )
    foreign = assessment_start(organisation=other_organisation, version=smg_version, by=alice)
    again.previous = foreign
    with pytest.raises(ValidationError) as refused:
        again.full_clean()
    assert "same organisation" in str(refused.value)


def test_moving_to_a_newer_version_keeps_matched_answers_and_lists_the_rest(
    final_baseline, alice, smg_version
):
    draft = version_clone(version=smg_version)
    dropped_criterion = final_baseline.scores.get(process__key="marketing").criteria_met.first()
    draft.criteria.filter(key=dropped_criterion.key).delete()
    draft.criteria.filter(process__key="production").delete()
    draft.processes.filter(key="production").delete()
    newer = version_publish(version=draft)

    again = reassessment_start(previous=final_baseline, version=newer, copy_answers=True, by=alice)
    assert again.version == newer
    marketing = again.scores.get(process__key="marketing")
    old = set(
        final_baseline.scores.get(process__key="marketing").criteria_met.values_list(
            "key", flat=True
        )
    )
    assert set(marketing.criteria_met.values_list("key", flat=True)) == old - {
        dropped_criterion.key
    }
    assert all(c.version_id == newer.pk for c in marketing.criteria_met.all())
    unmatched = again.carried_over["unmatched"]
    assert any("Production" in line for line in unmatched)
    assert any(dropped_criterion.key in line for line in unmatched)
    assert not again.scores.filter(process__key="production").exists()


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_pdf_of_a_reassessment_holds_comparison_trend_and_roadmap_delivery(
    final_baseline, alice, client
):
    from roadmaps.models import RoadmapItem
    from roadmaps.quarters import Quarter
    from roadmaps.services import roadmap_create, roadmap_draft

    roadmap = roadmap_create(assessment=final_baseline, start=Quarter.of(2027, 1))
    roadmap_draft(roadmap=roadmap, by=alice)
    RoadmapItem.objects.filter(roadmap=roadmap, criterion__level__number=3).update(status="done")
    again = reassessment_start(
        previous=final_baseline,
        version=final_baseline.version,
        copy_answers=True,
        by=alice,
        assessed_on="2027-12-01",
    )
    tick(again.scores.get(process__key="marketing"), 3)
    again.scores.filter(process__key="marketing").update(change_explanation="Policy in place")
    client.force_login(alice)
    response = download(client, reverse("reports:pdf", args=[again.pk]), {"lang": "en"})
    text = pdf_text(response.content)
    assert "Compared with the previous assessment" in text
    assert "Marketing 2. Experimenting (2.0) 3. Structured (3.0) +1.0 4. Integrated 50%" in text
    assert "What changed: Policy in place" in text
    assert "Did the roadmap deliver?" in text
    assert "Marketing 3 3 ✓ yes" in text
    assert "Trend" in text
    assert "Dec. 1, 2027" in text  # the chart's axis and the table, as the reader writes dates
    assert "2027-12-01" not in text

    url = reverse("reports:pdf", args=[again.pk])
    dutch = pdf_text(download(client, url, {"lang": "nl"}).content)
    assert "Vergeleken met het vorige assessment" in dutch
    assert "1 december 2027" in dutch
    assert "2027-12-01" not in dutch


def test_history_never_changes_when_the_model_is_edited(final_baseline, alice, client, smg_version):
    client.force_login(alice)
    url = reverse("reports:pdf", args=[final_baseline.pk])
    before_pdf = pdf_text(download(client, url, {"lang": "en"}).content)
    before = {
        s.process.key: level_of(final_baseline, s.process.key).level
        for s in final_baseline.scores.all()
    }

    draft = version_clone(version=smg_version)
    easier = draft.criteria.filter(level__number=2, process__isnull=True)
    easier.exclude(pk=easier.first().pk).delete()  # level 2 gets easier in version 2
    level = draft.levels.get(number=2)
    level.name_en = "Renamed level"
    level.save()
    version_publish(version=draft)

    final_baseline.refresh_from_db()
    assert final_baseline.version == smg_version
    after = {
        s.process.key: level_of(final_baseline, s.process.key).level
        for s in final_baseline.scores.all()
    }
    assert after == before
    assert pdf_text(download(client, url, {"lang": "en"}).content) == before_pdf
    assert ModelVersion.objects.published().count() == 2


@pytest.mark.parametrize(
    ("language", "then", "now"),
    [("en", "Oct. 15, 2026", "Dec. 1, 2027"), ("nl", "15 oktober 2026", "1 december 2027")],
)
def test_reassessment_compare_and_trend_pages_show_dates_in_the_language(
    final_baseline, alice, client, language, then, now
):
    """Dates shown follow the language, never ISO or US by accident; the date picker keeps
    ISO, the only format it takes."""
    Assessment.objects.filter(pk=final_baseline.pk).update(assessed_on=datetime.date(2026, 10, 15))
    organisation = final_baseline.organisation
    client.force_login(alice)
    headers = {"accept-language": language}

    url = reverse("assessments:reassessment_start", args=[organisation.pk])
    start = client.get(url, headers=headers).content.decode()
    assert f"{organisation.name}, {then})" in start  # the previous assessment, by name
    assert f'type="date" name="assessed_on" value="{timezone.localdate():%Y-%m-%d}"' in start
    response = client.post(
        url,
        {"version": final_baseline.version.pk, "copy_answers": "on", "assessed_on": "2027-12-01"},
        headers=headers,
    )
    again = Assessment.objects.get(previous=final_baseline)
    assert response.url == reverse("assessments:grid", args=[again.pk])
    assert again.assessed_on == datetime.date(2027, 12, 1)

    for name in ("compare", "trend"):
        html = client.get(reverse(f"assessments:{name}", args=[organisation.pk]), headers=headers)
        html = html.content.decode()
        assert then in html, name
        assert now in html, name
        assert "2026-10-15" not in html, name
        assert "10/15/2026" not in html, name
    figure = client.get(reverse("assessments:trend", args=[organisation.pk]), headers=headers)
    assert f'"x": ["{then}", "{now}"]' in figure.content.decode()


def test_compare_and_trend_pages(
    final_baseline, alice, bob, charlie, client, django_assert_max_num_queries
):
    again = reassessment_start(
        previous=final_baseline, version=final_baseline.version, copy_answers=True, by=alice
    )
    tick(again.scores.get(process__key="marketing"), 3)
    client.force_login(bob)
    organisation = final_baseline.organisation
    with django_assert_max_num_queries(20):
        html = client.get(reverse("assessments:compare", args=[organisation.pk])).content.decode()
    assert 'data-testid="delta">+1.0' in html
    assert 'id="compare-radar-figure"' in html
    for _ in range(3):
        reassessment_start(
            previous=final_baseline, version=final_baseline.version, copy_answers=True, by=alice
        )
    with django_assert_max_num_queries(14):
        html = client.get(reverse("assessments:trend", args=[organisation.pk])).content.decode()
    assert html.count("Re-assessment") >= 4
    assert 'id="trend-figure"' in html

    other = Assessment.objects.create(
        organisation=charlie.memberships.get().organisation, version=final_baseline.version
    )
    url = reverse("assessments:compare", args=[organisation.pk])
    assert client.get(url, {"earlier": other.pk}).status_code == 404
    assert client.get(url, {"later": "x"}).status_code == 404


def test_a_reassessment_carries_over_consensus_ambitions_and_aspects(
    baseline, alice, client, smg_version
):
    """Sales had a consensus level 3 (over its computed 1) and the aspects were recorded: the
    re-assessment starts from all of it, and an unchanged process asks for no explanation."""
    from assessments.models import AspectCheck
    from assessments.services import aspects_save, score_save

    sales = baseline.scores.get(process__key="sales")
    score_save(
        assessment_id=baseline.pk,
        score_id=sales.pk,
        by=alice,
        values={
            "override_level": 3,
            "override_reason": "The team agreed on 3",
            "ambition_level": 4,
            "ambition_reason": "Grow online",
        },
    )
    aspects_save(
        assessment=baseline,
        values={"data-escrow": {"status": "missing", "note": "No agreement yet", "revision": 0}},
        by=alice,
    )
    baseline.scores.update(scored_at=timezone.now())
    assessment_finalise(assessment=baseline)
    again = reassessment_start(previous=baseline, version=smg_version, copy_answers=True, by=alice)
    carried = again.scores.get(process__key="sales")
    assert (carried.override_level, carried.override_reason, carried.override_carried_over) == (
        3,
        "The team agreed on 3",
        True,
    )
    assert (carried.ambition_level, carried.ambition_reason) == (4, "Grow online")
    aspect = AspectCheck.objects.get(assessment=again, aspect="data-escrow")
    assert (aspect.status, aspect.note) == ("missing", "No agreement yet")
    assert len(carried.history.all()) == 1  # one audit record, with the criteria

    client.force_login(alice)
    grid = client.get(reverse("assessments:grid", args=[again.pk])).content.decode()
    assert "explain the change" not in grid
    assert "consensus, carried over" in grid
    assert changed_without_explanation(again) == []
    # A new consensus is no longer "carried over".
    score_save(
        assessment_id=again.pk,
        score_id=carried.pk,
        by=alice,
        values={"override_level": 4, "override_reason": "Integrated now"},
    )
    carried.refresh_from_db()
    assert not carried.override_carried_over
