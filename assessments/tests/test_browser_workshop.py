"""The workshop in a real Chromium: create an organisation, start a baseline, score every
process through the grid, reload, and find everything kept and the radar drawn."""

import re

import pytest
from playwright.sync_api import expect

from assessments.models import Assessment, Organisation
from dvo_portal.tests.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAN = {  # process -> (the level chosen, the ambition)
    "Marketing": ("3", "4. Integrated"),
    "Sales": ("2", "3. Structured"),
    "Innovation": ("1", "2. Experimenting"),
}
EXPECTED_LEVEL = {
    "Marketing": "3. Structured",
    "Sales": "2. Experimenting",
    "Innovation": "1. Ad hoc",
}


def csp_violations(page):
    page.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation', e =>"
        " window.__csp.push([e.violatedDirective, e.sourceFile, e.sample].join(' ')))"
    )
    return lambda: page.evaluate("window.__csp")


def log_in(page, live_server, username, then="/"):
    sign_in(page, live_server, username, then=then)


def wait_until_saved(page):
    """The grid says "Saving…" from the first key typed until the last change is stored."""
    expect(page.locator("#save-state")).to_have_text("All changes saved")


def row(page, name):
    return page.get_by_test_id("process-row").filter(
        has=page.locator(".process-name", has_text=re.compile(f"^{name}$"))
    )


def choose_ambition(process, level):
    """Click the ambition's button (a label over its radio button), as a person does."""
    number = level.split(".")[0]
    process.locator(".ambition-picker label", has_text=re.compile(f"^{number}$")).click()


def open_row(page, name):
    """Open a process's row; its form is fetched as it opens."""
    process = row(page, name)
    process.locator(".grid-row-toggle").click()
    expect(process.locator("form.score-form")).to_be_visible()
    return process


def test_consultant_scores_every_process_and_finds_it_kept(
    live_server, page, alice, smg_version, artifacts_dir
):
    violations = csp_violations(page)
    log_in(page, live_server, "alice")
    expect(page.get_by_role("heading", name="Your organisations")).to_be_visible()
    page.get_by_role("link", name="New organisation").click()
    page.get_by_label("Name").fill("Browser BV")
    for checkbox in page.locator("input[name=processes]").all():
        label = page.locator(f"label[for='{checkbox.get_attribute('id')}']").inner_text()
        checkbox.set_checked(label.strip() in PLAN)
    page.get_by_role("button", name="Create organisation").click()
    expect(page.get_by_test_id("scope")).to_contain_text("Innovation")

    page.get_by_role("link", name="Start a baseline").first.click()
    page.get_by_role("button", name="Start baseline").click()
    expect(page.get_by_test_id("progress")).to_have_text("0 of 3 scored")

    for name, (level, ambition) in PLAN.items():
        process = open_row(page, name)
        process.get_by_role("button", name=re.compile(f"^{level} ")).click()
        choose_ambition(process, ambition)
        process.get_by_label("Why this ambition").fill(f"Good is good enough for {name}")
        expect(process.get_by_test_id("level")).to_have_text(EXPECTED_LEVEL[name])
    process.get_by_label("Notes").fill("Discussed with the whole team")
    wait_until_saved(page)
    expect(page.get_by_test_id("progress")).to_have_text("3 of 3 scored")
    # The radar follows the saves, before any reload: the ambitions are on it.
    ambitions = {name: int(ambition.split(".")[0]) for name, (_, ambition) in PLAN.items()}
    page.wait_for_function(
        """(expected) => {
          const trace = (document.querySelector("#radar").data || []).find(
            (t) => t.meta === "ambition");
          return trace && Object.entries(expected).every(([name, level]) =>
            trace.r[trace.theta.indexOf(name)] === level);
        }""",
        arg=ambitions,
    )
    page.screenshot(path=f"{artifacts_dir}/workshop-grid-scoring.png", full_page=True)

    page.reload()
    expect(page.get_by_test_id("progress")).to_have_text("3 of 3 scored")
    for name, (chosen, ambition) in PLAN.items():
        process = row(page, name)
        expect(process.get_by_test_id("level")).to_have_text(EXPECTED_LEVEL[name])
        expect(process.get_by_test_id("ambition")).to_contain_text(ambition)
        process = open_row(page, name)
        for level in (2, 3):
            boxes = process.locator(f".level-block[data-level='{level}'] input[type=checkbox]")
            for box in boxes.all():
                ticked = level <= int(chosen)
                (expect(box).to_be_checked if ticked else expect(box).not_to_be_checked)()
        expect(process.get_by_label("Why this ambition")).to_have_value(
            f"Good is good enough for {name}"
        )
    expect(row(page, "Innovation").get_by_label("Notes")).to_have_value(
        "Discussed with the whole team"
    )

    radar = page.locator("#radar")
    expect(radar).to_have_attribute("data-series", "current,ambition")
    expect(radar.locator(".scatterlayer .trace")).to_have_count(2)
    expect(radar.locator(".legend")).to_contain_text("Baseline")
    expect(radar.locator(".legend")).to_contain_text("Ambition")
    expect(page.get_by_test_id("heatmap")).to_contain_text("Marketing")
    row(page, "Marketing").locator(".grid-row-toggle").click()  # close, for a tidy screenshot
    page.screenshot(path=f"{artifacts_dir}/workshop-grid-after-reload.png", full_page=True)

    assessment = Assessment.objects.get(organisation=Organisation.objects.get(name="Browser BV"))
    assert assessment.scores.filter(ambition_level__isnull=False).count() == 3
    assert violations() == []


