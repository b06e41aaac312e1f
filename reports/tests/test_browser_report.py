"""A manager in a real Chromium: start page radar, the report page, and the PDF download."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_reads_the_report_and_downloads_the_pdf(
    log_in, live_server, page, demo_data, artifacts_dir
):
    log_in("manager", "demo-manager")

    radar = page.get_by_test_id("home-radar")
    expect(radar).to_have_attribute("data-series", "current,ambition")
    expect(radar.locator(".scatterlayer .trace")).to_have_count(2)
    page.screenshot(path=f"{artifacts_dir}/manager-start.png", full_page=True)

    page.get_by_role("link", name="Open the report").click()
    expect(page.get_by_role("heading", name="Samenvatting")).to_be_visible()  # organisation: nl
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="Summary")).to_be_visible()
    report_radar = page.locator("#report-radar")
    expect(report_radar.locator(".scatterlayer .trace")).to_have_count(2)
    expect(page.get_by_test_id("report-processes")).to_contain_text("Werving & selectie")
    page.screenshot(path=f"{artifacts_dir}/report-page.png", full_page=True)

    with page.expect_download() as download_info:
        page.get_by_test_id("download-pdf").click()
    download = download_info.value
    assert download.suggested_filename == "dvo-report-demo-retail-bv-2026-10-15-en.pdf"
    path = download.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
