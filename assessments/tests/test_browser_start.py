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
    expect(page.get_by_test_id("grid")).to_contain_text("Werving & selectie")
    expect(page.get_by_test_id("grid")).to_contain_text("3. Structured")
    page.screenshot(path=f"{artifacts_dir}/start-assessment-en.png", full_page=True)

    page.get_by_role("button", name="NL").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_test_id("grid")).to_contain_text("3. Gestructureerd")
    expect(page.get_by_text("Voortgangsscore en ambitie per proces")).to_be_visible()
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


def test_admin_works_under_the_content_security_policy(live_server, page, demo_data, artifacts_dir):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("demo-admin")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Model versions").click()
    page.get_by_role("link", name="Social Media Growth model, version 1").click()
    expect(page.get_by_text("published and read-only")).to_be_visible()
    # Clone through the action, then open the draft: inlines are editable, "add another" works.
    page.goto(live_server.url + "/admin/assessments/modelversion/")
    page.get_by_role("checkbox").nth(1).check()
    page.locator("select[name=action]").select_option("clone_as_draft")
    page.locator("button[name=index]").click()
    expect(page.get_by_text("as an editable draft")).to_be_visible()
    page.get_by_role("link", name="Social Media Growth model, version 2").click()
    page.locator("#dimensions-group").wait_for()
    rows_before = page.locator("#dimensions-group tbody tr.form-row").count()
    page.locator("#dimensions-group").get_by_role("button", name="Add another Dimension").click()
    expect(page.locator("#dimensions-group tbody tr.form-row")).to_have_count(rows_before + 1)
    assert errors == []
