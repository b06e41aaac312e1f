"""The workshop grid: saving a process, recomputing, refusing bad input and stale saves."""

import pytest
from django.urls import reverse

from assessments.models import Criterion, ModelVersion, ProcessScore
from assessments.services import version_clone


@pytest.fixture
def marketing(baseline):
    return baseline.scores.select_related("process").get(process__key="marketing")


def criteria_up_to(score, level):
    return list(
        Criterion.objects.filter(
            version=score.assessment.version, level__number__lte=level, level__number__gte=2
        )
        .filter(process__isnull=True)
        .values_list("pk", flat=True)
    ) + list(
        Criterion.objects.filter(process=score.process, level__number__lte=level).values_list(
            "pk", flat=True
        )
    )


def form_data(score, **changes):
    data = {
        "revision": score.revision,
        "criteria": [],
        "ambition_level": "",
        "ambition_reason": "",
        "override_level": "",
        "override_reason": "",
        "notes": "",
        "evidence": "",
        "confidence": "",
    }
    data.update(changes)
    return data


def save(client, score, **changes):
    url = reverse("assessments:score_save", args=[score.assessment_id, score.pk])
    return client.post(url, form_data(score, **changes), HTTP_HX_REQUEST="true")


def stored(score):
    score.refresh_from_db()
    return (
        score.revision,
        score.ambition_level,
        score.override_level,
        score.notes,
        sorted(score.criteria_met.values_list("pk", flat=True)),
    )


def test_grid_shows_every_process_with_levels_and_criteria(client, alice, baseline):
    client.force_login(alice)
    response = client.get(reverse("assessments:grid", args=[baseline.pk]))
    html = response.content.decode()
    assert html.count('data-testid="process-row"') == baseline.scores.count()
    assert "3. Structured" in html
    assert "level-3 baseline" in html
    assert "0 of 7 scored" in html
    assert 'id="radar-figure"' in html


def test_ticking_criteria_recomputes_the_level_and_saves(client, alice, marketing):
    client.force_login(alice)
    ticked = criteria_up_to(marketing, 3)
    response = save(client, marketing, criteria=ticked, ambition_level=4, notes="Good start")
    assert response.status_code == 200
    html = response.content.decode()
    assert "3. Structured" in html  # the recomputed level in the row summary
    assert "1 of 7 scored" in html
    assert 'id="radar-figure"' in html
    assert stored(marketing) == (2, 4, None, "Good start", sorted(ticked))


def test_a_repeated_autosave_with_the_old_revision_is_not_a_conflict(client, alice, marketing):
    client.force_login(alice)
    assert save(client, marketing, ambition_level=3).status_code == 200
    assert save(client, marketing, ambition_level=3).status_code == 200  # same data, revision 1
    assert stored(marketing)[:2] == (2, 3)


