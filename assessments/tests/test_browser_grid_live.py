"""The workshop grid as it runs in the room, in a real Chromium: what the screen shows changes
as the consultant scores, with no reload in between (a marker set on the page survives)."""

import re

import pytest
from playwright.sync_api import expect

from assessments.models import Membership, ProcessScore
from dvo_portal.tests.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username):
    sign_in(page, live_server, username, then=None)  # each test opens the grid next


def open_grid(page, live_server, assessment):
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    expect(page.locator("#radar .scatterlayer .trace").first).to_be_attached()
    page.evaluate("window.__sameDocument = true")


def still_same_document(page):
    return page.evaluate("window.__sameDocument === true")


def row(page, name):
    return page.get_by_test_id("process-row").filter(
        has=page.locator(".process-name", has_text=re.compile(f"^{re.escape(name)}$"))
    )


def open_row(page, name):
    process = row(page, name)
    process.locator(".grid-row-toggle").click()
    expect(process.locator("form.score-form")).to_be_visible()
    return process


def radar_value(page, process_name, series="current"):
    """What the radar plots now for one process (None: a gap)."""
    return page.evaluate(
        """([name, series]) => {
          const trace = document.querySelector("#radar").data.find((t) => t.meta === series);
          const plain = (label) => label.replace(/<br>/g, " ").replace(/&amp;/g, "&");
          const index = trace.theta.findIndex((label) => plain(label) === name);
          return trace.r[index];
        }""",
        [process_name, series],
    )


def wait_for_radar(page, process_name, value, series="current"):
    page.wait_for_function(
        """([name, series, value]) => {
          const gd = document.querySelector("#radar");
          const trace = gd && gd.data && gd.data.find((t) => t.meta === series);
          if (!trace) return false;
          const plain = (label) => label.replace(/<br>/g, " ").replace(/&amp;/g, "&");
          const index = trace.theta.findIndex((label) => plain(label) === name);
          return trace.r[index] === value;
        }""",
        arg=[process_name, series, value],
    )


def saved(page):
    expect(page.locator("#save-state")).to_have_text("All changes saved")


def choose_ambition(process, number):
    process.locator(".ambition-picker label", has_text=re.compile(f"^{number}$")).click()


def test_a_tick_redraws_the_radar_heatmap_and_progress_without_a_reload(
    live_server, page, alice, baseline, artifacts_dir
):
    log_in(page, live_server, "alice")
    open_grid(page, live_server, baseline)
    assert radar_value(page, "Marketing") is None  # not scored: a gap, not level 1
    expect(page.get_by_test_id("progress")).to_have_text("0 of 7 scored")

    marketing = open_row(page, "Marketing")
    marketing.get_by_role("button", name=re.compile("^2 ")).click()
    wait_for_radar(page, "Marketing", 2)
    expect(marketing.get_by_test_id("level")).to_have_text("2. Experimenting")
    expect(page.get_by_test_id("progress")).to_have_text("1 of 7 scored")
    heat = page.get_by_test_id("heatmap").get_by_role("row").filter(has_text="Marketing")
    expect(heat).not_to_contain_text("not scored")

    # Refining criterion by criterion: one level-3 criterion moves the progress score on.
    marketing.locator(".level-block[data-level='3'] summary").click()
    marketing.locator(".level-block[data-level='3'] input[type=checkbox]").first.check()
    page.wait_for_function(
        """() => {
          const trace = document.querySelector("#radar").data.find((t) => t.meta === "current");
          return trace.r[0] > 2 && trace.r[0] < 3;
        }"""
    )
    saved(page)
    assert 2 < radar_value(page, "Marketing") < 3
    assert still_same_document(page)
    page.screenshot(path=f"{artifacts_dir}/grid-live-radar.png", full_page=False)