def test_the_grid_can_be_walked_without_a_mouse(live_server, page, baseline, alice):
    log_in(page, live_server, "alice", then=None)
    page.goto(f"{live_server.url}/assessments/{baseline.pk}/")
    toggles = page.locator(".grid-row-toggle")
    toggles.first.focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(toggles.nth(2)).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(toggles.nth(1)).to_be_focused()
    page.keyboard.press("Enter")
    expect(toggles.nth(1)).to_have_attribute("aria-expanded", "true")
    process = page.get_by_test_id("process-row").nth(1)
    levels = process.locator(".level-button")
    expect(levels.first).to_be_focused()  # opening a row focuses its first level button
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(levels.nth(2)).to_be_focused()
    page.keyboard.press("Enter")  # level 3, from the keyboard
    expect(process.get_by_test_id("level")).to_have_text("3. Structured")
    wait_until_saved(page)
    page.keyboard.press("Escape")
    expect(toggles.nth(1)).to_be_focused()
    expect(toggles.nth(1)).to_have_attribute("aria-expanded", "false")
    score = baseline.scores.order_by("order")[1]
    assert set(score.criteria_met.values_list("level__number", flat=True)) == {2, 3}


def test_a_link_to_a_process_opens_its_row_with_the_form(
    live_server, page, baseline, alice, artifacts_dir
):
    """A link to the grid at a row (“load theirs” after a conflict) opens it with its form."""
    score = baseline.scores.order_by("order")[2]
    log_in(page, live_server, "alice", then=None)
    page.goto(f"{live_server.url}/assessments/{baseline.pk}/#score-{score.pk}")
    process = page.locator(f"#score-{score.pk}")
    expect(process.locator(".grid-row-toggle")).to_have_attribute("aria-expanded", "true")
    expect(process.locator("form.score-form")).to_be_visible()
    expect(process.get_by_label("Ambition 3. Structured")).to_be_enabled()
    # Only the opened row's form was fetched; the others are still to come.
    expect(page.locator("form.score-form")).to_have_count(1)
    expect(process.locator(".score-body")).to_have_class(re.compile(r"\bshow\b"))
    page.screenshot(path=f"{artifacts_dir}/workshop-grid-row-open.png", full_page=True)


def test_a_save_after_the_session_ended_says_not_saved(live_server, page, alice, baseline):
    """Logged out meanwhile (session ended): the grid must not claim the change was saved, nor
    show a login page inside the row."""
    from django.contrib.sessions.models import Session

    log_in(page, live_server, "alice", then=None)
    page.goto(f"{live_server.url}/assessments/{baseline.pk}/")
    process = open_row(page, "Marketing")
    Session.objects.all().delete()
    process.get_by_label("Notes").fill("Typed after the session ended")
    expect(page.locator("#save-state")).to_contain_text("you were logged out")
    expect(process.get_by_label("Notes")).to_have_value("Typed after the session ended")
    expect(process.get_by_role("heading", name="Log in")).to_have_count(0)
