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