def test_answers_that_cross_leave_the_charts_at_the_later_save(live_server, page, alice, baseline):
    """Two saves in flight, the first one's answer arriving last (a slow network): the radar,
    heatmap and progress show both saves, not the older answer's state."""
    log_in(page, live_server, "alice")
    open_grid(page, live_server, baseline)
    held = []

    def hold_the_first_answer(route):
        if held:
            route.continue_()
        else:  # the server saves now; its answer reaches the page when the test says
            held.append((route, route.fetch()))

    page.route(re.compile(r"/assessments/\d+/scores/\d+/$"), hold_the_first_answer)
    marketing = open_row(page, "Marketing")
    marketing.get_by_role("button", name=re.compile("^3 ")).click()
    expect(page.locator("#save-state")).to_have_text("Saving…")
    marketing.locator(".grid-row-toggle").click()
    sales = open_row(page, "Sales")
    sales.get_by_role("button", name=re.compile("^2 ")).click()
    wait_for_radar(page, "Sales", 2)
    wait_for_radar(page, "Marketing", 3)  # the later answer holds both saves
    expect(page.get_by_test_id("progress")).to_have_text("2 of 7 scored")

    route, answer = held[0]
    route.fulfill(response=answer)  # the older answer: Marketing saved, Sales not yet
    saved(page)
    assert (radar_value(page, "Marketing"), radar_value(page, "Sales")) == (3, 2)
    expect(page.get_by_test_id("progress")).to_have_text("2 of 7 scored")
    heat = page.get_by_test_id("heatmap").get_by_role("row").filter(has_text="Sales")
    expect(heat).not_to_contain_text("not scored")
    assert still_same_document(page)


def test_seven_processes_scored_level_first_in_three_interactions_each(
    live_server, page, alice, baseline, artifacts_dir
):
    """Per process: the level button, the ambition, the ambition's reason typed. (Opening the
    row is moving to the process, as the team does; it is not counted.)"""
    log_in(page, live_server, "alice")
    open_grid(page, live_server, baseline)
    names = [score.display_name for score in baseline.scores.order_by("order")]
    assert len(names) == 7
    plan = {name: (index % 4 + 1, min(5, index % 4 + 2)) for index, name in enumerate(names)}
    interactions = {}
    for name, (level, ambition) in plan.items():
        process = open_row(page, name)
        count = 0
        process.get_by_role("button", name=re.compile(f"^{level} ")).click()
        count += 1
        choose_ambition(process, ambition)
        count += 1
        process.get_by_label("Why this ambition").fill(f"Good is good enough for {name}")
        count += 1
        interactions[name] = count
        process.locator(".grid-row-toggle").click()  # close it again, as the grid scrolls on
    saved(page)
    expect(page.get_by_test_id("progress")).to_have_text("7 of 7 scored")
    for name, (level, ambition) in plan.items():
        wait_for_radar(page, name, ambition, series="ambition")
        assert int(radar_value(page, name)) == level
    assert max(interactions.values()) <= 3
    assert still_same_document(page)
    page.screenshot(path=f"{artifacts_dir}/grid-seven-scored.png", full_page=True)
    scores = {s.display_name: s for s in ProcessScore.objects.filter(assessment=baseline)}
    assert all(scores[name].is_scored for name in names)
    assert {name: scores[name].ambition_level for name in names} == {
        name: ambition for name, (_level, ambition) in plan.items()
    }
    assert all(scores[name].ambition_reason.startswith("Good is good") for name in names)


def test_a_consensus_without_a_reason_says_so_beside_the_reason_field(
    live_server, page, alice, baseline
):
    log_in(page, live_server, "alice")
    open_grid(page, live_server, baseline)
    marketing = open_row(page, "Marketing")
    marketing.get_by_label("Consensus level", exact=True).select_option(label="4. Integrated")
    error = marketing.locator(".field-error", has_text="A consensus level needs a reason")
    expect(error).to_be_visible()
    reason = marketing.get_by_label("Reason for the consensus level")
    expect(reason).to_have_attribute("aria-invalid", "true")
    field_box, error_box = reason.bounding_box(), error.bounding_box()
    assert 0 <= error_box["y"] - (field_box["y"] + field_box["height"]) < 40  # right under it
    expect(marketing.get_by_test_id("not-saved")).to_have_text("Not saved")
    # The input stays.
    expect(marketing.get_by_label("Consensus level", exact=True)).to_have_value("4")
    reason.fill("The team saw the integration at work")
    expect(marketing.get_by_test_id("level")).to_have_text("4. Integrated")
    expect(error).to_have_count(0)
    expect(reason).not_to_have_attribute("aria-invalid", "true")


