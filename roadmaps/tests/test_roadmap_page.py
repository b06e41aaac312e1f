"""The roadmap page: compact rows, an item's form on demand, htmx answers of one item with the
counts and the timeline out of band, many proposals decided at once, bounded queries."""

import json
import re
from html import unescape

import pytest
from django.urls import reverse

from roadmaps.models import Roadmap, RoadmapItem
from roadmaps.quarters import Quarter
from roadmaps.services import roadmap_create, roadmap_draft

HTMX = {"HX-Request": "true"}


@pytest.fixture
def roadmap(baseline, alice):
    """Marketing at level 1 with ambition 3: its unmet criteria proposed as items."""
    marketing = baseline.scores.get(process__key="marketing")
    marketing.ambition_level = 3
    marketing.save()
    roadmap = roadmap_create(assessment=baseline, start=Quarter.of(2027, 1))
    assert roadmap_draft(roadmap=roadmap, by=alice) >= 4
    return roadmap


def page_url(roadmap):
    return reverse("roadmaps:detail", args=[roadmap.assessment_id])


def item_url(name, item):
    return reverse(f"roadmaps:{name}", args=[item.roadmap_id, item.pk])


def figure(html, name="timeline-dimension"):
    """The timeline figure a part carries in its data-json (what charts.js draws)."""
    found = re.search(rf'<div id="{name}" data-json="([^"]*)" hidden( hx-swap-oob="true")?>', html)
    assert found, f"no {name} carrier"
    return json.loads(unescape(found.group(1))), bool(found.group(2))


def bars(html):
    """(base, length) of every bar of the timeline figure, by the item's label."""
    data, _oob = figure(html)
    return sorted(
        (label, base, length)
        for trace in data["data"]
        for label, base, length in zip(trace["customdata"], trace["base"], trace["x"], strict=True)
    )


def test_the_page_shows_compact_rows_and_no_form(client, alice, roadmap):
    client.force_login(alice)
    html = client.get(page_url(roadmap)).content.decode()
    items = roadmap.items.count()
    assert html.count('data-testid="roadmap-item"') == items
    assert html.count('data-testid="proposed"') == items
    assert 'data-testid="item-form"' not in html
    assert "-title" not in re.sub(r'data-testid="title"', "", html)  # no field of any form
    assert html.count("One quarter later") == 2 * items  # label and tooltip
    assert 'id="roadmap-bulk"' in html
    assert html.count('name="csrfmiddlewaretoken"') <= 6  # the page's forms, not one per row


def test_an_items_form_opens_in_the_page_without_javascript(client, alice, roadmap):
    item = roadmap.items.first()
    client.force_login(alice)
    html = client.get(page_url(roadmap) + f"?edit={item.pk}").content.decode()
    assert html.count('data-testid="item-form"') == 1
    assert f'name="item-{item.pk}-title"' in html
    html = client.get(page_url(roadmap) + "?add=1").content.decode()
    assert 'data-testid="new-item-form"' in html


def test_a_manager_sees_the_rows_without_controls(client, alice, bob, roadmap):
    client.force_login(alice)
    client.get(page_url(roadmap))  # the consultant's rows are in the cache now
    client.force_login(bob)
    html = client.get(page_url(roadmap)).content.decode()
    assert html.count('data-testid="roadmap-item"') == roadmap.items.count()
    assert "One quarter later" not in html
    assert 'id="roadmap-bulk"' not in html
    assert "/edit/" not in html


