"""The history pages in the database: a page reads its own records (and one more), however
long the trail; the next page goes on where the previous one ended."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import AspectCheck, ProcessScore
from reports.history import PAGE_SIZE
from roadmaps.models import RoadmapItem
from roadmaps.quarters import Quarter
from roadmaps.services import roadmap_create

LATER = timezone.now() + datetime.timedelta(days=1)  # after every record the fixtures made


def records(model, obj, user, changes: list[tuple[int, dict]]):
    """Audit records of `obj` as a save would leave them: its stored values with `changes`,
    one (seconds after LATER, values) each, written at once."""
    history = model.history.model
    base = history.objects.filter(id=obj.pk).values().first()
    del base["history_id"]
    history.objects.bulk_create(
        history(
            **{
                **base,
                **values,
                "history_type": "~",
                "history_user_id": user.pk,
                "history_date": LATER + datetime.timedelta(seconds=seconds),
            }
        )
        for seconds, values in changes
    )


def shown_values(html: str) -> list[int]:
    """The markers "v<n>" in the "After" column, top to bottom."""
    return [int(n) for n in re.findall(r"<td>v(\d+)</td>", html)]


@pytest.fixture
def history_page(client, alice, baseline):
    client.force_login(alice)

    def get(page=None):
        data = {"page": page} if page is not None else {}
        response = client.get(reverse("reports:history", args=[baseline.pk]), data)
        assert response.status_code == 200
        return response.content.decode()

    return get


def test_a_page_of_a_long_trail_reads_only_that_page(alice, baseline, history_page):
    first, second = baseline.scores.all()[:2]
    for score, parity in ((first, 0), (second, 1)):
        records(
            ProcessScore,
            score,
            alice,
            [(n, {"notes": f"v{n}"}) for n in range(1000) if n % 2 == parity],
        )
    with CaptureQueriesContext(connection) as queries:
        html = history_page()
    assert len(queries) <= 12
    trail = [q["sql"] for q in queries if "historicalprocessscore" in q["sql"]]
    # One query orders the whole trail and reads a page of ids (and one more); the others
    # read records by those ids.
    (ordered,) = [sql for sql in trail if "UNION" in sql]
    assert re.search(rf"LIMIT {PAGE_SIZE + 1}\b", ordered)
    for sql in trail:
        assert sql is ordered or '"history_id" IN' in sql
    assert shown_values(html) == list(range(999, 999 - PAGE_SIZE, -1))
    assert "Older changes" in html
    assert "Newer changes" not in html


def test_the_pages_follow_on_without_losing_a_record_at_the_boundary(alice, baseline, history_page):
    """120 records of scores, aspects and roadmap items, three at a time at the same moment
    (so pages end inside a tie): the pages show each once, newest first."""
    score = baseline.scores.first()
    aspect = AspectCheck.objects.create(assessment=baseline, aspect="monitoring")
    roadmap = roadmap_create(assessment=baseline, start=Quarter.of(2027, 1))
    item = RoadmapItem.objects.create(
        roadmap=roadmap,
        title="Policy",
        start_quarter=roadmap.start_quarter,
        end_quarter=roadmap.start_quarter,
    )
    for obj, field, kind in ((score, "notes", 0), (aspect, "note", 1), (item, "title", 2)):
        records(
            type(obj), obj, alice, [(n // 3, {field: f"v{n}"}) for n in range(120) if n % 3 == kind]
        )
    pages = [history_page(), history_page(2), history_page(3)]
    assert [shown_values(html) for html in pages] == [
        list(range(119, 69, -1)),
        list(range(69, 19, -1)),
        list(range(19, -1, -1)),
    ]
    assert "Older changes" in pages[1]
    assert "Newer changes" in pages[1]
    assert 'href="?page=3"' in pages[1]
    assert 'href="?page=1"' in pages[1]
    # The last page ends with what the fixtures created (the aspect's and item's first record).
    assert "Older changes" not in pages[2]
    assert "Roadmap: Policy" in pages[2]
    assert shown_values(history_page("x")) == shown_values(pages[0])  # not a number: page 1
    assert "No older changes." in history_page(4)
