"""Two consultants save the same process at the same moment, over two real connections."""

import threading

import pytest
from django.db import close_old_connections, connection, transaction

from assessments import services
from assessments.models import ProcessScore

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs row locks between two connections: runs on PostgreSQL in CI",
    ),
]


def values(**changes):
    base = dict.fromkeys(services.SCORE_FIELDS, "")
    base.update(ambition_level=None, override_level=None)
    base.update(changes)
    return base


def test_of_two_concurrent_stale_saves_exactly_one_wins(baseline, alice, bob):
    score = baseline.scores.first()
    first_updated = threading.Event()
    let_first_commit = threading.Event()
    outcome = {}

    def first():
        try:
            with transaction.atomic():  # holds its row lock until the second one is waiting
                services.score_save(
                    score=ProcessScore.objects.get(pk=score.pk),
                    revision=1,
                    values=values(ambition_level=3, notes="first"),
                    criteria_ids=[],
                    by=alice,
                )
                first_updated.set()
                let_first_commit.wait(timeout=10)
            outcome["first"] = "saved"
        finally:
            close_old_connections()
            connection.close()

    def second():
        try:
            first_updated.wait(timeout=10)
            services.score_save(
                score=ProcessScore.objects.get(pk=score.pk),
                revision=1,
                values=values(ambition_level=5, notes="second"),
                criteria_ids=[],
                by=alice,
            )
            outcome["second"] = "saved"
        except services.StaleScoreError as stale:
            outcome["second"] = "stale"
            outcome["second_saw"] = (stale.current.revision, stale.current.notes)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_updated.wait(timeout=10)
    # The second save is now blocked on the first one's row lock (or about to be).
    threads[1].join(timeout=0.5)
    assert threads[1].is_alive(), "the second save should wait for the first to commit"
    let_first_commit.set()
    for thread in threads:
        thread.join(timeout=15)

    assert outcome["first"] == "saved"
    assert outcome["second"] == "stale"
    assert outcome["second_saw"] == (2, "first")  # the conflict shows what is stored now
    score.refresh_from_db()
    assert (score.revision, score.ambition_level, score.notes) == (2, 3, "first")


def test_the_grid_save_reads_and_locks_in_one_query_so_a_second_save_waits_and_is_refused(
    baseline, alice
):
    """The grid's save: `get_score_for(lock=True)` reads, checks access and locks the score
    and its assessment at once; the save runs in that transaction (`locked=True`)."""
    from assessments.access import get_score_for

    score = baseline.scores.first()
    first_locked = threading.Event()
    let_first_commit = threading.Event()
    outcome = {}

    def save(name, notes, hold=False):
        try:
            with transaction.atomic():
                locked = get_score_for(alice, baseline.pk, score.pk, write=True, lock=True)
                if hold:
                    first_locked.set()
                outcome[f"{name}_read"] = locked.revision
                services.score_save(
                    score=locked,
                    revision=1,
                    values=values(ambition_level=3, notes=notes),
                    criteria_ids=[],
                    by=alice,
                    locked=True,
                )
                if hold:
                    let_first_commit.wait(timeout=10)
            outcome[name] = "saved"
        except services.StaleScoreError as stale:
            outcome[name] = "stale"
            outcome[f"{name}_saw"] = (stale.current.revision, stale.current.notes)
        finally:
            connection.close()

    first = threading.Thread(target=save, args=("first", "first"), kwargs={"hold": True})
    second = threading.Thread(target=save, args=("second", "second"))
    first.start()
    assert first_locked.wait(timeout=10)
    second.start()
    second.join(timeout=0.5)
    assert second.is_alive(), "the second save should wait on the first one's lock"
    assert "second_read" not in outcome  # its read itself waits
    let_first_commit.set()
    first.join(timeout=15)
    second.join(timeout=15)

    assert outcome["first"] == "saved"
    assert outcome["second"] == "stale"
    assert outcome["second_read"] == 2  # it read the row as the first one left it
    assert outcome["second_saw"] == (2, "first")
    score.refresh_from_db()
    assert (score.revision, score.notes) == (2, "first")


def test_a_locked_save_outside_a_transaction_is_refused(baseline, alice):
    score = baseline.scores.first()
    with pytest.raises(transaction.TransactionManagementError):
        services.score_save(
            score=score,
            revision=1,
            values=values(ambition_level=3),
            criteria_ids=[],
            by=alice,
            locked=True,
        )
    score.refresh_from_db()
    assert score.revision == 1
