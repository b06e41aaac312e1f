"""The manager's start page: the latest final assessment (a draft only when the consultant
shares it) with its radar, what changed since the previous measurement and the largest gaps;
and the consultant's switch that shares a draft."""

import datetime
import json
import re

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, BusinessProcess, Criterion, Membership, ProcessScore
from assessments.services import assessment_start, organisation_create, reassessment_start


def set_level(assessment, key: str, level: int, ambition: int | None = None) -> None:
    """Score process `key` at `level`: every criterion of the levels 2..level met."""
    score = assessment.scores.get(process__key=key)
    met = Criterion.objects.filter(
        Q(process=None) | Q(process=score.process_id),
        version=assessment.version_id,
        level__number__range=(2, level),
    ).values_list("pk", flat=True)
    through = ProcessScore.criteria_met.through  # rows at once, as score_save writes them
    through.objects.filter(processscore=score).delete()
    through.objects.bulk_create(through(processscore=score, criterion_id=pk) for pk in met)
    ProcessScore.objects.filter(pk=score.pk).update(
        scored_at=timezone.now(), ambition_level=ambition
    )


def make_final(assessment) -> Assessment:
    # As Mark final leaves it; the re-assessment's explanations of each change are not the
    # subject here.
    Assessment.objects.filter(pk=assessment.pk).update(
        status=Assessment.Status.FINAL, finalised_at=timezone.now()
    )
    assessment.refresh_from_db()
    return assessment


def measured(organisation, consultant, *, final_again: bool = True):
    """A final baseline of 12 October 2026 and a re-assessment of 3 March 2027 (final unless
    told otherwise). Levels before → now: marketing 2 → 3, sales 3 → 3, innovation 1 → 2,
    production not scored → 2; ambitions 4, 3, 5, 4."""
    version = organisation.processes.first().process.version
    baseline = assessment_start(
        organisation=organisation,
        version=version,
        by=consultant,
        assessed_on=datetime.date(2026, 10, 12),
    )
    for key, level, ambition in (("marketing", 2, 4), ("sales", 3, 3), ("innovation", 1, 5)):
        set_level(baseline, key, level, ambition)
    make_final(baseline)
    again = reassessment_start(
        previous=baseline,
        version=version,
        copy_answers=False,
        by=consultant,
        assessed_on=datetime.date(2027, 3, 3),
    )
    for key, level, ambition in (
        ("marketing", 3, 4),
        ("sales", 3, 3),
        ("innovation", 2, 5),
        ("production", 2, 4),
    ):
        set_level(again, key, level, ambition)
    if final_again:
        make_final(again)
    return baseline, again


def radar_series(html: str, organisation) -> list[str]:
    found = re.search(
        rf'<script id="radar-{organisation.pk}" type="application/json">(.*?)</', html
    )
    return [trace["meta"] for trace in json.loads(found.group(1))["data"]]


def text_of(html: str, testid: str) -> str:
    found = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</(ol|div)>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def test_manager_sees_the_latest_final_assessment_its_changes_and_gaps(
    client, alice, bob, organisation
):
    _baseline, again = measured(organisation, alice)
    client.force_login(bob)
    html = client.get("/").content.decode()
    assert "Latest: re-assessment of March 3, 2027" in html
    assert 'data-testid="home-draft"' not in html
    assert radar_series(html, organisation) == ["previous", "current", "ambition"]
    assert reverse("reports:pdf", args=[again.pk]) in html
    changes = text_of(html, "home-changes")
    assert "Compared with the baseline of Oct. 12, 2026." in changes
    assert "Median level: 2 → 2.5." in changes  # (1, 2, 3) then (2, 2, 3, 3)
    assert "Marketing: 2 → 3" in changes
    assert "Innovation: 1 → 2" in changes
    assert "Production: — → 2" in changes
    assert "Sales" not in changes  # unchanged
    # Gaps: innovation 3, production 2, marketing 1; sales meets its ambition.
    assert text_of(html, "home-gaps") == (
        "Innovation: level 2, ambition 5 (gap 3) "
        "Production: level 2, ambition 4 (gap 2) "
        "Marketing: level 3, ambition 4 (gap 1)"
    )
    # The consultant's start page is the portfolio dashboard (portfolio/tests): the latest
    # assessment per client; every assessment is on the organisation's page.
    client.force_login(alice)
    html = client.get("/").content.decode()
    assert 'data-testid="home-radar"' not in html
    assert 'data-testid="dashboard"' in html
    assert reverse("assessments:grid", args=[again.pk]) in html


