"""The roadmap in a real Chromium: create and draft it, then accept, move, edit and decide
proposals with htmx: the row and the timeline follow without a reload, and a reload keeps it."""

from html import unescape

import pytest
from playwright.sync_api import expect

from roadmaps.models import RoadmapItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What the timeline plots now: per trace its name and, per bar, its label and quarters.
PLOTTED = """() => (document.querySelector('#timeline').data || []).map((trace) =>
  [trace.name, trace.customdata.map((label, i) => [label, trace.base[i], trace.x[i]])])"""


def plotted(page):
    return page.evaluate(PLOTTED)


def bar_of(data, title):
    """(trace name, start, length) of the bar whose label ends with `title`."""
    return next(
        (name, base, length)
        for name, bars in data
        for label, base, length in bars
        if unescape(label).endswith(title)
    )


@pytest.fixture
def drafted(sign_in, live_server, page, demo_data):
    sign_in("consultant")
    page.get_by_role("link", name="Baseline").click()
    page.get_by_role("link", name="Roadmap").click()
    page.get_by_role("button", name="Create the roadmap").click()
    page.get_by_role("button", name="Draft from gaps").click()
    expect(page.get_by_text("items were proposed from the gaps")).to_be_visible()
    expect(page.get_by_test_id("timeline").locator(".barlayer .point")).to_have_count(
        RoadmapItem.objects.count()
    )
    page.evaluate("window.__marker = 'no reload'")
    return page


def test_accept_and_move_change_the_row_and_the_timeline_without_a_reload(drafted, artifacts_dir):
    page = drafted
    rows = page.get_by_test_id("roadmap-item")
    first = rows.first
    item_id = first.get_attribute("id")
    title = first.get_by_test_id("title").inner_text()
    count = page.get_by_test_id("proposal-count")
    proposals = RoadmapItem.objects.filter(is_proposal=True).count()
    expect(count).to_have_text(f"{proposals} proposals to review")

    # Accept: the row loses its "proposed" badge, the count goes down.
    first.get_by_role("button", name="Accept").click()
    row = page.locator(f"#{item_id}")
    expect(row.get_by_test_id("proposed")).to_have_count(0)
    expect(count).to_have_text(f"{proposals - 1} proposals to review")

    # Move: the row shows the new quarters and the timeline plots them.
    before = plotted(page)
    page.evaluate(f"window.__plotted = JSON.stringify(({PLOTTED})())")
    when = row.get_by_test_id("when").inner_text()
    row.get_by_role("button", name="One quarter later").click()
    expect(row.get_by_test_id("when")).not_to_have_text(when)
    page.wait_for_function(f"() => JSON.stringify(({PLOTTED})()) !== window.__plotted")
    name, start, length = bar_of(plotted(page), title)
    assert (name, start - 1, length) == bar_of(before, title)
    assert page.evaluate("window.__marker") == "no reload"

    # Colour by status: the same figure carrier, the other figure.
    page.get_by_label("Colour by").select_option("timeline-status")
    expect(page.get_by_test_id("timeline").locator(".legend")).to_contain_text("Planned")
    page.get_by_label("Colour by").select_option("timeline-dimension")

    # A reload keeps both.
    after = row.get_by_test_id("when").inner_text()
    page.reload()
    row = page.locator(f"#{item_id}")
    expect(row.get_by_test_id("when")).to_have_text(after)
    expect(row.get_by_test_id("proposed")).to_have_count(0)
    item = RoadmapItem.objects.get(pk=int(item_id.removeprefix("item-")))
    assert not item.is_proposal
    assert str(item.start) in after
    page.get_by_test_id("timeline").screenshot(path=f"{artifacts_dir}/roadmap-timeline.png")


