"""A live workshop in real Chromium: the consultant's screen (projected to the room) and the
participants' phones, each phone a browser context of its own."""

import re

import pytest
from playwright.sync_api import expect

from assessments.models import ProcessScore

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
POLL_MS = 500  # both screens poll every half second in tests (conftest.py)
FACILITATOR = re.compile(r"/assessments/\d+/workshop/$")

# Every swap of the votes panel (one per poll) records what the vote chart plots at the next
# frame: null when no chart is drawn.
WATCH_PANEL = """
window.__panelPolls = [];
document.addEventListener("htmx:afterSettle", (event) => {
  if (event.target.id !== "votes-panel") return;
  requestAnimationFrame(() => {
    const chart = document.querySelector("[data-testid=vote-chart]");
    window.__panelPolls.push(chart && chart.data ? chart.data[0].y : null);
  });
});
"""
WATCH_CSP = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__csp.push([e.violatedDirective, e.sourceFile, e.lineNumber, e.sample,
    e.target && (e.target.tagName + "#" + e.target.id + "." + e.target.className)].join(" ")));
"""
# Form controls and buttons on the screen without an accessible name.
UNNAMED = """() => Array.from(document.querySelectorAll(
    "main button, main select, main textarea, main input:not([type=hidden]), main a[href]"))
  .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute("aria-label")
    && !el.getAttribute("aria-labelledby") && !el.textContent.trim())
  .map((el) => el.outerHTML.slice(0, 120))"""
CHART_PLOTS = """(expected) => {
  const chart = document.querySelector("[data-testid=vote-chart]");
  return !!chart && !!chart.data && JSON.stringify(chart.data[0].y) === JSON.stringify(expected);
}"""


def shot(screen, artifacts_dir: str, name: str, *, full_page: bool = False):
    """A screenshot to look at. The caret stays: hiding it writes a style attribute onto every
    input, which htmx's settling then copies at the next swap, and our CSP refuses that."""
    screen.screenshot(path=f"{artifacts_dir}/{name}.png", full_page=full_page, caret="initial")


def watch(page) -> list[str]:
    """Console errors, uncaught errors and CSP violations of the page from now on; a refused
    action's 422, which the browser logs as a failed load, is expected."""
    problems = []

    def console(message):
        if message.type == "error" and "status of 422" not in message.text:
            problems.append(f"console: {message.text}")

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error} {error.stack}"))
    page.add_init_script(WATCH_CSP)
    return problems


def no_problems(page, problems):
    assert problems + page.evaluate("window.__csp") == []


@pytest.fixture
def facilitator(live_server, page, sign_in, alice, baseline):
    """Alice's screen with a live session on the baseline, opened from the grid. Its
    `problems`: what went wrong in the browser (console errors, CSP violations)."""
    page.problems = watch(page)
    page.add_init_script(WATCH_PANEL)
    sign_in("alice")
    expect(page.get_by_role("heading", name="Your organisations")).to_be_visible()
    page.goto(f"{live_server.url}/assessments/{baseline.pk}/")
    page.get_by_role("link", name="Live workshop").click()
    page.get_by_role("button", name="Open a live session").click()
    expect(page.get_by_test_id("current-process")).to_have_text("Marketing")
    return page


@pytest.fixture
def join_phone(live_server, browser, facilitator):
    """A phone that joins the workshop on the facilitator's screen under `name`."""
    code = facilitator.get_by_test_id("join-code").inner_text().strip()
    contexts = []

    def join(name: str, *, dutch: bool = False):
        context = browser.new_context(**PHONE)
        contexts.append(context)
        phone = context.new_page()
        phone.set_default_timeout(10_000)
        phone.problems = watch(phone)
        phone.goto(f"{live_server.url}/join/?code={code}")
        if dutch:
            phone.get_by_role("button", name="NL").click()
            expect(phone.locator("html")).to_have_attribute("lang", "nl")
        phone.get_by_label("Uw naam (optioneel)" if dutch else "Your name (optional)").fill(name)
        phone.get_by_role("button", name="Meedoen" if dutch else "Join", exact=True).click()
        expect(phone.get_by_test_id("participant-process")).to_have_text("Marketing")
        return phone

    yield join
    for context in contexts:
        context.close()


