"""Units in a real Chromium: the consultant adds three units, assesses each with its own
processes (scoring one in the grid), and the roll-up shows all three and their median in its
heatmap, its radar and its PDF report."""

import re
import subprocess

import pytest
from playwright.sync_api import expect

from assessments.models import Assessment
from assessments.services import assessment_finalise
from units.demo import score_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UNITS = {  # name -> kind, levels per process (a process absent: the unit does not run it)
    "Shops": ("department", {"marketing": 2, "sales": 4, "innovation": 1}),
    "Webshop": ("brand", {"marketing": 5, "sales": 3}),
    "Service desk": ("department", {"marketing": 3, "sales": 2, "innovation": 3}),
}


def pdftotext(path) -> str:
    result = subprocess.run(["pdftotext", path, "-"], capture_output=True, check=True)  # noqa: S603, S607
    return " ".join(result.stdout.decode().split())


def radar_series(page) -> dict:
    return page.evaluate(
        """() => Object.fromEntries(document.querySelector("[data-testid=rollup-radar]").data
             .map((t) => [t.name, t.r.slice(0, -1)]))"""
    )


def test_three_units_assessed_and_rolled_up(
    live_server, page, sign_in, organisation, alice, artifacts_dir
):
    sign_in("alice")
    page.goto(f"{live_server.url}/organisations/{organisation.pk}/")
    page.get_by_role("link", name="Units").first.click()
    for name, (kind, _levels) in UNITS.items():
        page.get_by_role("link", name="Add a unit").click()
        page.get_by_label("Name").fill(name)
        page.get_by_label("Kind").select_option(kind)
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_test_id("unit-table")).to_contain_text(name)
    # A name taken already is refused, and what was typed stays in the form.
    page.get_by_role("link", name="Add a unit").click()
    page.get_by_label("Name").fill("webshop")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("a unit of this name already")).to_be_visible()
    expect(page.get_by_label("Name")).to_have_value("webshop")

    names = {}
    for name, (_kind, levels) in UNITS.items():
        page.goto(f"{live_server.url}/organisations/{organisation.pk}/units/")
        page.get_by_role("link", name="Assess a unit").click()
        page.get_by_label("Unit").select_option(label=name)
        for box in page.locator("input[name=processes]").all():
            box.set_checked(box.get_attribute("value") in levels)
        page.get_by_role("button", name="Start the unit's baseline").click()
        expect(page).to_have_url(re.compile(r"/assessments/\d+/$"))
        assessment = Assessment.objects.get(pk=int(page.url.rstrip("/").split("/")[-1]))
        assert sorted(assessment.scores.values_list("process__key", flat=True)) == sorted(levels)
        names[name] = assessment
    # Webshop's marketing is scored in the grid as in the workshop; the rest as it would be.
    webshop = names["Webshop"]
    page.goto(f"{live_server.url}/assessments/{webshop.pk}/")
    row = page.get_by_test_id("process-row").filter(has_text="Marketing")
    row.locator(".grid-row-toggle").click()
    row.get_by_role("button", name=re.compile("^5 ")).click()
    expect(page.locator("#save-state")).to_have_text("All changes saved")
    for name, (_kind, levels) in UNITS.items():
        rest = {
            key: level for key, level in levels.items() if (name, key) != ("Webshop", "marketing")
        }
        score_to(names[name], rest, alice)
        assessment_finalise(assessment=names[name])

    page.goto(f"{live_server.url}/organisations/{organisation.pk}/rollup/")
    heatmap = page.get_by_test_id("rollup-heatmap")
    for name in UNITS:
        expect(heatmap.get_by_role("columnheader", name=name)).to_be_visible()
    marketing = heatmap.get_by_role("row").filter(has_text="Marketing")
    # Columns in name order: Service desk, Shops, Webshop; then the median and the lowest.
    expect(marketing.locator("td")).to_have_text(["3", "2", "5", "3", "Shops"])
    innovation = heatmap.get_by_role("row").filter(has_text="Innovation")
    expect(innovation.locator("td")).to_have_text(["3", "1", "–", "2", "Shops"])
    expect(page.locator("[data-testid=rollup-radar] .scatterlayer .trace")).to_have_count(4)
    series = radar_series(page)
    assert series["Shops"][:2] == [2, 4]
    assert series["Webshop"][:2] == [5, 3]
    assert series["Service desk"][:2] == [3, 2]
    assert series["Median of the units"][:2] == [3, 3]
    page.screenshot(path=f"{artifacts_dir}/units-rollup.png", full_page=True)

    with page.expect_download() as download:
        page.get_by_test_id("rollup-pdf").click()
    path = download.value.path()
    text = pdftotext(path)
    for name in [*UNITS, "Median", "Lowest unit", organisation.name]:
        assert name in text
    subprocess.run(  # noqa: S603
        ["pdftoppm", "-png", "-r", "50", path, f"{artifacts_dir}/units-rollup-pdf"],  # noqa: S607
        check=True,
    )
