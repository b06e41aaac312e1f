"""The screens of the room at the sizes projectors and laptops have (1366×900, 1280×720,
1024×768), in English and Dutch: nothing clipped (the radar's process names stay inside the
chart), the presenter screen keeps the radar and heatmap in view. Screenshots land in
test-artifacts/ for a person to look at."""

import re

import pytest
from playwright.sync_api import expect

from dvo_portal.tests.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = [(1366, 900), (1280, 720), (1024, 768)]


def log_in(page, live_server, username, language):
    sign_in(page, live_server, username)
    expect(page.get_by_role("heading", name="Your organisations")).to_be_visible()
    if language == "nl":
        page.get_by_role("button", name="NL").click()
        expect(page.locator("html")).to_have_attribute("lang", "nl")


def labels_outside(page, chart) -> list[str]:
    """The radar's process names that do not fit inside the chart or the window."""
    return page.evaluate(
        """(selector) => {
          const svg = document.querySelector(selector + " svg.main-svg").getBoundingClientRect();
          const right = Math.min(svg.right, document.documentElement.clientWidth);
          return [...document.querySelectorAll(selector + " .angularaxistick text")]
            .filter((text) => {
              const box = text.getBoundingClientRect();
              return box.left < Math.max(svg.left, 0) - 1 || box.right > right + 1;
            })
            .map((text) => text.textContent);
        }""",
        chart,
    )


def in_view(page, selector) -> bool:
    box = page.locator(selector).bounding_box()
    viewport = page.viewport_size
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= viewport["width"] + 1
        and box["y"] + box["height"] <= viewport["height"] + 1
    )


@pytest.mark.parametrize("language", ["en", "nl"])
def test_grid_and_presenter_fit_the_room_screens(
    live_server, page, demo_data, artifacts_dir, language
):
    from assessments.models import Assessment

    assessment = Assessment.objects.get()
    log_in(page, live_server, "consultant", language)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}/assessments/{assessment.pk}/")
        row = page.get_by_test_id("process-row").nth(1)
        row.locator(".grid-row-toggle").click()
        expect(row.locator("form.score-form")).to_be_visible()
        expect(page.locator("#radar .angularaxistick text").first).to_be_attached()
        assert labels_outside(page, "#radar") == [], (width, height)
        assert page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        ), f"the grid scrolls sideways at {width}×{height}"
        if width >= 1280:  # narrower, the heatmap may scroll inside its own region
            assert page.locator("#heatmap").evaluate(
                "(table) => table.scrollWidth <= table.clientWidth"
            ), f"the heatmap's last column is cut off at {width}×{height}"
        page.screenshot(path=f"{artifacts_dir}/room-grid-{language}-{width}x{height}.png")

        page.goto(f"{live_server.url}/assessments/{assessment.pk}/present/")
        expect(page.get_by_test_id("presenter-process")).to_have_text(
            re.compile(r"\S")  # the row just opened
        )
        expect(page.locator("#presenter-radar .angularaxistick text").first).to_be_attached()
        assert labels_outside(page, "#presenter-radar") == [], (width, height)
        assert in_view(page, "#presenter-radar"), (width, height)
        assert in_view(page, "#presenter-heatmap-box"), (width, height)
        page.screenshot(path=f"{artifacts_dir}/room-presenter-{language}-{width}x{height}.png")