def vote(phone, level: int):
    """Tap level `level` (its button reads "3. Structured" and the level's description)."""
    phone.get_by_role("button", name=re.compile(f"^{level}\\. ")).click()
    expect(phone.get_by_test_id("own-vote")).to_have_text(re.compile(f": {level}$"))


def watch_polls(phone) -> list[str]:
    """The phone's requests to the state URL from now on."""
    urls = []
    phone.on("request", lambda request: "/state/" in request.url and urls.append(request.url))
    return urls


def wait_for_polls(page, count: int):
    """Until the votes panel has come anew `count` more times."""
    seen = page.evaluate("window.__panelPolls.length")
    page.wait_for_function("(n) => window.__panelPolls.length >= n", arg=seen + count)
    return page.evaluate(f"window.__panelPolls.slice({seen})")


def test_votes_stay_hidden_until_the_reveal_and_the_chart_stays_drawn_through_the_polls(
    facilitator, join_phone, artifacts_dir
):
    page = facilitator
    anna, bram = join_phone("Anna"), join_phone("Bram")
    vote(anna, 2)
    vote(bram, 3)
    # Usable on a small phone: nothing wider than the screen, every level reachable.
    assert anna.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    expect(anna.get_by_role("button", name=re.compile("^5. "))).to_be_enabled()

    # Before the reveal: how many voted, nothing to anchor on.
    expect(page.get_by_test_id("vote-count")).to_have_text("2 votes")
    expect(page.get_by_text("Computed from the criteria")).to_have_count(0)
    expect(page.get_by_test_id("consensus")).to_have_count(0)
    expect(page.get_by_role("button", name="Set the consensus")).to_have_count(0)
    expect(page.get_by_role("radio")).to_have_count(0)
    expect(page.get_by_test_id("vote-chart")).to_have_count(0)
    for width, height in ((1366, 900), (1280, 720), (1024, 768)):
        page.set_viewport_size({"width": width, "height": height})
        shot(page, artifacts_dir, f"workshop-before-reveal-{width}-en")
    shot(anna, artifacts_dir, "workshop-phone-360-en", full_page=True)

    page.get_by_role("button", name="Reveal the votes").click()
    page.wait_for_function(CHART_PLOTS, arg=[0, 1, 1, 0, 0])
    expect(page).to_have_url(FACILITATOR)  # htmx swapped the answer in
    expect(page.get_by_test_id("vote-chart").locator(".barlayer .point")).to_have_count(5)
    expect(page.get_by_test_id("median")).to_have_text("2.5")
    expect(page.get_by_text("Computed from the criteria: level 1")).to_be_visible()
    expect(page.get_by_role("button", name="Set the consensus")).to_be_visible()
    assert page.evaluate(UNNAMED) == []  # every field labelled, every button named
    assert anna.evaluate(UNNAMED) == []
    # Still drawn, with the same votes, after every one of the next three polls.
    assert wait_for_polls(page, 3) == [[0, 1, 1, 0, 0]] * 3
    assert page.evaluate(CHART_PLOTS, [0, 1, 1, 0, 0])
    for width, height in ((1366, 900), (1280, 720), (1024, 768)):
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_function(CHART_PLOTS, arg=[0, 1, 1, 0, 0])
        shot(page, artifacts_dir, f"workshop-after-reveal-{width}-en")
    shot(anna, artifacts_dir, "workshop-phone-360-after-reveal-en", full_page=True)

    # The team's vote is on the score: the grid row shows it, and leads back to the workshop.
    page.get_by_role("link", name="Open this process in the grid").click()
    row = page.locator(f"#score-{ProcessScore.objects.get(process__key='marketing').pk}")
    expect(row.get_by_test_id("team-median")).to_have_text("team 2.5 ± 1")
    expect(row.get_by_test_id("team-vote")).to_contain_text("2 votes, median 2.5, spread 1")
    page.get_by_role("link", name="Live workshop").click()
    expect(page.get_by_test_id("current-process")).to_have_text("Marketing")
    page.wait_for_function(CHART_PLOTS, arg=[0, 1, 1, 0, 0])
    for screen in (page, anna, bram):
        no_problems(screen, screen.problems)