def test_edit_an_item_in_its_row_and_decide_proposals_at_once(drafted, artifacts_dir):
    page = drafted
    page.set_viewport_size({"width": 1366, "height": 900})
    rows = page.get_by_test_id("roadmap-item")
    second = rows.nth(1)
    item_id = second.get_attribute("id")

    # The form is fetched into the row; a bad value is refused at its field, input kept.
    second.get_by_role("link", name="Edit").click()
    form = second.get_by_test_id("item-form")
    expect(form).to_be_visible()
    title = form.get_by_label("Deliverable")
    expect(title).to_be_focused()
    title.fill("Write the social media policy")
    form.get_by_label("Owner").fill("Communication lead")
    page.screenshot(path=f"{artifacts_dir}/roadmap-edit.png")
    form.get_by_label("Start").select_option(index=5)
    form.get_by_label("End").select_option(index=2)
    form.get_by_role("button", name="Save").click()
    expect(second.get_by_test_id("field-error")).to_contain_text("lies before the start quarter")
    expect(second.get_by_label("Deliverable")).to_have_value("Write the social media policy")
    second.get_by_label("End").select_option(index=6)
    second.get_by_role("button", name="Save").click()
    expect(second.get_by_test_id("item-form")).to_have_count(0)
    expect(second.get_by_test_id("title")).to_have_text("Write the social media policy")
    expect(page.locator(f"#{item_id}")).to_contain_text("Communication lead")
    assert any(
        unescape(label).endswith("Write the social media policy")
        for _name, bars in plotted(page)
        for label, _base, _length in bars
    )

    # Tick two proposals and drop them; accept all that are left.
    third, fourth = rows.nth(2), rows.nth(3)
    third.get_by_role("checkbox").check()
    fourth.get_by_role("checkbox").check()
    page.get_by_role("button", name="Drop selected").click()
    expect(page.get_by_test_id("bulk-message")).to_have_text("2 proposals dropped.")
    expect(third.get_by_test_id("status")).to_have_text("Dropped")
    expect(third.get_by_test_id("proposed")).to_have_count(0)
    left = RoadmapItem.objects.filter(is_proposal=True).count()
    page.get_by_role("button", name="Accept all proposals").click()
    expect(page.get_by_test_id("bulk-message")).to_have_text(f"{left} proposals accepted.")
    expect(page.get_by_test_id("proposed")).to_have_count(0)
    expect(page.get_by_test_id("proposal-count")).to_have_count(0)
    assert page.evaluate("window.__marker") == "no reload"
    assert RoadmapItem.objects.filter(is_proposal=True).count() == 0
    assert RoadmapItem.objects.filter(status="dropped").count() == 2


def test_screenshot_of_the_roadmap_with_proposals_and_a_form_open(drafted, artifacts_dir):
    page = drafted
    page.set_viewport_size({"width": 1366, "height": 900})
    rows = page.get_by_test_id("roadmap-item")
    rows.nth(1).get_by_role("link", name="Edit").click()
    expect(rows.nth(1).get_by_test_id("item-form")).to_be_visible()
    rows.nth(1).scroll_into_view_if_needed()
    page.screenshot(path=f"{artifacts_dir}/roadmap-proposals-form.png")
    page.get_by_test_id("roadmap-table").scroll_into_view_if_needed()
    page.screenshot(path=f"{artifacts_dir}/roadmap-page.png", full_page=True)


def test_a_conflict_shows_both_values_and_keep_mine_saves_mine(drafted):
    from django.contrib.auth import get_user_model

    from roadmaps import services

    page = drafted
    row = page.get_by_test_id("roadmap-item").first
    item = RoadmapItem.objects.get(pk=int(row.get_attribute("id").removeprefix("item-")))
    row.get_by_role("link", name="Edit").click()
    title = row.get_by_label("Deliverable")
    expect(title).to_be_focused()
    # A colleague saves another title (and an owner) while this form is open.
    colleague = get_user_model().objects.get(username="consultant")
    services.item_save(
        item=item, values={"title": "Their title", "owner": "Their owner"}, by=colleague
    )
    title.fill("My title")
    row.get_by_role("link", name="Edit").click()  # the open form is kept, not fetched again
    expect(title).to_have_value("My title")
    row.get_by_role("button", name="Save").click()
    conflict = row.get_by_test_id("conflict-field")
    expect(conflict.get_by_test_id("theirs")).to_have_text("Their title")
    expect(conflict.get_by_test_id("mine")).to_have_text("My title")
    expect(row.get_by_label("Deliverable")).to_have_value("My title")
    expect(row.get_by_label("Deliverable")).to_be_focused()
    row.get_by_role("button", name="Keep my input").click()
    expect(row.get_by_test_id("item-form")).to_have_count(0)
    expect(row.get_by_test_id("title")).to_have_text("My title")
    expect(row).to_contain_text("Their owner")  # their other change is kept
    item.refresh_from_db()
    assert (item.title, item.owner) == ("My title", "Their owner")

    # A new item through "Add an item" (a plain form post: the page reloads with it).
    page.get_by_text("Add an item").click()
    form = page.get_by_test_id("new-item-form")
    form.get_by_label("Deliverable").fill("Train the team")
    form.get_by_role("button", name="Add").click()
    expect(page.get_by_text("The item was added.")).to_be_visible()
    expect(page.get_by_test_id("roadmap-table")).to_contain_text("Train the team")