def test_stale_save_is_refused_and_keeps_input(client, alice, marketing, make_user):
    from assessments.models import Membership

    dave = make_user("dave", first_name="Dave")
    Membership.objects.create(
        organisation=marketing.assessment.organisation, user=dave, role="consultant"
    )
    client.force_login(dave)
    assert save(client, marketing, ambition_level=3, notes="Dave's view").status_code == 200

    client.force_login(alice)  # alice still has revision 1 in her browser
    response = save(client, marketing, ambition_level=5, notes="Alice's view")
    assert response.status_code == 409
    html = response.content.decode()
    assert "someone else changed this process" in html
    assert "Dave saved it at" in html
    assert "Dave&#x27;s view" in html
    assert "Alice&#x27;s view" in html
    assert "5. Social enterprise" in html
    assert "3. Structured" in html
    assert 'name="overwrite_revision" value="2"' in html
    assert stored(marketing)[:4] == (2, 3, None, "Dave's view")

    # Choosing "save mine over theirs" sends the current revision along.
    response = save(client, marketing, ambition_level=5, notes="Alice's view", overwrite_revision=2)
    assert response.status_code == 200
    assert stored(marketing)[:4] == (3, 5, None, "Alice's view")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ambition_level": 7}, "7 is not a level of this model"),
        ({"override_level": 0}, "0 is not a level of this model"),
        ({"override_level": 3}, "A consensus level needs a reason"),
        ({"override_level": 3, "override_reason": "   "}, "A consensus level needs a reason"),
        ({"notes": "x" * 10_001}, "at most 10000 characters"),
        ({"ambition_reason": "x" * 2_001}, "at most 2000 characters"),
        ({"criteria": [999_999]}, "not part of this process in this model version"),
        ({"confidence": "sure"}, "Select a valid choice"),
        ({"revision": "abc"}, "Enter a whole number"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_writes_nothing(
    client, alice, marketing, changes, message
):
    client.force_login(alice)
    before = stored(marketing)
    response = save(client, marketing, **{"ambition_level": 3, **changes})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert "Not saved" in response.content.decode()
    assert stored(marketing) == before


def test_criteria_of_another_version_or_process_are_refused(client, alice, marketing, smg_version):
    draft = version_clone(version=smg_version)
    other_version = Criterion.objects.filter(version=draft).first()
    sales_only = Criterion.objects.get(version=smg_version, process__key="sales", level__number=3)
    client.force_login(alice)
    before = stored(marketing)
    for criterion in (other_version, sales_only):
        response = save(client, marketing, criteria=[criterion.pk])
        assert response.status_code == 422
    assert stored(marketing) == before
    assert ModelVersion.objects.count() == 2


def test_overriding_with_a_reason_shows_consensus(client, alice, marketing):
    client.force_login(alice)
    response = save(client, marketing, override_level=2, override_reason="Team agrees on 2")
    assert response.status_code == 200
    assert "consensus" in response.content.decode()
    assert stored(marketing)[2] == 2


def test_a_final_assessment_is_read_only(client, alice, baseline, marketing):
    client.force_login(alice)
    client.post(reverse("assessments:finalise", args=[baseline.pk]))
    baseline.refresh_from_db()
    assert baseline.is_final
    before = stored(marketing)
    response = save(client, marketing, ambition_level=3)
    assert response.status_code == 409
    assert "final and read-only" in response.content.decode()
    assert stored(marketing) == before
    page = client.get(reverse("assessments:grid", args=[baseline.pk])).content.decode()
    assert "<fieldset disabled>" in page
    assert client.post(reverse("assessments:delete", args=[baseline.pk])).status_code == 302
    assert ProcessScore.objects.filter(assessment=baseline).exists()


def test_deleting_a_draft_asks_first_then_deletes(client, alice, baseline):
    client.force_login(alice)
    url = reverse("assessments:delete", args=[baseline.pk])
    assert b"Delete this draft assessment?" in client.get(url).content
    assert type(baseline).objects.filter(pk=baseline.pk).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert not type(baseline).objects.filter(pk=baseline.pk).exists()


def test_state_changes_need_csrf(alice, marketing):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    before = stored(marketing)
    assert save(client, marketing, ambition_level=3).status_code == 403
    assert stored(marketing) == before


def test_save_without_htmx_redirects_back_to_the_row(client, alice, marketing):
    client.force_login(alice)
    url = reverse("assessments:score_save", args=[marketing.assessment_id, marketing.pk])
    response = client.post(url, form_data(marketing, ambition_level=3))
    assert response.status_code == 302
    assert response.url.endswith(f"#score-{marketing.pk}")


# --- query counts do not grow with the model ------------------------------------------------


@pytest.mark.parametrize("processes", [3, 30])
def test_grid_and_save_queries_do_not_grow_with_processes(
    client, make_big_assessment, django_assert_max_num_queries, processes
):
    assessment = make_big_assessment(processes)
    user = assessment.created_by
    client.force_login(user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("assessments:grid", args=[assessment.pk]))
    assert response.content.decode().count('data-testid="process-row"') == processes
    score = assessment.scores.first()
    with django_assert_max_num_queries(32):  # includes the audit trail rows
        response = save(client, score, ambition_level=4, criteria=criteria_up_to(score, 2))
    assert response.status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/").status_code == 200
