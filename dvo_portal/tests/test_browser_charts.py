"""Every page with a chart, in a real Chromium, as the demo consultant (English) and the demo
manager (Dutch): each chart draws its traces, and the page logs no CSP violation and no console
error (our plotly.js bundle carries no map module, so nothing injects a <style>)."""

import pytest
from playwright.sync_api import expect

from assessments.models import Assessment
from assessments.services import assessment_finalise, reassessment_start
from roadmaps.quarters import Quarter
from roadmaps.services import roadmap_create, roadmap_draft
from workshops.services import join, session_reveal, session_start, vote_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__csp.push([e.violatedDirective, e.sourceFile, e.lineNumber, e.sample].join(" ")));
"""
# The vote chart's traces at the first frame after htmx next swaps the votes panel in anew
# (it polls every two seconds; -1 if no swap came within ten).
TRACES_AFTER_NEXT_POLL = """() => new Promise((done) => {
  setTimeout(() => done(-1), 10000);
  document.body.addEventListener("htmx:afterSwap", () => requestAnimationFrame(() =>
    done(document.querySelectorAll("[data-testid=vote-chart] g.trace").length)), { once: true });
})"""


@pytest.fixture
def charted(demo_data):
    """The demo baseline final, a re-assessment with a roadmap, and a workshop on it whose
    votes are revealed: every chart of the portal has something to draw."""
    baseline = Assessment.objects.get()
    consultant = baseline.created_by
    assessment_finalise(assessment=baseline)
    again = reassessment_start(
        previous=baseline, version=baseline.version, copy_answers=True, by=consultant
    )
    roadmap = roadmap_create(assessment=again, start=Quarter.of(2027, 1))
    assert roadmap_draft(roadmap=roadmap, by=consultant) > 0
    session = session_start(assessment=again, by=consultant)
    for name, level in (("Anna", 2), ("Bram", 3)):
        participant = join(code=session.code, name=name, block="127.0.0.1")
        vote_cast(
            participant=participant, session=session, level=level, score_id=session.current_id
        )
    session_reveal(session=session, score_id=session.current_id, by=consultant)
    return baseline, again


def chart_pages(baseline, again, *, consultant: bool):
    """(path, chart selectors) for every page with a chart the user may open."""
    organisation = baseline.organisation_id
    pages = [
        (f"/assessments/{baseline.pk}/", ["#radar"]),
        (f"/assessments/{again.pk}/", ["#radar"]),
        (
            f"/assessments/{again.pk}/report/",
            ["#report-radar"],  # the trend and the timeline are drawn without plotly
        ),
        (f"/organisations/{organisation}/compare/", ["#compare-radar"]),
        (f"/organisations/{organisation}/trend/", ["#trend"]),
        (f"/assessments/{again.pk}/roadmap/", ["#timeline"]),
    ]
    if consultant:  # the workshop is the consultant's alone
        return [*pages, (f"/assessments/{again.pk}/workshop/", ["[data-testid=vote-chart]"])]
    return [("/", ["[data-testid=home-radar]"]), *pages]  # the radar on a manager's start page


def watch(page) -> list[str]:
    """Console errors, uncaught errors and CSP violations of every page from now on."""
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.add_init_script(WATCH)
    return problems


def visit_every_chart(page, base_url, pages, problems) -> dict[str, set[str]]:
    """Open each page and check that its charts drew and nothing was blocked. Returns per page
    the separators plotly took from the locale it drew with (",." in Dutch, ".," in English)."""
    separators = {}
    for path, selectors in pages:
        page.goto(base_url + path)
        for selector in selectors:
            chart = page.locator(selector)
            expect(chart.locator("g.trace").first).to_be_attached()
            drawn = page.evaluate(
                "(s) => { const gd = document.querySelector(s);"
                " return [gd.data.length, gd._fullLayout.separators]; }",
                selector,
            )
            assert drawn[0] > 0, f"{path} {selector}: no traces"
            separators.setdefault(path, set()).add(drawn[1])
        assert page.evaluate("document.querySelectorAll('style').length") == 0, path
        problems += [f"{path} CSP: {v}" for v in page.evaluate("window.__csp")]
    assert problems == []
    return separators


def test_every_chart_draws_without_csp_violations_or_console_errors(
    live_server, page, sign_in, charted, artifacts_dir
):
    baseline, again = charted
    problems = watch(page)
    sign_in("consultant")
    expect(page.get_by_role("heading", name="Your organisations")).to_be_visible()
    pages = chart_pages(baseline, again, consultant=True)
    english = visit_every_chart(page, live_server.url, pages, problems)
    # The report body is in the organisation's language (Dutch), the rest of the portal English.
    assert english.pop(f"/assessments/{again.pk}/report/") == {",."}
    assert set().union(*english.values()) == {".,"}
    # The votes panel comes anew every two seconds (htmx drops its <script>s): still drawn.
    page.goto(f"{live_server.url}/assessments/{again.pk}/workshop/")
    expect(page.get_by_test_id("vote-chart").locator("g.trace")).to_have_count(1)
    assert page.evaluate(TRACES_AFTER_NEXT_POLL) == 1
    page.goto(f"{live_server.url}/assessments/{baseline.pk}/")
    expect(page.locator("#radar g.trace")).to_have_count(2)
    page.locator("#radar").screenshot(path=f"{artifacts_dir}/charts-grid-radar.png")

    page.context.clear_cookies()  # logged out
    sign_in("manager")
    expect(page.get_by_test_id("home-radar")).to_be_visible()
    page.get_by_role("button", name="NL").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    pages = chart_pages(baseline, again, consultant=False)
    dutch = visit_every_chart(page, live_server.url, pages, problems)
    assert set().union(*dutch.values()) == {",."}  # drawn with the bundle's "nl" locale
    page.goto(f"{live_server.url}/assessments/{again.pk}/report/")
    expect(page.get_by_role("heading", name="Samenvatting")).to_be_visible()
    expect(page.locator("#report-radar g.trace").first).to_be_attached()
    page.screenshot(path=f"{artifacts_dir}/charts-report-nl.png", full_page=True)
    assert problems == []
