"""The skip link in a real Chromium: out of sight until a keyboard user tabs onto it, then the
first thing on the screen, and it takes the focus past the navigation to the content."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_skip_link_shows_on_focus_and_jumps_to_the_content(
    sign_in, page, demo_data, artifacts_dir
):
    sign_in("manager")
    expect(page.get_by_test_id("organisation")).to_be_visible()
    skip = page.get_by_role("link", name="Skip to the content")
    box = skip.bounding_box()
    assert box["y"] + box["height"] <= 0  # out of sight, still read out

    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box["y"] >= 0
    assert box["height"] > 0
    page.screenshot(path=f"{artifacts_dir}/skip-link-focused.png")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")  # on from the content, not from the top of the navigation
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")
