"""The roadmap in a real Chromium: create, draft, move an item a quarter, reload, still moved."""

import pytest
from playwright.sync_api import expect

from roadmaps.models import RoadmapItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_consultant_drafts_the_roadmap_and_moves_an_item(
    log_in, live_server, page, demo_data, artifacts_dir
):
    log_in("consultant", "demo-consultant")
    page.get_by_role("link", name="Baseline").click()
    page.get_by_role("link", name="Roadmap").click()
    page.get_by_role("button", name="Create the roadmap").click()
    page.get_by_role("button", name="Draft from gaps").click()
    expect(page.get_by_text("items were proposed from the gaps")).to_be_visible()

    timeline = page.get_by_test_id("timeline")
    expect(timeline.locator(".barlayer .point").first).to_be_visible()
    count = RoadmapItem.objects.count()
    expect(timeline.locator(".barlayer .point")).to_have_count(count)

    first = page.get_by_test_id("roadmap-item").first
    item_id = first.get_attribute("id")
    before = first.get_by_test_id("when").inner_text()
    first.get_by_role("button", name="One quarter later").click()
    moved = page.locator(f"#{item_id}").get_by_test_id("when")
    expect(moved).not_to_have_text(before)
    after = moved.inner_text()
    page.reload()
    expect(page.locator(f"#{item_id}").get_by_test_id("when")).to_have_text(after)
    item = RoadmapItem.objects.get(pk=int(item_id.removeprefix("item-")))
    assert str(item.start) in after

    page.get_by_label("Colour by").select_option("timeline-status")
    expect(timeline).to_have_attribute("data-figure", "timeline-status")
    expect(timeline.locator(".legend")).to_contain_text("Planned")
    page.get_by_label("Colour by").select_option("timeline-dimension")
    expect(timeline.locator(".legend")).to_contain_text("Governance")
    timeline.screenshot(path=f"{artifacts_dir}/roadmap-timeline.png")
