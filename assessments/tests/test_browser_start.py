"""In a real Chromium: log in as the demo consultant, see the demo organisation, switch to Dutch."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_consultant_logs_in_sees_demo_data_and_switches_language(
    live_server, page, demo_data, artifacts_dir
):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.get_by_label("Username").fill("consultant")
    page.get_by_label("Password").fill("demo-consultant")
    page.get_by_role("button", name="Log in").click()

    organisation = page.get_by_test_id("organisation")
    expect(organisation).to_have_count(1)
    expect(organisation).to_contain_text("Demo Retail BV")
    page.get_by_role("link", name="Baseline").click()
    expect(page.get_by_test_id("scores")).to_contain_text("Werving & selectie")
    expect(page.get_by_test_id("levels")).to_contain_text("3. Structured")
    page.screenshot(path=f"{artifacts_dir}/start-assessment-en.png", full_page=True)

    page.get_by_role("button", name="NL").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_test_id("levels")).to_contain_text("3. Gestructureerd")
    expect(page.get_by_role("columnheader", name="Bedrijfsproces")).to_be_visible()
    page.screenshot(path=f"{artifacts_dir}/start-assessment-nl.png", full_page=True)


def test_pages_run_without_csp_violations_or_console_errors(live_server, page, demo_data):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("manager")
    page.get_by_label("Password").fill("demo-manager")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("organisation")).to_contain_text("Demo Retail BV")
    assert errors == []
