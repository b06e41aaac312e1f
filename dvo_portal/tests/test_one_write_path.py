"""One write path for a process score: the grid, the live workshop and the admin each leave
exactly one audit record per change, written by django-simple-history itself, and each moves
the assessment on (what keys every cache of its pages)."""

from django.urls import reverse

from assessments.models import Assessment, Criterion


def records(score):
    return list(score.history.order_by("history_id"))


def revision_of(assessment):
    return Assessment.objects.values_list("revision", flat=True).get(pk=assessment.pk)


def level_two(score):
    return list(
        Criterion.objects.filter(
            version=score.assessment.version_id, level__number=2, process__isnull=True
        ).values_list("pk", flat=True)
    )


def test_a_grid_save_leaves_one_record(client, alice, baseline):
    score = baseline.scores.first()
    before, revision = len(records(score)), revision_of(baseline)
    client.force_login(alice)
    url = reverse("assessments:score_save", args=[baseline.pk, score.pk])
    data = {"revision": 1, "criteria": level_two(score), "ambition_level": 3}
    assert client.post(url, data, HTTP_HX_REQUEST="true").status_code == 200
    trail = records(score)
    assert len(trail) == before + 1
    last = trail[-1]
    assert (last.history_type, last.revision, last.ambition_level, last.history_user) == (
        "~",
        2,
        3,
        alice,
    )
    assert sorted(last.criteria_met.values_list("criterion_id", flat=True)) == sorted(
        level_two(score)
    )
    assert revision_of(baseline) == revision + 1


def test_a_workshop_consensus_leaves_one_record(alice, baseline):
    from workshops import services as workshops

    session = workshops.session_start(assessment=baseline, by=alice)
    score = session.current
    workshops.session_reveal(session=session, score_id=score.pk, by=alice)  # no votes: no write
    before, revision = len(records(score)), revision_of(baseline)
    workshops.consensus_set(
        session=session, score_id=score.pk, level=3, reason="The team agreed", by=alice
    )
    trail = records(score)
    assert len(trail) == before + 1
    assert (trail[-1].override_level, trail[-1].history_user, trail[-1].revision) == (3, alice, 2)
    assert revision_of(baseline) == revision + 1


def test_an_admin_edit_leaves_one_record(client, baseline, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    score = baseline.scores.first()
    before, revision = len(records(score)), revision_of(baseline)
    client.force_login(admin)
    url = reverse("admin:assessments_processscore_change", args=[score.pk])
    assert client.get(url).status_code == 200
    data = {
        "criteria_met": level_two(score),
        "ambition_level": 4,
        "ambition_reason": "Grow",
        "override_level": "",
        "override_reason": "",
        "notes": "Corrected by an admin",
        "evidence": "",
        "confidence": "",
        "change_explanation": "",
        "revision": 1,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    trail = records(score)
    assert len(trail) == before + 1
    last = trail[-1]
    assert (last.notes, last.history_user, last.revision) == ("Corrected by an admin", admin, 2)
    assert sorted(last.criteria_met.values_list("criterion_id", flat=True)) == sorted(
        level_two(score)
    )
    assert revision_of(baseline) == revision + 1


def test_an_admin_edit_from_a_page_opened_before_a_grid_save_is_refused(
    client, alice, baseline, django_user_model
):
    """The admin opened the score; Alice saved a note in the grid meanwhile: the admin's save
    is refused, her note stays."""
    from assessments.services import score_save

    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    score = baseline.scores.first()
    score_save(
        assessment_id=baseline.pk, score_id=score.pk, by=alice, values={"notes": "Alice's note"}
    )
    client.force_login(admin)
    url = reverse("admin:assessments_processscore_change", args=[score.pk])
    data = {
        "ambition_level": 4,
        "ambition_reason": "",
        "override_level": "",
        "override_reason": "",
        "notes": "",
        "evidence": "",
        "confidence": "",
        "change_explanation": "",
        "revision": 1,  # what the admin's page was opened at
    }
    response = client.post(url, data)
    assert response.status_code == 422
    assert "Someone saved this process after you opened it" in response.content.decode()
    score.refresh_from_db()
    assert (score.notes, score.ambition_level, score.revision) == ("Alice's note", None, 2)
