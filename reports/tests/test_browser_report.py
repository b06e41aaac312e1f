"""A manager in a real Chromium: start page radar, the report page, its printout, and the PDF
download."""

import io

import pytest
from django.test import testcases
from playwright.sync_api import expect
from pypdf import PdfReader

from assessments.models import Assessment
from reports.tests.test_downloads import run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_reads_the_report_and_downloads_the_pdf(
    sign_in, live_server, page, demo_data, artifacts_dir
):
    sign_in("manager")

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

    page.get_by_test_id("download-pdf").click()  # prepared in the background, then offered
    with testcases.LiveServerThread.server_class._turn:  # the shared SQLite connection's turn
        run_worker()
    with page.expect_download() as download_info:
        page.get_by_test_id("download-file").click()
    download = download_info.value
    assert download.suggested_filename == "dvo-report-demo-retail-bv-2026-10-15-en.pdf"
    path = download.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"


PRINT_WIDTH = 680  # px: what A4 holds within the print margins (static/css/portal.css)


@pytest.mark.parametrize(("language", "heading"), [("en", "Summary"), ("nl", "Samenvatting")])
def test_the_report_page_prints_without_navigation_or_controls(
    sign_in, live_server, page, demo_data, artifacts_dir, language, heading
):
    page.set_viewport_size({"width": 1600, "height": 900})  # charts wider than a sheet
    sign_in("manager")
    assessment = Assessment.objects.get()
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/report/?lang={language}")
    radar = page.locator("#report-radar")
    expect(radar.locator(".scatterlayer .trace")).to_have_count(2)
    controls = [
        page.get_by_role("navigation", name="Main navigation"),
        page.get_by_role("navigation", name="Breadcrumb"),
        page.get_by_role("link", name="Download PDF"),
        page.get_by_role("link", name="Excel"),
        page.get_by_role("link", name="Nederlands"),
        page.get_by_role("button", name="NL"),
    ]
    for control in controls:
        expect(control).to_be_visible()

    page.emulate_media(media="print")
    for control in controls:
        expect(control).to_be_hidden()
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(page.get_by_test_id("report-processes")).to_be_visible()
    # As the browser does before it lays the page out for paper: the charts fit the sheet.
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    expect(radar.locator(".main-svg").first).to_have_attribute("width", str(PRINT_WIDTH))
    expect(radar.locator(".scatterlayer .trace")).to_have_count(2)
    pdf = page.pdf(path=f"{artifacts_dir}/report-print-{language}.pdf", format="A4")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert heading in text
    assert "Demo Retail BV" in text
    for chrome in ("Download PDF", "Excel", "Skip to the content", "Organisations", "EN NL"):
        assert chrome not in text, chrome

    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    page.emulate_media(media="screen")
    for control in controls:
        expect(control).to_be_visible()
    assert int(radar.locator(".main-svg").first.get_attribute("width")) > PRINT_WIDTH
