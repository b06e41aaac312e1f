"""Two consultants edit one roadmap item: changes of different fields merge, the same field is
refused with both values and the input kept, every write is one history record and a new
revision of the item and of the roadmap."""

import re

import pytest
from django.urls import reverse

from assessments.models import Membership
from roadmaps import services
from roadmaps.models import Roadmap, RoadmapItem
from roadmaps.quarters import Quarter
from roadmaps.services import roadmap_create, roadmap_draft

HTMX = {"HX-Request": "true"}


@pytest.fixture
def roadmap(baseline, alice):
    roadmap = roadmap_create(assessment=baseline, start=Quarter.of(2027, 1))
    roadmap.items.create(
        title="Social media policy",
        start_quarter=roadmap.start_quarter + 1,
        end_quarter=roadmap.start_quarter + 2,
        owner="HR",
    )
    return roadmap


@pytest.fixture
def item(roadmap):
    return roadmap.items.get()


@pytest.fixture
def dave(make_user, organisation):
    """A second consultant of the organisation."""
    user = make_user("dave", first_name="Dave")
    Membership.objects.create(organisation=organisation, user=user, role="consultant")
    return user


def form_data(item, **changes):
    """What the item's form sends as loaded now (its revision included), with `changes`."""
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


def save(client, item, data, **extra):
    url = reverse("roadmaps:item_update", args=[item.roadmap_id, item.pk])
    return client.post(url, data, headers=HTMX, **extra)


def records(item) -> int:
    return RoadmapItem.history.filter(id=item.pk).count()


def roadmap_revision(item) -> int:
    return Roadmap.objects.get(pk=item.roadmap_id).revision


def test_two_editors_changing_different_fields_are_both_kept(client, alice, dave, item):
    alices_form, daves_form = (
        form_data(item, title="Write the policy"),
        form_data(item, owner="Comms"),
    )
    client.force_login(alice)
    assert save(client, item, alices_form).status_code == 200
    client.force_login(dave)
    response = save(client, item, daves_form)  # loaded before Alice saved
    assert response.status_code == 200
    item.refresh_from_db()
    assert (item.title, item.owner, item.revision) == ("Write the policy", "Comms", 3)
    assert item.updated_by == dave
    assert records(item) == 3  # created, Alice's save, Dave's save
    assert 'data-testid="conflict"' not in response.content.decode()


def test_the_same_field_changed_by_both_is_refused_with_both_values_and_the_input_kept(
    client, alice, dave, item
):
    daves_form = form_data(item, title="Dave's title", owner="Comms")
    client.force_login(alice)
    save(client, item, form_data(item, title="Alice's title"))
    before = (records(item), roadmap_revision(item))
    client.force_login(dave)
    response = save(client, item, daves_form)
    assert response.status_code == 409
    html = response.content.decode()
    conflict = re.search(
        r'data-testid="conflict-field" data-field="title">(.*?)</div>\s*</div>', html, re.S
    )
    assert conflict, "the conflict is shown at the title field"
    assert "Alice&#x27;s title" in conflict.group(1)  # saved now
    assert "Dave&#x27;s title" in conflict.group(1)  # your input
    assert f'name="item-{item.pk}-title"' in html
    assert 'value="Dave&#x27;s title"' in html  # the typed input stays in the form
    assert 'value="Comms"' in html
    assert "Alice saved it at" in html
    item.refresh_from_db()
    assert (item.title, item.owner, item.revision) == ("Alice's title", "HR", 2)
    assert (records(item), roadmap_revision(item)) == before  # nothing written