def test_a_consensus_other_than_the_computed_level_needs_the_consultants_reason(
    facilitator, join_phone, artifacts_dir
):
    page = facilitator
    vote(join_phone("Anna"), 4)
    page.get_by_role("button", name="Reveal the votes").click()
    reason = page.get_by_label("Reason for the consensus")
    expect(reason).to_have_value("Workshop consensus (1 vote, median 4).")
    consensus = page.get_by_test_id("consensus")
    consensus.locator("label", has_text="4. Integrated").click()  # the level's toggle button
    reason.fill("")
    page.get_by_role("button", name="Set the consensus").click()

    message = "Level 4 differs from the level the criteria give (1): say why the team chose it."
    expect(page.locator("#div_consensus_reason")).to_contain_text(message)  # beside the field
    expect(reason).to_have_accessible_description(re.compile(re.escape(message)))
    expect(page.get_by_role("radio", name="4. Integrated")).to_be_checked()  # input kept
    expect(reason).to_be_focused()
    shot(page, artifacts_dir, "workshop-consensus-refused-en")
    expect(page).to_have_url(FACILITATOR)  # not the consensus URL: a reload posts nothing
    assert ProcessScore.objects.get(process__key="marketing").override_level is None

    reason.fill("Every campaign is planned with sales.")
    page.get_by_role("button", name="Set the consensus").click()
    expect(page.get_by_text("Consensus for Marketing: level 4.")).to_be_visible()
    expect(page.get_by_text("consensus so far: level 4")).to_be_visible()
    marketing = ProcessScore.objects.get(process__key="marketing")
    assert (marketing.override_level, marketing.override_reason) == (
        4,
        "Every campaign is planned with sales.",
    )
    no_problems(page, page.problems)


def test_a_poll_answered_after_an_action_does_not_reload_over_its_answer(
    live_server, facilitator, join_phone
):
    """A poll on its way while the consultant sets the consensus, answered by the server only
    after it (the workshop has moved on, so the answer says "reload"): the screen keeps the
    consensus's message and does not reload."""
    page = facilitator
    vote(join_phone("Anna"), 2)
    page.get_by_role("button", name="Reveal the votes").click()
    expect(page.get_by_label("Reason for the consensus")).to_be_visible()
    page.evaluate("window.__sameDocument = true")
    held = []

    def hold_one_poll(route):
        if held:
            route.continue_()
        else:  # the request waits here; the server sees it when the test says
            held.append(route)

    page.route(re.compile(r"/workshops/\d+/panel/"), hold_one_poll)
    page.wait_for_event("request", lambda request: "/panel/" in request.url)
    page.evaluate("1")  # one round trip: the route has seen that request
    assert held
    page.get_by_label("Reason for the consensus").fill("The team agreed on two.")
    page.get_by_test_id("consensus").locator("label", has_text="2. Experimenting").click()
    page.get_by_role("button", name="Set the consensus").click()
    message = page.get_by_text("Consensus for Marketing: level 2.")
    expect(message).to_be_visible()

    # The held poll's own answer: on a busy machine a later poll may be answered first.
    with page.expect_response(lambda response: response.request == held[0].request) as answered:
        held[0].continue_()  # now the server answers it, after the consensus
    assert answered.value.headers.get("hx-refresh") == "true"
    wait_for_polls(page, 2)  # two more polls have come since
    expect(message).to_be_visible()
    assert page.evaluate("window.__sameDocument === true")
    no_problems(page, page.problems)