def test_two_consultants_on_one_process_keep_both_changes_and_ask_only_for_the_same_field(
    live_server, browser, page, alice, baseline, make_user, artifacts_dir
):
    dave = make_user("dave", first_name="Dave")
    Membership.objects.create(organisation=baseline.organisation, user=dave, role="consultant")
    other = browser.new_context(viewport={"width": 1366, "height": 900})
    second = other.new_page()
    second.set_default_timeout(10_000)
    log_in(page, live_server, "alice")
    log_in(second, live_server, "dave")
    open_grid(page, live_server, baseline)
    open_grid(second, live_server, baseline)
    mine, theirs = open_row(page, "Marketing"), open_row(second, "Marketing")

    # Alice ticks a criterion while Dave types notes: both kept, no conflict.
    box = mine.locator(".level-block[data-level='2'] input[type=checkbox]").first
    mine.locator(".level-block[data-level='2'] summary").click()
    box.check()
    saved(page)
    theirs.get_by_label("Notes").fill("Pilot on LinkedIn")
    saved(second)
    expect(theirs.get_by_test_id("conflict")).to_have_count(0)
    value = box.get_attribute("value")
    expect(theirs.locator(f"input[name=criteria][value='{value}']")).to_be_checked()  # told
    score = ProcessScore.objects.get(assessment=baseline, process__key="marketing")
    assert score.notes == "Pilot on LinkedIn"
    assert list(score.criteria_met.values_list("pk", flat=True)) == [int(value)]

    # Both change the ambition: the later one sees both values and keeps the input.
    choose_ambition(mine, 3)
    saved(page)
    choose_ambition(theirs, 5)
    conflict = theirs.get_by_test_id("conflict")
    expect(conflict).to_be_visible()
    expect(conflict.get_by_test_id("theirs")).to_have_text("3. Structured")
    expect(conflict.get_by_test_id("mine")).to_have_text("5. Social enterprise")
    expect(theirs.locator("input[name=ambition_level][value='5']")).to_be_checked()
    second.screenshot(path=f"{artifacts_dir}/grid-conflict.png", full_page=False)
    conflict.get_by_role("button", name="Keep my input").click()
    saved(second)
    score.refresh_from_db()
    assert (score.ambition_level, score.notes) == (5, "Pilot on LinkedIn")
    assert list(score.criteria_met.values_list("pk", flat=True)) == [int(value)]
    assert still_same_document(page)
    assert still_same_document(second)
    other.close()


def test_the_presenter_screen_follows_the_consultants_grid(
    live_server, page, alice, baseline, artifacts_dir
):
    log_in(page, live_server, "alice")
    open_grid(page, live_server, baseline)
    room = page.context.new_page()
    room.set_viewport_size({"width": 1280, "height": 720})
    room.goto(f"{live_server.url}/assessments/{baseline.pk}/present/")
    expect(
        room.get_by_text("The process the consultant opens in the grid appears here.")
    ).to_be_visible()
    room.evaluate("window.__sameDocument = true")

    sales = open_row(page, "Sales")
    expect(room.get_by_test_id("presenter-process")).to_have_text("Sales")
    expect(room.get_by_test_id("presenter-level")).to_have_text("not scored")
    sales.get_by_role("button", name=re.compile("^3 ")).click()
    expect(room.get_by_test_id("presenter-level")).to_have_text("3. Structured")
    room.wait_for_function(
        """() => {
          const trace = document.querySelector("#presenter-radar").data.find(
            (t) => t.meta === "current");
          return trace.r[1] === 3;
        }"""
    )
    assert room.evaluate("window.__sameDocument === true")
    room.screenshot(path=f"{artifacts_dir}/presenter-1280x720.png")
