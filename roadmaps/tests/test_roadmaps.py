"""Roadmaps: drafting from a scored assessment, editing, moving, progress, exports."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import Assessment, Criterion, ProcessScore
from assessments.selectors import assessment_results
from roadmaps.models import Roadmap, RoadmapItem
from roadmaps.quarters import Quarter
from roadmaps.services import roadmap_create, roadmap_draft


@pytest.fixture
def scored(baseline):
    """marketing: level 2 (all level-2 criteria met), ambition 4; sales: level 1, ambition 1."""
    version = baseline.version
    marketing = baseline.scores.get(process__key="marketing")
    level_two = Criterion.objects.filter(version=version, level__number=2).exclude(
        process__isnull=False, process__key__in=["sales", "innovation"]
    )
    marketing.criteria_met.set(
        [c for c in level_two if c.process_id in (None, marketing.process_id)]
    )
    marketing.ambition_level = 4
    marketing.save()
    baseline.scores.filter(process__key="sales").update(ambition_level=1)
    return baseline


@pytest.fixture
def roadmap(scored):
    return roadmap_create(assessment=scored, start=Quarter.of(2027, 1))


def test_draft_makes_exactly_the_unmet_criteria_between_level_and_ambition(roadmap, alice):
    added = roadmap_draft(roadmap=roadmap, by=alice)
    marketing = roadmap.assessment.scores.get(process__key="marketing").process
    expected = Criterion.objects.filter(
        version=roadmap.assessment.version, level__number__in=[3, 4]
    ).filter(process__isnull=True) | Criterion.objects.filter(
        process=marketing, level__number__in=[3, 4]
    )
    items = list(roadmap.items.select_related("criterion__level", "process"))
    assert added == len(items) == expected.count()
    assert {item.criterion_id for item in items} == set(expected.values_list("pk", flat=True))
    assert {item.process.key for item in items} == {"marketing"}
    ordered = sorted(items, key=lambda item: (item.start_quarter, item.pk))
    levels = [item.criterion.level.number for item in ordered]
    baseline_first = [item.criterion.is_baseline for item in ordered[:3]]
    assert baseline_first == [True, True, True]
    assert levels[3:] == sorted(levels[3:])  # then lower levels first
    assert all(item.is_proposal and item.status == "planned" for item in items)
    assert {item.start_quarter for item in items} >= {Quarter.of(2027, 1).index}
    assert max(item.end_quarter for item in items) == Quarter.of(2028, 4).index
    # the unmet criteria are exactly what scoring says stands between level and ambition
    _catalogue, results = assessment_results(roadmap.assessment)
    result = next(r.result for r in results if r.score.process.key == "marketing")
    assert {c.key for c in result.unmet_to_ambition} == {i.criterion.key for i in items}


def test_drafting_twice_adds_nothing_and_keeps_dropped_items_dropped(roadmap, alice):
    first = roadmap_draft(roadmap=roadmap, by=alice)
    item = roadmap.items.first()
    item.status = RoadmapItem.Status.DROPPED
    item.title = "Edited by hand"
    item.save()
    assert roadmap_draft(roadmap=roadmap, by=alice) == 0
    assert roadmap.items.count() == first
    item.refresh_from_db()
    assert (item.status, item.title) == ("dropped", "Edited by hand")


def test_draft_through_the_page(client, alice, scored):
    client.force_login(alice)
    detail = reverse("roadmaps:detail", args=[scored.pk])
    assert "Create the roadmap" in client.get(detail).content.decode()
    client.post(reverse("roadmaps:create", args=[scored.pk]), {"start": Quarter.of(2027, 1).index})
    roadmap = Roadmap.objects.get(assessment=scored)
    response = client.post(reverse("roadmaps:draft", args=[roadmap.pk]), follow=True)
    html = response.content.decode()
    assert "items were proposed from the gaps" in html
    assert html.count('data-testid="roadmap-item"') == roadmap.items.count()
    assert 'id="timeline-dimension"' in html
    response = client.post(reverse("roadmaps:draft", args=[roadmap.pk]), follow=True)
    assert "No new items" in response.content.decode()


def item_data(item, **changes):
    data = {
        "title": item.title,
        "description": item.description,
        "process": item.process_id or "",
        "dimension": item.dimension_id or "",
        "target_level": item.target_level or "",
        "start_quarter": item.start_quarter,
        "end_quarter": item.end_quarter,
        "owner": item.owner,
        "status": item.status,
        "revision": item.revision,
    }
    data.update(changes)
    return {f"item-{item.pk}-{key}": value for key, value in data.items()}


def snapshot(item):
    item.refresh_from_db()
    return (item.title, item.start_quarter, item.end_quarter, item.status, item.owner)


def test_edit_accept_and_move_an_item(client, alice, roadmap):
    roadmap_draft(roadmap=roadmap, by=alice)
    item = roadmap.items.order_by("start_quarter", "pk").first()
    client.force_login(alice)
    url = reverse("roadmaps:item_update", args=[roadmap.pk, item.pk])
    client.post(
        url, item_data(item, title="Write the policy", owner="HR lead", status="in-progress")
    )
    title, _start, _end, status, owner = snapshot(item)
    assert (title, owner, status) == ("Write the policy", "HR lead", "in-progress")

    client.post(reverse("roadmaps:item_accept", args=[roadmap.pk, item.pk]))
    item.refresh_from_db()
    assert not item.is_proposal

    move = reverse("roadmaps:item_move", args=[roadmap.pk, item.pk])
    start, end = item.start_quarter, item.end_quarter
    client.post(move, {"quarters": 1})
    item.refresh_from_db()
    assert (item.start_quarter, item.end_quarter) == (start + 1, end + 1)
    client.post(move, {"quarters": -1})
    response = client.post(move, {"quarters": -1}, follow=True)  # before the first quarter
    assert "cannot move outside the roadmap" in response.content.decode()
    item.refresh_from_db()
    assert item.start_quarter == start
    response = client.post(move, {"quarters": 5}, follow=True)
    assert "one quarter at a time" in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"start_quarter": 8100, "end_quarter": 8099}, "lies before the start quarter"),
        ({"end_quarter": 1}, "is not one of the choices offered"),
        ({"title": ""}, "This field is required"),
        ({"title": "x" * 201}, "at most 200 characters"),
        ({"status": "finished"}, "Select a valid choice"),
        ({"target_level": 9}, "is not one of the choices offered"),
        ({"process": 999999}, "is not one of the choices offered"),
    ],
)
def test_bad_item_input_is_refused_and_nothing_is_saved(client, alice, roadmap, changes, message):
    roadmap_draft(roadmap=roadmap, by=alice)
    item = roadmap.items.first()
    if "start_quarter" in changes:
        changes = {
            "start_quarter": roadmap.start_quarter + 3,
            "end_quarter": roadmap.start_quarter + 1,
        }
    before = snapshot(item)
    client.force_login(alice)
    response = client.post(
        reverse("roadmaps:item_update", args=[roadmap.pk, item.pk]),
        item_data(item, **changes),
        follow=True,
    )
    assert message in response.content.decode()
    assert snapshot(item) == before


def test_a_process_or_criterion_of_another_version_is_refused(client, alice, roadmap, smg_version):
    from assessments.services import version_clone

    roadmap_draft(roadmap=roadmap, by=alice)
    item = roadmap.items.first()
    draft = version_clone(version=smg_version)
    foreign_process = draft.processes.get(key="marketing")
    foreign_dimension = draft.dimensions.first()
    client.force_login(alice)
    before = snapshot(item)
    url = reverse("roadmaps:item_update", args=[roadmap.pk, item.pk])
    for changes in ({"process": foreign_process.pk}, {"dimension": foreign_dimension.pk}):
        response = client.post(url, item_data(item, **changes), follow=True)
        assert "is not one of the choices offered" in response.content.decode()
    assert snapshot(item) == before
    item.refresh_from_db()
    assert item.process.version_id == smg_version.pk


def test_manual_cross_process_item(client, alice, roadmap):
    client.force_login(alice)
    data = {
        "new-title": "Social media policy for the whole organisation",
        "new-process": "",
        "new-start_quarter": roadmap.start_quarter,
        "new-end_quarter": roadmap.start_quarter + 2,
        "new-status": "planned",
    }
    client.post(reverse("roadmaps:item_create", args=[roadmap.pk]), data)
    item = roadmap.items.get()
    assert item.process is None
    assert not item.is_proposal
    page = client.get(reverse("roadmaps:detail", args=[roadmap.assessment_id])).content.decode()
    assert "All processes" in page


def test_overdue_and_achieved_flags(client, alice, roadmap, smg_version):
    from roadmaps.selectors import roadmap_rows

    roadmap_draft(roadmap=roadmap, by=alice)
    items = list(roadmap.items.order_by("start_quarter", "pk"))
    done, open_one = items[0], items[1]
    done.status = "done"
    done.save()
    rows = {row.item.pk: row for row in roadmap_rows(roadmap, today=Quarter.of(2029, 1))}
    assert rows[open_one.pk].overdue
    assert not rows[done.pk].overdue
    assert not rows[done.pk].achieved

    # A re-assessment where the done item's criterion is met shows it achieved.
    base = roadmap.assessment
    again = Assessment.objects.create(
        organisation=base.organisation,
        version=smg_version,
        kind="reassessment",
        previous=base,
        assessed_on="2028-06-01",
    )
    score = ProcessScore.objects.create(assessment=again, process=done.process)
    score.criteria_met.set([done.criterion])
    rows = {row.item.pk: row for row in roadmap_rows(roadmap, today=Quarter.of(2029, 1))}
    assert rows[done.pk].achieved
    assert not rows[done.pk].no_effect
    other = items[2]
    other.status = "done"
    other.save()
    rows = {row.item.pk: row for row in roadmap_rows(roadmap)}
    assert rows[other.pk].no_effect  # delivered, no effect yet


def test_exports_open_and_neutralise_formulas(client, alice, roadmap):
    roadmap_draft(roadmap=roadmap, by=alice)
    item = roadmap.items.first()
    item.title = '=HYPERLINK("http://evil.example","click")'
    item.owner = "@owner"
    item.save()
    client.force_login(alice)
    response = client.get(reverse("roadmaps:export_csv", args=[roadmap.pk]))
    assert response["Content-Disposition"].startswith('attachment; filename="roadmap-acme-zorg-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Business process", "Dimension", "Deliverable"]
    assert len(rows) == roadmap.items.count() + 1
    titles = [row[2] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil.example","click")' in titles
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)

    response = client.get(reverse("roadmaps:export_xlsx", args=[roadmap.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert '\'=HYPERLINK("http://evil.example","click")' in values
    assert "'@owner" in values
    assert sheet.max_row == roadmap.items.count() + 1


@pytest.mark.parametrize("processes", [3, 30])
def test_roadmap_page_queries_do_not_grow(
    client, make_big_assessment, django_assert_max_num_queries, processes
):
    assessment = make_big_assessment(processes)
    roadmap = roadmap_create(assessment=assessment, start=Quarter.of(2027, 1))
    roadmap_draft(roadmap=roadmap, by=assessment.created_by)
    assert roadmap.items.count() >= processes
    client.force_login(assessment.created_by)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("roadmaps:detail", args=[assessment.pk]))
    assert response.status_code == 200


def test_a_same_day_reassessment_counts_as_later_in_roadmap_and_trend(alice, roadmap, smg_version):
    """The roadmap's "later measurement" and the trend use one order: date, then creation."""
    from assessments.comparison import trend
    from roadmaps.selectors import later_assessment

    base = roadmap.assessment
    assert later_assessment(roadmap) is None
    same_day = Assessment.objects.create(
        organisation=base.organisation,
        version=smg_version,
        kind="reassessment",
        previous=base,
        assessed_on=base.assessed_on,
    )
    assert later_assessment(roadmap) == same_day
    assert len(trend(base.organisation, until=base)["points"]) == 1
    assert len(trend(base.organisation, until=same_day)["points"]) == 2