def test_keep_mine_after_seeing_the_conflict_saves_my_input_and_keeps_their_other_changes(
    client, alice, dave, item
):
    daves_form = form_data(item, title="Dave's title")
    client.force_login(alice)
    save(client, item, form_data(item, title="Alice's title", owner="Comms"))
    client.force_login(dave)
    html = save(client, item, daves_form).content.decode()
    keep = re.search(rf'name="item-{item.pk}-keep" value="([^"]+)"', html).group(1)
    assert keep == "2:title"
    response = save(client, item, {**daves_form, f"item-{item.pk}-keep": keep})
    assert response.status_code == 200
    item.refresh_from_db()
    assert (item.title, item.owner, item.revision) == ("Dave's title", "Comms", 3)
    assert records(item) == 3


def test_keep_mine_compares_anew_when_saved_again_since(client, alice, dave, item):
    daves_form = form_data(item, title="Dave's title")
    client.force_login(alice)
    save(client, item, form_data(item, title="Alice's title"))
    client.force_login(dave)
    save(client, item, daves_form)  # sees the conflict at revision 2
    item.refresh_from_db()
    client.force_login(alice)
    save(client, item, form_data(item, title="Alice's second title"))
    client.force_login(dave)
    response = save(client, item, {**daves_form, f"item-{item.pk}-keep": "2:title"})
    assert response.status_code == 409
    assert "Alice&#x27;s second title" in response.content.decode()
    item.refresh_from_db()
    assert item.title == "Alice's second title"


def test_a_move_never_conflicts_with_an_edit_of_another_field(client, alice, dave, item):
    daves_form = form_data(item, title="Dave's title")  # shows the old quarters
    start, end = item.start_quarter, item.end_quarter
    client.force_login(alice)
    move = reverse("roadmaps:item_move", args=[item.roadmap_id, item.pk])
    assert client.post(move, {"quarters": 1}, headers=HTMX).status_code == 200
    assert client.post(move, {"quarters": 1}, headers=HTMX).status_code == 200  # relative: twice
    client.force_login(dave)
    assert save(client, item, daves_form).status_code == 200
    item.refresh_from_db()
    assert (item.title, item.start_quarter, item.end_quarter) == (
        "Dave's title",
        start + 2,
        end + 2,
    )
    assert records(item) == 4


def test_an_edit_of_the_quarters_conflicts_with_a_move_meanwhile(client, alice, dave, item):
    daves_form = form_data(item, end_quarter=item.end_quarter + 3)
    client.force_login(alice)
    client.post(reverse("roadmaps:item_move", args=[item.roadmap_id, item.pk]), {"quarters": 1})
    client.force_login(dave)
    response = save(client, item, daves_form)
    assert response.status_code == 409
    assert 'data-field="end_quarter"' in response.content.decode()


def test_accepting_keeps_an_edit_made_meanwhile(client, alice, dave, item):
    item.is_proposal = True
    item.save()
    daves_form = form_data(item, owner="Comms")
    client.force_login(alice)
    client.post(reverse("roadmaps:item_accept", args=[item.roadmap_id, item.pk]), headers=HTMX)
    client.force_login(dave)
    assert save(client, item, daves_form).status_code == 200
    item.refresh_from_db()
    assert (item.is_proposal, item.owner) == (False, "Comms")


def test_a_base_revision_missing_from_the_trail_asks_for_every_difference(alice, item):
    with pytest.raises(services.ItemConflict) as refused:
        services.item_save(
            item=item, values={"title": "New", "owner": "HR"}, by=alice, base_revision=7
        )
    assert [c.field for c in refused.value.conflicts] == ["title"]  # the owner is unchanged
    item.refresh_from_db()
    assert item.title == "Social media policy"


def test_a_save_that_changes_nothing_writes_nothing(client, alice, item):
    before = (records(item), roadmap_revision(item))
    client.force_login(alice)
    assert save(client, item, form_data(item)).status_code == 200
    item.refresh_from_db()
    assert item.revision == 1
    assert (records(item), roadmap_revision(item)) == before


