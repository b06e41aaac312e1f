"""The audit trail: an entry with who, when, old and new value for each kind of change."""

import pytest
from django.urls import reverse

from assessments.models import Criterion, Level, ProcessScore
from assessments.services import version_clone
from roadmaps.quarters import Quarter
from roadmaps.services import roadmap_create


def save_score(client, score, **changes):
    data = {
        "revision": score.revision,
        "criteria": [],
        "ambition_level": "",
        "override_level": "",
        "confidence": "",
    }
    data.update(changes)
    return client.post(
        reverse("assessments:score_save", args=[score.assessment_id, score.pk]),
        data,
        HTTP_HX_REQUEST="true",
    )


@pytest.fixture
def history(client, alice, baseline):
    client.force_login(alice)
    return lambda: client.get(reverse("reports:history", args=[baseline.pk])).content.decode()


def test_score_changes_are_recorded_with_old_and_new_values(client, alice, baseline, history):
    score = baseline.scores.get(process__key="marketing")
    criterion = Criterion.objects.filter(version=baseline.version, level__number=2).first()
    save_score(client, score, ambition_level=3, notes="First view")
    score.refresh_from_db()
    save_score(client, score, ambition_level=4, notes="First view", criteria=[criterion.pk])
    html = history()
    assert html.count('data-testid="history-entry"') == 2
    assert "Alice" in html
    three, four = (baseline.version.levels.get(number=n) for n in (3, 4))
    assert f'Ambition</td><td class="text-muted">{three}</td><td>{four}</td>' in html
    assert str(three).startswith("3. ")
    assert criterion.statement.replace("'", "&#x27;") in html
    assert "Criterion met" in html


def test_consensus_aspects_and_roadmap_changes_are_recorded(client, alice, baseline, history):
    from workshops import services as workshop_services

    session = workshop_services.session_start(assessment=baseline, by=alice)
    workshop_services.session_reveal(session=session, score_id=session.current_id, by=alice)
    workshop_services.consensus_set(
        session=session,
        score_id=session.current_id,
        level=3,
        reason="Workshop consensus (2 votes, median 3).",
        by=alice,
    )
    aspects = ("business-value", "privacy-ip", "data-escrow", "monitoring", "human-measure")
    data = {f"{a}-status": "not-assessed" for a in aspects}
    data.update({f"{a}-revision": 0 for a in aspects})
    data["data-escrow-status"] = "missing"
    client.post(reverse("assessments:aspects", args=[baseline.pk]), data)
    roadmap = roadmap_create(assessment=baseline, start=Quarter.of(2027, 1))
    item = roadmap.items.create(
        title="Policy", start_quarter=roadmap.start_quarter, end_quarter=roadmap.start_quarter
    )
    client.post(reverse("roadmaps:item_move", args=[roadmap.pk, item.pk]), {"quarters": 1})
    html = history()
    assert "Consensus level" in html
    assert str(baseline.version.levels.get(number=3)) in html
    assert "Workshop consensus (2 votes, median 3)." in html
    assert "Data escrow" in html
    assert "Not in place" in html or "not in place" in html
    assert "Roadmap: Policy" in html
    assert 'Start</td><td class="text-muted">2027 Q1</td><td>2027 Q2</td>' in html
    assert str(Quarter.of(2027, 1).index) not in html  # the stored number, never shown


def test_model_changes_in_admin_are_recorded(client, smg_version, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "r@example.org", "pw")
    client.force_login(admin)
    draft = version_clone(version=smg_version)
    level = draft.levels.get(number=3)
    url = reverse("admin:assessments_modelversion_change", args=[draft.pk])
    page = client.get(url)
    assert page.status_code == 200
    level.name_en = "Structured (revised)"
    level._history_user = admin
    level.save()
    record = Level.history.filter(id=level.pk).latest("history_date")
    assert (record.name_en, record.history_user, record.history_type) == (
        "Structured (revised)",
        admin,
        "~",
    )


@pytest.mark.parametrize("changes", [2, 12])
def test_history_page_queries_do_not_grow(
    client, alice, baseline, history, django_assert_max_num_queries, changes
):
    score = baseline.scores.get(process__key="marketing")
    for index in range(changes):
        score.refresh_from_db()
        save_score(client, score, notes=f"note {index}")
    with django_assert_max_num_queries(12):
        html = history()
    assert html.count('data-testid="history-entry"') == changes


def test_only_consultants_see_the_history(client, bob, baseline):
    client.force_login(bob)
    assert client.get(reverse("reports:history", args=[baseline.pk])).status_code == 403


def test_starting_an_assessment_records_who_created_each_score(alice, organisation, smg_version):
    from assessments.services import assessment_start

    assessment = assessment_start(organisation=organisation, version=smg_version, by=alice)
    created = ProcessScore.history.filter(assessment_id=assessment.pk, history_type="+")
    assert created.count() == assessment.scores.count() > 0
    assert {record.history_user_id for record in created} == {alice.pk}
