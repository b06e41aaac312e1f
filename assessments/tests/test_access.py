"""The hand-written lookups of `access` (see `assessments/sql.py`) give what the ORM gives,
refuse what they must, and survive a new database session (prepared statements)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.http import Http404

from assessments import services
from assessments.access import get_assessment_for, get_score_for
from assessments.models import Assessment, ProcessScore
from assessments.sql import MAX_ID


def stored(instance):
    """Every concrete field of `instance` as the ORM reads it from the database."""
    fresh = type(instance).objects.get(pk=instance.pk)
    return {field.attname: getattr(fresh, field.attname) for field in fresh._meta.concrete_fields}


def fields(instance):
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


@pytest.fixture
def reassessment(baseline, alice, smg_version):
    services.assessment_finalise(assessment=baseline)
    return services.reassessment_start(
        previous=baseline, version=smg_version, copy_answers=True, by=alice
    )


def test_an_assessment_comes_with_what_the_orm_would_give(reassessment, alice):
    Assessment.objects.filter(pk=reassessment.pk).update(carried_over={"unmatched": ["x é"]})
    found = get_assessment_for(alice, reassessment.pk)

    assert fields(found) == stored(found)
    assert found.carried_over == {"unmatched": ["x é"]}  # JSON decoded, as the ORM does
    assert isinstance(found.created_at, datetime.datetime)
    assert found.created_at.tzinfo is not None
    assert isinstance(found.assessed_on, datetime.date)
    assert fields(found.organisation) == stored(reassessment.organisation)
    assert fields(found.version) == stored(reassessment.version)
    assert fields(found.version.model) == stored(reassessment.version.model)
    assert found.my_role == "consultant"
    assert str(found.version) == str(reassessment.version)


def test_the_stamps_count_the_scores_and_move_on_with_every_save(reassessment, alice):
    found = get_assessment_for(alice, reassessment.pk)
    count = reassessment.scores.count()
    revisions = sum(reassessment.scores.values_list("revision", flat=True))
    assert found.scores_stamp == (count, revisions)
    previous = reassessment.previous
    assert found.previous_scores_stamp == (
        previous.scores.count(),
        sum(previous.scores.values_list("revision", flat=True)),
    )

    score = reassessment.scores.first()
    services.score_save(
        score=score,
        revision=score.revision,
        values={**services.score_values(score, score.criteria_met_ids()), "notes": "moved"},
        criteria_ids=score.criteria_met_ids(),
        by=alice,
    )
    assert get_assessment_for(alice, reassessment.pk).scores_stamp == (count, revisions + 1)


def test_a_baseline_has_no_previous_stamp(baseline, alice):
    assert get_assessment_for(alice, baseline.pk).previous_scores_stamp is None


def test_a_score_comes_with_its_assessment_and_version(baseline, alice):
    score = baseline.scores.order_by("order").last()
    found = get_score_for(alice, baseline.pk, score.pk)
    assert fields(found) == stored(score)
    assert fields(found.assessment) == stored(baseline)
    assert fields(found.assessment.version) == stored(baseline.version)
    assert found.my_role == found.assessment.my_role == "consultant"


def test_the_locked_read_gives_the_same(baseline, alice):
    score = baseline.scores.first()
    with transaction.atomic():
        found = get_score_for(alice, baseline.pk, score.pk, write=True, lock=True)
        assert fields(found) == stored(score)


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
    assert get_assessment_for(bob, baseline.pk).my_role == "manager"
    assert get_score_for(bob, baseline.pk, score.pk).my_role == "manager"
    with pytest.raises(PermissionDenied):
        get_assessment_for(bob, baseline.pk, write=True)
    with pytest.raises(PermissionDenied):
        get_score_for(bob, baseline.pk, score.pk, write=True)


@pytest.mark.django_db(transaction=True)
def test_the_lookups_work_again_on_a_new_database_session(baseline, alice):
    """On PostgreSQL the lookups are prepared per session: a new session prepares anew."""
    score = baseline.scores.first()
    assert get_assessment_for(alice, baseline.pk).pk == baseline.pk
    connection.close()
    assert get_assessment_for(alice, baseline.pk).pk == baseline.pk
    assert get_score_for(alice, baseline.pk, score.pk).pk == score.pk


def test_the_lookups_work_without_prepared_statements(settings, baseline, alice):
    settings.DATABASE_PREPARED_STATEMENTS = False
    score = baseline.scores.first()
    assert get_assessment_for(alice, baseline.pk).pk == baseline.pk
    with transaction.atomic():
        locked = get_score_for(alice, baseline.pk, score.pk, write=True, lock=True)
        services.score_save(
            score=locked,
            revision=locked.revision,
            values={**services.score_values(locked, []), "notes": "plain"},
            criteria_ids=[],
            by=alice,
            locked=True,
        )
    assert ProcessScore.objects.get(pk=score.pk).notes == "plain"


def test_statements_refuse_stray_percent_signs_and_run_without_parameters(db):
    from assessments.sql import Statement

    with pytest.raises(ValueError, match="no other %"):
        Statement("like", "SELECT 1 WHERE 'a' LIKE 'a%'")
    assert Statement("constant", "SELECT 1").fetch_one([]) == (1,)
    assert Statement("constant", "SELECT 1").fetch_one([]) == (1,)  # prepared already


def test_statement_names_fit_postgresql_and_differ_per_sql():
    from assessments.sql import Statement

    long = "update_assessments_historicalprocessscore_criteria_met"
    first, second = Statement(long, "SELECT %s"), Statement(long, "SELECT %s, %s")
    assert len(first.name) <= 63
    assert first.name != second.name
