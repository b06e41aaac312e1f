"""A failed htmx request in a real Chromium: the page says so in its alert region, in a short
line, and swaps nothing in; no reload (a marker set on the page survives)."""

import re

import pytest
from playwright.sync_api import expect

from assessments.models import Membership
from dvo_portal.tests.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GONE = "This is no longer there, or no longer open to you. Reload the page."
OFFLINE = "No connection to the server. Check your network, then try again."


def open_marketing(page, live_server, assessment):
    sign_in(page, live_server, "alice", then=f"/assessments/{assessment.pk}/")
    page.evaluate("window.__sameDocument = true")
    process = page.get_by_test_id("process-row").filter(
        has=page.locator(".process-name", has_text=re.compile("^Marketing$"))
    )
    process.locator(".grid-row-toggle").click()
    expect(process.locator("form.score-form")).to_be_visible()
    return process


def test_a_save_refused_by_the_server_shows_its_message_and_changes_nothing(
    live_server, page, alice, baseline, artifacts_dir
):
    marketing = open_marketing(page, live_server, baseline)
    alerts = page.get_by_test_id("app-alerts")
    expect(alerts).to_have_attribute("aria-live", "polite")
    expect(alerts).to_be_empty()
    heatmap = page.get_by_test_id("heatmap").inner_text()

    Membership.objects.filter(user=alice).delete()  # taken off the organisation meanwhile
    marketing.get_by_role("button", name=re.compile("^2 ")).click()

    expect(alerts).to_have_text(GONE)
    expect(alerts.get_by_text(GONE)).to_be_visible()
    # What the save's answer would have swapped is as it was: no level, no page inside the page.
    expect(marketing.get_by_test_id("level")).to_have_text("not scored")
    expect(page.get_by_test_id("progress")).to_have_text("0 of 7 scored")
    assert page.get_by_test_id("heatmap").inner_text() == heatmap
    expect(page.get_by_text("Page not found")).to_have_count(0)
    assert page.locator("html").count() == 1
    assert page.evaluate("window.__sameDocument === true")
    page.screenshot(path=f"{artifacts_dir}/htmx-error.png")

    alerts.get_by_role("button", name="Close").click()
    expect(alerts).to_be_empty()


def test_a_request_that_never_arrives_says_so_until_one_gets_through(
    live_server, page, alice, baseline
):
    marketing = open_marketing(page, live_server, baseline)
    alerts = page.get_by_test_id("app-alerts")
    save_url = re.compile(r"/scores/\d+/$")
    page.route(save_url, lambda route: route.abort("internetdisconnected"))
    marketing.get_by_role("button", name=re.compile("^2 ")).click()
    expect(alerts).to_have_text(OFFLINE)

    page.unroute(save_url)
    marketing.get_by_role("button", name=re.compile("^3 ")).click()
    expect(marketing.get_by_test_id("level")).to_contain_text("3")
    expect(alerts).to_be_empty()
    assert page.evaluate("window.__sameDocument === true")