def test_accept_answers_with_the_row_and_the_counts_out_of_band(client, alice, roadmap):
    item = roadmap.items.order_by("start_quarter", "pk").first()
    client.force_login(alice)
    proposals = roadmap.items.filter(is_proposal=True).count()
    response = client.post(item_url("item_accept", item), headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith(f'<tr id="item-{item.pk}-row"')
    assert "<tbody" not in html  # the edit row (maybe open, with typed input) is left alone
    assert 'data-testid="proposed"' not in html.split("</tr>")[0]
    assert f"{proposals - 1} proposals to review" in html
    assert 'id="timeline-dimension"' not in html  # the timeline shows no proposals
    assert (
        '<div id="roadmap-counts" class="text-muted" data-testid="roadmap-counts" hx-swap-oob'
        in html
    )
    item.refresh_from_db()
    assert not item.is_proposal
    # without htmx: back to the page, at the item
    other = roadmap.items.filter(is_proposal=True).first()
    response = client.post(item_url("item_accept", other))
    assert response.status_code == 302
    assert response.url == page_url(roadmap) + f"#item-{other.pk}"


def test_a_move_answers_with_the_row_and_the_timeline_out_of_band(client, alice, roadmap):
    item = roadmap.items.order_by("start_quarter", "pk").first()
    client.force_login(alice)
    before = bars(client.get(page_url(roadmap)).content.decode())
    response = client.post(item_url("item_move", item), {"quarters": 1}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith(f'<tr id="item-{item.pk}-row"')
    after = bars(html)
    assert figure(html)[1]  # swapped out of band
    assert figure(html, "timeline-status")[1]
    changed = [(b, a) for b, a in zip(before, after, strict=True) if b != a]
    assert len(changed) == 1
    (_label, base, length), (_same, moved, same_length) = changed[0]
    assert (moved, same_length) == (base + 1, length)
    item.refresh_from_db()
    assert Quarter(item.start_quarter) == Quarter.of(2027, 1) + 1
    # the page shows the move too (its cached rows are keyed by the roadmap's revision)
    page = client.get(page_url(roadmap)).content.decode()
    assert bars(page) == after


def test_a_refused_move_shows_its_message_in_the_row(client, alice, roadmap):
    item = roadmap.items.order_by("start_quarter", "pk").first()  # starts in the first quarter
    client.force_login(alice)
    response = client.post(item_url("item_move", item), {"quarters": -1}, headers=HTMX)
    assert response.status_code == 422
    assert "cannot move outside the roadmap" in response.content.decode()
    response = client.post(item_url("item_move", item), {"quarters": 2}, headers=HTMX)
    assert "one quarter at a time" in response.content.decode()
    assert RoadmapItem.objects.get(pk=item.pk).revision == item.revision


def test_a_save_answers_with_the_item_closed_and_its_timeline(client, alice, roadmap):
    item = roadmap.items.first()
    client.force_login(alice)
    form = client.get(item_url("item_form", item), headers=HTMX).content.decode()
    assert form.startswith(f'<tr id="item-{item.pk}-edit"')
    data = dict(re.findall(r'name="(item-\d+-[a-z_]+)" value="([^"]*)"', form))
    for name, value in re.findall(
        r'<select name="(item-\d+-[a-z_]+)"[^>]*>.*?<option value="([^"]*)" selected', form, re.S
    ):
        data[name] = value
    data[f"item-{item.pk}-title"] = "Write the policy"
    data[f"item-{item.pk}-status"] = "in-progress"
    response = client.post(item_url("item_update", item), data, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith(f'<tbody id="item-{item.pk}"')
    assert f'<tr id="item-{item.pk}-edit" class="edit-row"></tr>' in html  # closed
    assert "Write the policy" in html
    assert "In progress" in html
    status, oob = figure(html, "timeline-status")
    assert oob
    assert "In progress" in [trace["name"] for trace in status["data"]]


def test_a_refused_save_shows_the_message_at_the_field_with_the_input_kept(client, alice, roadmap):
    item = roadmap.items.first()
    client.force_login(alice)
    data = {
        f"item-{item.pk}-{key}": value
        for key, value in {
            "title": "Kept title",
            "start_quarter": roadmap.start_quarter + 3,
            "end_quarter": roadmap.start_quarter + 1,
            "status": "planned",
            "revision": item.revision,
        }.items()
    }
    response = client.post(item_url("item_update", item), data, headers=HTMX)
    assert response.status_code == 422
    html = response.content.decode()
    error = f'id="id_item-{item.pk}-end_quarter_error"'
    assert error in html
    assert "lies before the start quarter" in html.split(error)[1].split("</div>")[0]
    assert 'value="Kept title"' in html
    assert RoadmapItem.objects.get(pk=item.pk).title == item.title


def proposals(roadmap):
    return list(roadmap.items.filter(is_proposal=True).order_by("pk"))


def ticked(*items):
    return [f"{item.pk}:{item.revision}" for item in items]


def test_accept_and_drop_selected_proposals_at_once(client, alice, roadmap):
    first, second, third, *rest = proposals(roadmap)
    client.force_login(alice)
    url = reverse("roadmaps:proposals", args=[roadmap.pk])
    response = client.post(url, {"action": "accept", "item": ticked(first, second)}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 proposals accepted." in html
    assert html.count('hx-swap-oob="true"') == 2 + 2  # two rows, the counts and the bar
    assert 'id="timeline-dimension"' not in html  # accepting changes nothing it shows
    response = client.post(url, {"action": "drop", "item": ticked(third)}, headers=HTMX)
    html = response.content.decode()
    assert "1 proposal dropped." in html
    assert figure(html)[1]  # a dropped item leaves the timeline
    for item in (first, second, third):
        item.refresh_from_db()
        assert not item.is_proposal
    assert (first.status, third.status) == ("planned", "dropped")
    assert all(item.is_proposal for item in roadmap.items.filter(pk__in=[i.pk for i in rest]))


def test_accept_all_proposals(client, alice, roadmap):
    client.force_login(alice)
    html = client.get(page_url(roadmap)).content.decode()
    shown = re.findall(r'name="shown" value="([\d:]+)"', html)
    assert len(shown) == len(proposals(roadmap))
    url = reverse("roadmaps:proposals", args=[roadmap.pk])
    response = client.post(url, {"action": "accept-all", "shown": shown})
    assert response.status_code == 302
    assert proposals(roadmap) == []
    page = client.get(response.url).content.decode()
    assert f"{len(shown)} proposals accepted." in page
    assert 'id="roadmap-bulk"' not in page  # no proposals left


def test_a_proposal_changed_since_the_page_loaded_is_refused_and_reported(client, alice, roadmap):
    first, second, *_rest = proposals(roadmap)
    seen = ticked(first, second)
    first.title = "Changed by a colleague"
    first.revision += 1
    first.save()
    history = RoadmapItem.history.count()
    client.force_login(alice)
    url = reverse("roadmaps:proposals", args=[roadmap.pk])
    response = client.post(url, {"action": "drop", "item": seen}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 proposal dropped." in html
    assert "1 was not decided" in html
    assert "Changed by a colleague: Someone changed it after you loaded the page" in html
    refused = html.split(f'<tr id="item-{first.pk}-row"')[1].split("</tr>")[0]
    assert "table-warning" in html.split(f'<tr id="item-{first.pk}-row"')[1][:80]
    assert "checked" in refused  # still ticked, to decide again
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.is_proposal, first.status) == (True, "planned")
    assert (second.is_proposal, second.status) == (False, "dropped")
    assert RoadmapItem.history.count() == history + 1


def test_deciding_nothing_says_so(client, alice, roadmap):
    client.force_login(alice)
    url = reverse("roadmaps:proposals", args=[roadmap.pk])
    revision = Roadmap.objects.get(pk=roadmap.pk).revision
    response = client.post(url, {"action": "accept"}, headers=HTMX)
    assert "Tick the proposals first." in response.content.decode()
    response = client.post(url, {"action": "maybe", "item": ticked(*proposals(roadmap))})
    assert response.status_code == 302
    assert Roadmap.objects.get(pk=roadmap.pk).revision == revision
    assert len(proposals(roadmap)) == roadmap.items.count()


def test_an_item_of_another_roadmap_is_404_through_this_one(client, alice, roadmap, smg_version):
    from assessments.services import assessment_start

    other = roadmap_create(
        assessment=assessment_start(
            organisation=roadmap.assessment.organisation, version=smg_version, by=alice
        ),
        start=Quarter.of(2027, 1),
    )
    item = roadmap.items.first()
    client.force_login(alice)
    for name in ("item_form", "item_update", "item_accept", "item_move"):
        url = reverse(f"roadmaps:{name}", args=[other.pk, item.pk])
        response = client.get(url) if name == "item_form" else client.post(url, {"quarters": 1})
        assert response.status_code == 404, name
    url = reverse("roadmaps:proposals", args=[other.pk])
    client.post(url, {"action": "accept", "item": ticked(item)})
    item.refresh_from_db()
    assert item.is_proposal


def test_the_page_follows_a_later_assessment(client, alice, roadmap, smg_version):
    """Achieved: the item's criterion met in a later assessment (a change of that assessment
    shows without a change of the roadmap)."""
    from assessments.models import Assessment, ProcessScore
    from assessments.services import bump_revision

    item = roadmap.items.first()
    client.force_login(alice)
    assert 'badge text-bg-success">achieved' not in client.get(page_url(roadmap)).content.decode()
    base = roadmap.assessment
    later = Assessment.objects.create(
        organisation=base.organisation,
        version=smg_version,
        kind="reassessment",
        previous=base,
        assessed_on=base.assessed_on,
    )
    score = ProcessScore.objects.create(assessment=later, process=item.process)
    html = client.get(page_url(roadmap)).content.decode()
    assert 'text-bg-success">achieved' not in html
    score.criteria_met.set([item.criterion])
    bump_revision(later.pk)  # as every write of a score does
    html = client.get(page_url(roadmap)).content.decode()
    assert html.count('text-bg-success">achieved') == 1


def big_roadmap(make_big_assessment, processes):
    assessment = make_big_assessment(processes)
    roadmap = roadmap_create(assessment=assessment, start=Quarter.of(2027, 1))
    roadmap_draft(roadmap=roadmap, by=assessment.created_by)
    assert roadmap.items.count() >= processes
    return roadmap


@pytest.mark.parametrize("processes", [3, 30])
def test_page_and_item_actions_take_a_bounded_number_of_queries(
    client, make_big_assessment, django_assert_max_num_queries, processes
):
    roadmap = big_roadmap(make_big_assessment, processes)
    user = roadmap.assessment.created_by
    client.force_login(user)
    url = page_url(roadmap)
    # session and user (2), the assessment and the user's role, the roadmap, the later
    # assessment; rendered anew: the items, the later assessment again; and once per process
    # and revision of the assessment: its processes, dimensions, levels and criteria; the brand
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(6):  # the rows from the cache
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(url + "?dimension=1&status=planned").status_code == 200
    item = roadmap.items.order_by("start_quarter", "pk").first()
    with django_assert_max_num_queries(3):  # session, user, the item with its roadmap
        assert client.get(item_url("item_form", item), headers=HTMX).status_code == 200
    # + a savepoint, the locked item, its update, its history record, the roadmap's revision,
    # the savepoint's release; the answer: the later assessment, the items
    with django_assert_max_num_queries(11):
        assert client.post(item_url("item_accept", item), headers=HTMX).status_code == 200
    with django_assert_max_num_queries(11):
        response = client.post(item_url("item_move", item), {"quarters": 1}, headers=HTMX)
        assert response.status_code == 200
    with django_assert_max_num_queries(8):  # the rows rendered anew after the change
        assert client.get(url).status_code == 200
    item.refresh_from_db()
    data = {
        f"item-{item.pk}-{key}": value
        for key, value in {
            "title": "Renamed",
            "process": item.process_id,
            "dimension": item.dimension_id,
            "start_quarter": item.start_quarter,
            "end_quarter": item.end_quarter,
            "status": "planned",
            "revision": item.revision,
        }.items()
    }
    with django_assert_max_num_queries(13):  # + the form's checks of process and dimension
        assert client.post(item_url("item_update", item), data, headers=HTMX).status_code == 200
    seen = ticked(*proposals(roadmap))
    with django_assert_max_num_queries(11):  # however many: one update, one history insert
        response = client.post(
            reverse("roadmaps:proposals", args=[roadmap.pk]),
            {"action": "accept", "item": seen},
            headers=HTMX,
        )
    assert f"{len(seen)} proposals accepted." in response.content.decode()