def test_without_htmx_a_conflict_shows_the_page_with_the_form_open(client, alice, dave, item):
    daves_form = form_data(item, title="Dave's title")
    client.force_login(alice)
    save(client, item, form_data(item, title="Alice's title"))
    client.force_login(dave)
    url = reverse("roadmaps:item_update", args=[item.roadmap_id, item.pk])
    response = client.post(url, daves_form)
    assert response.status_code == 409
    html = response.content.decode()
    assert "<html" in html
    assert 'data-testid="conflict"' in html
    assert 'value="Dave&#x27;s title"' in html
    # and a save without conflict goes back to the page
    item.refresh_from_db()
    response = client.post(url, form_data(item, owner="Comms"))
    assert response.status_code == 302
    assert response.url.endswith(f"#item-{item.pk}")


def test_the_form_is_the_items_own(client, alice, item):
    client.force_login(alice)
    response = client.get(reverse("roadmaps:item_form", args=[item.roadmap_id, item.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'name="item-{item.pk}-title" value="Social media policy"' in html
    assert f'name="item-{item.pk}-owner" value="HR"' in html
    assert f'name="item-{item.pk}-revision" value="1"' in html
    quarters = re.findall(rf'<select name="item-{item.pk}-start_quarter".*?</select>', html, re.S)
    assert quarters[0].count("<option") == 8  # the roadmap's two years


def _create(roadmap, user):
    services.item_create(
        roadmap=roadmap,
        values={
            "title": "New",
            "start_quarter": roadmap.start_quarter,
            "end_quarter": roadmap.start_quarter,
        },
        by=user,
    )


def _save(roadmap, user):
    services.item_save(
        item=roadmap.items.first(), values={"owner": "Comms"}, by=user, base_revision=1
    )


def _accept(roadmap, user):
    services.item_accept(item=roadmap.items.first(), by=user)


def _move(roadmap, user):
    services.item_move(item=roadmap.items.first(), quarters=1, by=user)


def _drop(roadmap, user):
    item = roadmap.items.first()
    services.proposals_decide(roadmap=roadmap, seen={item.pk: item.revision}, accept=False, by=user)


def _accept_many(roadmap, user):
    item = roadmap.items.first()
    services.proposals_decide(roadmap=roadmap, seen={item.pk: item.revision}, accept=True, by=user)


@pytest.mark.parametrize("write", [_create, _save, _accept, _move, _drop, _accept_many])
def test_every_write_is_one_history_record_and_bumps_both_revisions(alice, roadmap, write):
    roadmap.items.update(is_proposal=True)
    before = {item.pk: item.revision for item in roadmap.items.all()}
    history = RoadmapItem.history.count()
    revision = roadmap_revision(roadmap.items.first())
    write(roadmap, alice)
    after = {item.pk: item.revision for item in roadmap.items.all()}
    assert RoadmapItem.history.count() == history + 1
    assert roadmap_revision(roadmap.items.first()) == revision + 1
    changed = [pk for pk in after if after[pk] != before.get(pk)]
    assert len(changed) == 1
    assert after[changed[0]] == before.get(changed[0], 0) + 1
    record = RoadmapItem.history.order_by("-history_id").first()
    assert (record.history_user, record.revision) == (alice, after[changed[0]])


def test_drafting_bumps_the_roadmaps_revision_once_and_records_each_item(alice, roadmap):
    from assessments.models import Criterion

    assessment = roadmap.assessment
    marketing = assessment.scores.get(process__key="marketing")
    marketing.ambition_level = 3
    marketing.save()
    revision, history = roadmap.revision, RoadmapItem.history.count()
    added = roadmap_draft(roadmap=roadmap, by=alice)
    assert added > 0
    assert Criterion.objects.filter(version=assessment.version).exists()
    assert RoadmapItem.history.count() == history + added
    assert Roadmap.objects.get(pk=roadmap.pk).revision == revision + 1
    assert roadmap_draft(roadmap=roadmap, by=alice) == 0
    assert Roadmap.objects.get(pk=roadmap.pk).revision == revision + 1  # nothing added: same