def test_closing_the_workshop_ends_every_phone_and_their_polling(
    facilitator, join_phone, artifacts_dir
):
    page = facilitator
    phones = [join_phone("Anna"), join_phone("Bram")]
    polls = [watch_polls(phone) for phone in phones]
    expect(page.get_by_test_id("vote-count")).to_have_text("0 votes")
    page.get_by_role("button", name="Close the workshop").click()
    expect(page.get_by_text("The workshop is closed; its code no longer works.")).to_be_visible()
    for phone in phones:
        expect(phone.get_by_test_id("participant-message")).to_have_text(
            "This workshop has ended", timeout=2 * POLL_MS + 5_000
        )
        expect(phone.get_by_role("button", name=re.compile("^3. "))).to_have_count(0)
    shot(phones[0], artifacts_dir, "workshop-phone-360-ended-en")
    seen = [len(urls) for urls in polls]
    assert all(seen)  # they did poll until the end
    # An absence takes time to show: three more poll periods, and not one more request.
    page.wait_for_timeout(3 * POLL_MS)
    assert [len(urls) for urls in polls] == seen
    for phone in phones:
        no_problems(phone, phone.problems)


def test_a_phone_whose_session_died_is_told_to_join_again(facilitator, join_phone, artifacts_dir):
    phone = join_phone("Anna")
    phone.context.clear_cookies()
    expect(phone.get_by_test_id("participant-message")).to_have_text(
        "You are no longer in this workshop — join again with the code.",
        timeout=2 * POLL_MS + 5_000,
    )
    shot(phone, artifacts_dir, "workshop-phone-360-gone-en")
    phone.get_by_role("link", name="Join again").click()
    code = facilitator.get_by_test_id("join-code").inner_text().strip()
    expect(phone.get_by_label("Join code")).to_have_value(code)
    phone.get_by_role("button", name="Join").click()
    expect(phone.get_by_test_id("participant-process")).to_have_text("Marketing")
    no_problems(phone, phone.problems)


def test_the_workshop_screens_in_dutch(facilitator, join_phone, artifacts_dir):
    """The screens as a Dutch room sees them (the NL button of the language switcher); what
    is new here reads English until main's translator adds the Dutch."""
    page = facilitator
    page.get_by_role("button", name="NL").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    anna, bram = join_phone("Anna", dutch=True), join_phone("Bram", dutch=True)
    vote(anna, 2)
    vote(bram, 3)
    expect(page.get_by_test_id("vote-count")).to_contain_text("2")
    for width, height in ((1366, 900), (1280, 720), (1024, 768)):
        page.set_viewport_size({"width": width, "height": height})
        shot(page, artifacts_dir, f"workshop-before-reveal-{width}-nl")
    shot(anna, artifacts_dir, "workshop-phone-360-nl", full_page=True)
    page.get_by_role("button", name="Stemmen tonen", exact=True).click()
    page.wait_for_function(CHART_PLOTS, arg=[0, 1, 1, 0, 0])
    assert (
        page.evaluate("document.querySelector('[data-testid=vote-chart]')._fullLayout.separators")
        == ",."
    )  # plotly speaks Dutch: a decimal comma
    for width, height in ((1366, 900), (1280, 720), (1024, 768)):
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_function(CHART_PLOTS, arg=[0, 1, 1, 0, 0])
        shot(page, artifacts_dir, f"workshop-after-reveal-{width}-nl")
    expect(anna.get_by_role("button", name=re.compile("^2. "))).to_be_disabled()
    shot(anna, artifacts_dir, "workshop-phone-360-after-reveal-nl", full_page=True)
    for screen in (page, anna, bram):
        no_problems(screen, screen.problems)
