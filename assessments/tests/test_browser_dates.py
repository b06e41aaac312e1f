"""Dates in a real Chromium: the date picker gets an ISO value in Dutch too, so a baseline
starts with the date the form proposes, without picking one by hand."""

import datetime
import re

import pytest
from django.utils import translation
from django.utils.formats import date_format
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_in_dutch_a_baseline_starts_with_the_proposed_date(
    sign_in, live_server, page, demo_data, artifacts_dir
):
    sign_in("consultant")
    page.get_by_role("button", name="NL").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")

    page.get_by_role("link", name="Demo Retail BV").click()
    page.get_by_role("link", name="Een nulmeting starten").click()
    date = page.get_by_label("Datum")
    # An input type=date with a value it cannot read (01-12-2026) is empty: check what it holds.
    expect(date).to_have_value(re.compile(r"^\d{4}-\d{2}-\d{2}$"))
    proposed = datetime.date.fromisoformat(date.input_value())
    assert date.evaluate("input => input.validity.valid") is True
    page.screenshot(path=f"{artifacts_dir}/start-baseline-nl.png", full_page=True)

    page.get_by_role("button", name="Nulmeting starten").click()
    expect(page).to_have_url(re.compile(r"/assessments/\d+/$"))
    expect(page.get_by_role("heading", name="Nulmeting · Demo Retail BV")).to_be_visible()
    with translation.override("nl"):
        shown = date_format(proposed, "DATE_FORMAT")  # e.g. "1 december 2026"
    expect(page.get_by_text(shown, exact=False).first).to_be_visible()
    expect(page.get_by_test_id("grid")).to_contain_text("Werving & selectie")
