"""Two consultants save the same process at the same moment, over two real connections: the
second save waits for the first one's lock, then merges with what it stored (different fields)
or asks (the same field changed to different values)."""

import threading

import pytest
from django.db import connection, transaction

from assessments import services
from assessments.models import ProcessScore

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs row locks between two connections: runs on PostgreSQL in CI",
    ),
]


def race(baseline, alice, first_values, second_values):
    """The first save holds its lock until the second is waiting on it; both started from
    revision 1. Returns what happened to each."""
    score = baseline.scores.first()
    first_saved = threading.Event()
    let_first_commit = threading.Event()
    outcome = {}

    def first():
        try:
            with transaction.atomic():  # the service's transaction joins this one
                services.score_save(
                    assessment_id=baseline.pk,
                    score_id=score.pk,
                    by=alice,
                    values=first_values,
                    base_revision=1,
                )
                first_saved.set()
                let_first_commit.wait(timeout=10)
            outcome["first"] = "saved"
        finally:
            connection.close()

    def second():
        try:
            first_saved.wait(timeout=10)
            saved = services.score_save(
                assessment_id=baseline.pk,
                score_id=score.pk,
                by=alice,
                values=second_values,
                base_revision=1,
            )
            outcome["second"] = ("saved", saved.theirs)
        except services.ScoreConflict as conflict:
            outcome["second"] = (
                "conflict",
                [(c.field, c.theirs, c.mine) for c in conflict.conflicts],
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    assert first_saved.wait(timeout=10)
    threads[1].join(timeout=0.5)
    waited = threads[1].is_alive()
    let_first_commit.set()
    for thread in threads:
        thread.join(timeout=15)
    score.refresh_from_db()
    return score, outcome, waited


def test_a_second_save_of_another_field_waits_then_merges(baseline, alice):
    score, outcome, waited = race(
        baseline, alice, {"ambition_level": 3}, {"notes": "Typed meanwhile", "ambition_level": None}
    )
    assert waited, "the second save should wait for the first to commit"
    assert outcome["first"] == "saved"
    assert outcome["second"] == ("saved", {"ambition_level"})  # told of the first's change
    assert (score.revision, score.ambition_level, score.notes) == (3, 3, "Typed meanwhile")
    assert score.history.count() == 3  # created, first, second


def test_a_second_save_of_the_same_field_waits_then_asks(baseline, alice):
    score, outcome, waited = race(baseline, alice, {"ambition_level": 3}, {"ambition_level": 5})
    assert waited
    assert outcome["second"] == ("conflict", [("ambition_level", 3, 5)])
    assert (score.revision, score.ambition_level) == (2, 3)


def test_a_consensus_and_a_grid_save_do_not_deadlock(baseline, alice):
    """Both lock the score, then its assessment, in one statement: never crosswise."""
    from workshops import services as workshops

    session = workshops.session_start(assessment=baseline, by=alice)
    workshops.session_reveal(session=session, score_id=session.current_id, by=alice)
    errors = []

    def consensus():
        try:
            for level in (2, 3, 4):
                workshops.consensus_set(
                    session=session,
                    score_id=session.current_id,
                    level=level,
                    reason="The team agreed",
                    by=alice,
                )
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    def grid():
        try:
            for run in range(3):
                score = ProcessScore.objects.get(pk=session.current_id)
                services.score_save(
                    assessment_id=baseline.pk,
                    score_id=score.pk,
                    by=alice,
                    values={"notes": f"run {run}"},
                    base_revision=score.revision,
                )
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=consensus), threading.Thread(target=grid)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    score = ProcessScore.objects.get(pk=session.current_id)
    assert (score.override_level, score.notes) == (4, "run 2")
