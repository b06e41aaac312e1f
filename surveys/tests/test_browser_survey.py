"""A pre-workshop survey in real Chromium: the consultant opens it from the grid, six
respondents in two groups answer from phone-sized browsers, the consultant sees the figures
in the grid, orders the rows by disagreement, and the report (page and PDF) has the survey."""

import os
import subprocess

import pytest
from playwright.sync_api import expect

from reports.pdf import assessment_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
SHOTS = os.path.join(os.path.dirname(__file__), "..", "..", "test-artifacts")
os.makedirs(SHOTS, exist_ok=True)


def answer_on_a_phone(browser, link, group, levels, *, shot=""):
    context = browser.new_context(**PHONE)
    phone = context.new_page()
    phone.goto(link)
    phone.get_by_test_id("survey-group-select").select_option(label=group)
    processes = phone.get_by_test_id("survey-process")
    for index, level in levels.items():
        processes.nth(index).locator(f'input[type=radio][value="{level}"]').check()
    phone.get_by_test_id("survey-submit").click()
    expect(phone.get_by_test_id("survey-saved")).to_be_visible()
    if shot:
        phone.screenshot(path=f"{SHOTS}/{shot}.png", full_page=False)
    context.close()


def test_a_survey_from_opening_to_the_report(live_server, page, browser, sign_in, baseline):
    scores = list(baseline.scores.select_related("process").order_by("order", "id"))
    first, last = scores[0], scores[-1]
    sign_in("alice")
    page.goto(f"{live_server.url}/assessments/{baseline.pk}/")
    page.get_by_test_id("survey-open-link").click()
    page.get_by_label("Respondent groups").fill("management\nstaff")
    page.get_by_test_id("survey-open").click()
    link = page.get_by_test_id("survey-link").inner_text().strip()

    # Management sees 4 for the first process, staff 2; the last one splits the room.
    for n in range(3):
        answer_on_a_phone(
            browser,
            link,
            "management",
            {0: 4, len(scores) - 1: 1 + 4 * (n % 2)},
            shot="survey_phone" if n == 0 else "",
        )
    for n in range(3):
        answer_on_a_phone(browser, link, "staff", {0: 2, len(scores) - 1: 5 - 4 * (n % 2)})

    page.goto(f"{live_server.url}/assessments/{baseline.pk}/")
    row = page.locator(f'[data-testid=survey-row][data-score="{first.pk}"]')
    expect(row.get_by_test_id("survey-median")).to_contain_text("3")
    expect(row.get_by_test_id("survey-confidence")).to_be_visible()
    expect(row.get_by_test_id("survey-gap")).to_contain_text("2")
    expect(row.get_by_test_id("survey-gap")).to_contain_text("management")
    page.screenshot(path=f"{SHOTS}/survey_grid.png", full_page=True)
    rows = page.get_by_test_id("process-row")
    expect(rows.first).to_have_attribute("id", f"score-{first.pk}")
    page.get_by_test_id("order-disagreement").click()
    expect(rows.first).to_have_attribute("id", f"score-{last.pk}")
    page.screenshot(path=f"{SHOTS}/survey_grid_ordered.png", full_page=True)

    page.get_by_test_id("survey-results-link").click()
    expect(page.get_by_test_id("survey-status")).to_contain_text("6")
    page.screenshot(path=f"{SHOTS}/survey_results.png", full_page=True)

    page.goto(f"{live_server.url}/assessments/{baseline.pk}/report/")
    section = page.get_by_test_id("report-survey")
    expect(section).to_contain_text("management 4, staff 2")
    section.screenshot(path=f"{SHOTS}/survey_report.png")

    pdf = assessment_pdf(baseline, "en")
    with open(f"{SHOTS}/survey_report.pdf", "wb") as out:
        out.write(pdf)
    pages = subprocess.run(  # noqa: S603 - our own tools on our own files
        ["pdftotext", "-layout", f"{SHOTS}/survey_report.pdf", "-"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\f")
    number = next(
        i
        for i, text in enumerate(pages, start=1)
        if "Pre-workshop survey" in text and "Perception gap" in text
    )
    assert "management 4, staff 2" in pages[number - 1]
    subprocess.run(  # noqa: S603 - our own tools on our own files
        [  # noqa: S607
            "pdftoppm",
            "-r",
            "60",
            "-png",
            "-f",
            str(number),
            "-l",
            str(number),
            f"{SHOTS}/survey_report.pdf",
            f"{SHOTS}/survey_pdf",
        ],
        check=True,
    )
