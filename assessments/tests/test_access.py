"""Who gets what from the access helpers: members read, consultants write, everyone else 404."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from assessments import services
from assessments.access import MAX_ID, get_assessment_for, get_score_for


def test_a_member_gets_the_assessment_with_their_role(baseline, alice, bob):
    assert get_assessment_for(alice, baseline.pk).my_role == "consultant"
    assert get_assessment_for(bob, baseline.pk).my_role == "manager"
    score = baseline.scores.first()
    assert get_score_for(alice, baseline.pk, score.pk).assessment.my_role == "consultant"


def test_outsiders_ids_out_of_range_and_other_assessments_scores_are_404(
    baseline, alice, charlie, smg_version
):
    score = baseline.scores.first()
    other = services.assessment_start(
        organisation=baseline.organisation, version=smg_version, by=alice
    )
    for lookup in (
        lambda: get_assessment_for(charlie, baseline.pk),
        lambda: get_score_for(charlie, baseline.pk, score.pk),
        lambda: get_assessment_for(alice, MAX_ID + 1),
        lambda: get_assessment_for(alice, 0),
        lambda: get_score_for(alice, baseline.pk, MAX_ID + 1),
        lambda: get_score_for(alice, MAX_ID + 1, score.pk),
        lambda: get_score_for(alice, other.pk, score.pk),  # a score through the wrong assessment
    ):
        with pytest.raises(Http404):
            lookup()
    with pytest.raises(Http404):
        get_assessment_for(alice, MAX_ID)  # the largest id binds fine and matches nothing


def test_a_manager_reads_but_may_not_write(baseline, bob):
    score = baseline.scores.first()
    assert get_score_for(bob, baseline.pk, score.pk).my_role == "manager"
    with pytest.raises(PermissionDenied):
        get_assessment_for(bob, baseline.pk, write=True)
    with pytest.raises(PermissionDenied):
        get_score_for(bob, baseline.pk, score.pk, write=True)


def test_the_save_checks_access_again(baseline, bob, charlie):
    """A caller that skipped the access check still cannot write as a manager or outsider."""
    score = baseline.scores.first()
    for user, refusal in ((bob, PermissionDenied), (charlie, Http404)):
        with pytest.raises(refusal):
            services.score_save(
                assessment_id=baseline.pk, score_id=score.pk, by=user, values={"notes": "x"}
            )
    score.refresh_from_db()
    assert (score.notes, score.revision) == ("", 1)
