"""axe-core (axe-playwright-python) on the pages people use in the room and after it: the
consultant's grid (a row open), the presenter screen, the report page, the facilitator's
screen, a participant's phone and the manager's start page, in English and Dutch. No critical
or serious violation, and no Content-Security-Policy violation on any of them."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from dvo_portal.tests.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Axe()


def watch_csp(page):
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation', e =>"
        " window.__csp.push([e.violatedDirective, e.blockedURI, e.sourceFile].join(' ')))"
    )


def serious(page) -> list[str]:
    results = AXE.run(page)
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(node["target"][0] for node in violation["nodes"][:5])
        for violation in results.response["violations"]
        if violation["impact"] in {"critical", "serious"}
    ]


def check(page, what):
    found = serious(page)
    assert found == [], f"{what}: {found}"
    assert page.evaluate("window.__csp") == [], what


def log_in(page, live_server, username):
    sign_in(page, live_server, username)
    expect(page.get_by_role("heading", name="Your organisations")).to_be_visible()


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_pages_of_the_room_have_no_serious_accessibility_violation(
    live_server, browser, page, demo_data, language
):
    from assessments.models import Assessment
    from workshops.services import session_start

    assessment = Assessment.objects.get()
    watch_csp(page)
    log_in(page, live_server, "consultant")
    if language == "nl":
        page.get_by_role("button", name="NL").click()
        expect(page.locator("html")).to_have_attribute("lang", "nl")

    page.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    row = page.get_by_test_id("process-row").first
    row.locator(".grid-row-toggle").click()
    expect(row.locator("form.score-form")).to_be_visible()
    check(page, "grid")

    page.goto(f"{live_server.url}/assessments/{assessment.pk}/present/")
    expect(page.get_by_test_id("presenter-process")).to_be_visible()
    check(page, "presenter")

    page.goto(f"{live_server.url}/assessments/{assessment.pk}/report/")
    expect(page.locator("#report-radar .scatterlayer .trace").first).to_be_attached()
    check(page, "report page")

    session = session_start(assessment=assessment, by=assessment.created_by)
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/workshop/")
    expect(page.get_by_test_id("join-code")).to_have_text(session.code)
    check(page, "facilitator")

    phone_context = browser.new_context(viewport={"width": 360, "height": 740})
    phone = phone_context.new_page()
    watch_csp(phone)
    phone.goto(f"{live_server.url}/join/?code={session.code}")
    if language == "nl":
        phone.get_by_role("button", name="NL").click()
    phone.locator("input[name=name]").fill("Sam")
    phone.get_by_role("button", name=re.compile("^(Join|Meedoen)$")).click()
    expect(phone.get_by_test_id("participant-process")).to_be_visible()
    check(phone, "phone")
    phone_context.close()

    page.context.clear_cookies()
    log_in(page, live_server, "manager")
    expect(page.get_by_test_id("home-radar").locator(".scatterlayer .trace").first).to_be_attached()
    check(page, "manager home")
