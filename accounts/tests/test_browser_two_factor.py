"""In a real Chromium: a consultant switches on two-factor authentication and logs in with it."""

import pytest
from playwright.sync_api import expect

from accounts.tests.test_two_factor import totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_consultant_switches_on_two_factor_and_needs_the_code_next_time(
    live_server, page, log_in, demo_data, artifacts_dir
):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    log_in("consultant", "demo-consultant")
    page.get_by_test_id("current-user").click()
    page.get_by_role("link", name="Two-factor authentication").click()
    page.screenshot(path=f"{artifacts_dir}/two-factor-index.png", full_page=True)
    page.get_by_role("link", name="Activate").click()

    # Switching it on asks for the password first.
    page.get_by_label("Password").fill("demo-consultant")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("img")).to_be_visible()  # the QR code to scan
    secret = page.locator("#authenticator_secret").input_value()
    page.screenshot(path=f"{artifacts_dir}/two-factor-activate.png", full_page=True)
    page.get_by_label("Authenticator code").fill(totp(secret))
    page.get_by_role("button", name="Activate").click()
    expect(page.locator("#recovery_codes")).to_be_visible()
    page.screenshot(path=f"{artifacts_dir}/two-factor-recovery-codes.png", full_page=True)

    page.get_by_test_id("current-user").click()
    page.get_by_role("button", name="Log out").click()
    log_in("consultant", "demo-consultant")
    expect(page.get_by_role("heading", name="Two-Factor Authentication")).to_be_visible()
    page.screenshot(path=f"{artifacts_dir}/two-factor-code.png", full_page=True)
    page.get_by_label("Code").fill(totp(secret))
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_test_id("organisation")).to_contain_text("Demo Retail BV")

    # Where the consultant is logged in: this browser, marked as the current one.
    page.get_by_test_id("current-user").click()
    page.get_by_role("link", name="Sessions").click()
    expect(page.get_by_role("heading", name="Sessions")).to_be_visible()
    expect(page.get_by_role("cell", name="Current")).to_be_visible()
    page.screenshot(path=f"{artifacts_dir}/sessions.png", full_page=True)
    assert errors == []
