"""A live workshop in real Chromium: one consultant, three participants on their phones."""

import re

import pytest
from playwright.sync_api import expect

from assessments.models import ProcessScore

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_three_participants_vote_and_the_consultant_sets_consensus(
    log_in, live_server, browser, page, demo_data, artifacts_dir
):
    log_in("consultant", "demo-consultant")
    page.get_by_role("link", name="Baseline").click()
    page.get_by_role("link", name="Live workshop").click()
    page.get_by_role("button", name="Open a live session").click()
    code = page.get_by_test_id("join-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{6}", code)
    expect(page.get_by_test_id("qr").locator("svg")).to_be_visible()
    expect(page.get_by_test_id("current-process")).to_have_text("Marketing")

    phones = []
    for name, level in (
        ("Anna", "2. Experimenting"),
        ("Bram", "3. Structured"),
        ("Cees", "3. Structured"),
    ):
        context = browser.new_context(**PHONE)
        phone = context.new_page()
        phone.set_default_timeout(10_000)
        phone.goto(f"{live_server.url}/join/?code={code}")
        phone.get_by_label("Your name (optional)").fill(name)
        phone.get_by_role("button", name="Join").click()
        expect(phone.get_by_test_id("participant-process")).to_have_text("Marketing")
        phone.get_by_role("button", name=re.compile(f"^{re.escape(level)}")).click()
        expect(phone.get_by_test_id("own-vote")).to_contain_text(level.split(".")[0])
        phones.append((context, phone))

    # Before the reveal only the count shows.
    expect(page.get_by_test_id("vote-count")).to_have_text("3 votes")
    expect(page.get_by_test_id("vote-chart")).to_have_count(0)
    phones[0][1].screenshot(path=f"{artifacts_dir}/workshop-phone.png")

    page.get_by_role("button", name="Reveal the votes").click()
    expect(page.get_by_test_id("median")).to_have_text("3")
    expect(page.get_by_test_id("spread")).to_have_text("1")
    expect(page.get_by_test_id("vote-chart").locator(".barlayer .point")).to_have_count(5)
    page.screenshot(path=f"{artifacts_dir}/workshop-consultant.png", full_page=True)

    page.get_by_role("button", name="3. Structured", exact=True).click()
    expect(page.get_by_text("Consensus for Marketing: level 3.")).to_be_visible()
    marketing = ProcessScore.objects.get(process__key="marketing")
    assert marketing.override_level in (None, 3)  # None when 3 is the computed level

    page.get_by_role("button", name="Next process").click()
    expect(page.get_by_test_id("current-process")).to_have_text("Sales")
    for context, phone in phones:
        expect(phone.get_by_test_id("participant-process")).to_have_text("Sales", timeout=6_000)
        expect(phone.get_by_test_id("own-vote")).to_have_count(0)
        context.close()