def test_a_draft_is_shown_only_when_shared_and_then_marked_not_final(
    client, alice, bob, organisation
):
    client.force_login(bob)
    draft = assessment_start(
        organisation=organisation, version=organisation.processes.first().process.version, by=alice
    )
    html = client.get("/").content.decode()
    assert "No final assessment yet." in html
    assert 'data-testid="home-radar"' not in html
    assert reverse("reports:pdf", args=[draft.pk]) not in html
    draft.delete()

    _baseline, again = measured(organisation, alice, final_again=False)
    html = client.get("/").content.decode()
    assert "Latest: baseline of Oct. 12, 2026" in html  # the draft re-assessment is not shown
    assert "This is the first measurement." in html
    assert 'data-testid="home-draft"' not in html
    assert radar_series(html, organisation) == ["current", "ambition"]

    Assessment.objects.filter(pk=again.pk).update(shared_with_managers=True)
    html = client.get("/").content.decode()
    assert "Latest: re-assessment of March 3, 2027" in html
    assert re.search(r'data-testid="home-draft">Draft — not final<', html)
    assert "Marketing: 2 → 3" in text_of(html, "home-changes")


def test_consultant_shares_and_unshares_a_draft(client, alice, baseline):
    client.force_login(alice)
    grid = reverse("assessments:grid", args=[baseline.pk])
    url = reverse("assessments:share", args=[baseline.pk])
    assert "Show this draft to the organisation's managers" in client.get(grid).content.decode()

    response = client.post(url, {"shared": "1"}, follow=True)
    assert response.redirect_chain == [(grid, 302)]
    baseline.refresh_from_db()
    assert baseline.shared_with_managers
    html = response.content.decode()
    assert "The managers now see this draft on their start page" in html
    assert 'data-testid="shared">Shown to the managers<' in html
    assert "Hide this draft from the managers" in html

    response = client.post(url, {"shared": "0"}, follow=True)
    baseline.refresh_from_db()
    assert not baseline.shared_with_managers
    assert "The managers no longer see this draft." in response.content.decode()
    assert 'data-testid="shared"' not in response.content.decode()


def test_a_final_assessment_needs_no_sharing(client, alice, baseline):
    make_final(baseline)
    client.force_login(alice)
    response = client.post(
        reverse("assessments:share", args=[baseline.pk]), {"shared": "1"}, follow=True
    )
    assert "A final assessment is shown to the managers already." in response.content.decode()
    assert 'data-testid="share"' not in response.content.decode()
    baseline.refresh_from_db()
    assert not baseline.shared_with_managers


def test_a_manager_cannot_share_and_an_outsider_gets_404(client, bob, charlie, baseline):
    url = reverse("assessments:share", args=[baseline.pk])
    client.force_login(bob)
    assert client.post(url, {"shared": "1"}).status_code == 403
    assert (
        'data-testid="share"'
        not in client.get(reverse("assessments:grid", args=[baseline.pk])).content.decode()
    )
    client.force_login(charlie)
    assert client.post(url, {"shared": "1"}).status_code == 404
    assert client.get(url).status_code == 405
    baseline.refresh_from_db()
    assert not baseline.shared_with_managers


@pytest.mark.parametrize("count", [3, 12])
def test_the_start_page_does_not_grow_in_queries_with_organisations(
    client, make_user, smg_version, django_assert_max_num_queries, count
):
    consultant, manager = make_user("claire"), make_user("mark")
    keys = ("marketing", "sales", "innovation", "production")  # what `measured` scores
    processes = list(BusinessProcess.objects.filter(version=smg_version, key__in=keys))
    for number in range(count):
        organisation = organisation_create(
            name=f"Client {number:02}",
            report_language="en",
            processes=processes,
            consultant=consultant,
        )
        Membership.objects.create(organisation=organisation, user=manager, role="manager")
        measured(organisation, consultant, final_again=number % 2 == 0)
    client.force_login(manager)
    # The session and user (2), the organisations and their count (2), the memberships (1),
    # the assessments shown with their predecessors (1), the model's catalogue (4, cold cache),
    # their scores (3), the user's permissions (3), the brand (1), the organisations the
    # user consults (1: none, so no dashboard), when each is due (1): the same for 3 or 12.
    with django_assert_max_num_queries(20):
        html = client.get("/").content.decode()
    assert html.count('data-testid="organisation"') == count
    assert html.count('data-testid="home-radar"') == 3  # a few charts per page at most
    assert html.count('data-testid="home-gaps"') == count
    assert html.count("Latest: re-assessment of March 3, 2027") == (count + 1) // 2
    assert html.count("Latest: baseline of Oct. 12, 2026") == count // 2
