"""Thermometer 2.0 in a real Chromium: mark the baseline final, measure again, change one
process, explain it, and read the delta in the comparison."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_consultant_measures_again_and_sees_the_delta(
    sign_in, live_server, page, demo_data, artifacts_dir
):
    sign_in("consultant")

    page.get_by_role("link", name="Baseline").click()
    page.get_by_role("button", name="Mark final").click()
    page.locator("#finalise-dialog").get_by_role("button", name="Mark final").click()
    expect(page.get_by_test_id("status")).to_have_text("final")

    page.get_by_role("link", name="Demo Retail BV").click()
    page.get_by_role("link", name="Start a re-assessment").click()
    expect(page.get_by_label("Start from the criteria met last time")).to_be_checked()
    page.get_by_role("button", name="Start re-assessment").click()
    expect(page.get_by_role("heading", name=re.compile("^Re-assessment"))).to_be_visible()

    production = page.get_by_test_id("process-row").filter(
        has=page.locator(".process-name", has_text=re.compile("^Production$"))
    )
    expect(production.get_by_test_id("previous-level")).to_have_text("was not scored")
    production = page.get_by_test_id("process-row").filter(
        has=page.locator(".process-name", has_text=re.compile("^Sales$"))
    )
    expect(production.get_by_test_id("previous-level")).to_have_text("was 2. Experimenting")
    expect(production.get_by_test_id("explain")).to_have_count(0)  # nothing changed yet
    production.locator(".grid-row-toggle").click()
    expect(production.locator("form.score-form")).to_be_visible()  # fetched as the row opens
    production.get_by_role("button", name=re.compile("^3 Structured")).click()  # level-first
    expect(production.get_by_test_id("level")).to_have_text("3. Structured")
    expect(production.get_by_test_id("explain")).to_be_visible()
    production.get_by_label("What changed in the organisation").fill("Pilots on LinkedIn started")
    expect(production.get_by_test_id("explain")).to_have_count(0)
    expect(page.locator("#save-state")).to_have_text("All changes saved")

    page.get_by_role("link", name="Demo Retail BV").click()
    page.get_by_role("link", name="Compare").click()
    row = page.get_by_test_id("comparison-row").filter(
        has=page.get_by_role("rowheader", name="Sales", exact=True)
    )
    expect(row.get_by_test_id("delta")).to_have_text("+0.6")  # 2.45 then, 3.0 now
    expect(row).to_contain_text("Pilots on LinkedIn started")
    expect(page.get_by_test_id("compare-radar").locator(".scatterlayer .trace")).to_have_count(3)
    page.screenshot(path=f"{artifacts_dir}/comparison.png", full_page=True)

    page.get_by_role("link", name="Trend").click()
    expect(page.get_by_test_id("trend-chart").locator(".scatterlayer .trace")).to_have_count(8)
