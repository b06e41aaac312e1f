"""The benchmark page in a browser: the radar plots the peer band (read back from plotly's
data), and choosing the sector redraws it with that group's figures."""

import os

import pytest
from playwright.sync_api import expect

from benchmark.demo import criteria_up_to
from benchmark.services import profile_save
from dvo_portal.tests.browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def radar_value(page, process_name, series):
    """What the benchmark radar plots now for one process in one series (None: a gap)."""
    return page.evaluate(
        """([name, series]) => {
          const gd = document.querySelector("#benchmark-radar");
          const trace = gd.data.find((t) => t.meta === series);
          if (!trace) return "no such series";
          const plain = (label) => label.replace(/<br>/g, " ").replace(/&amp;/g, "&");
          const index = trace.theta.findIndex((label) => plain(label) === name);
          return trace.r[index];
        }""",
        [process_name, series],
    )


def band(page, process_name):
    return tuple(
        radar_value(page, process_name, f"peer-{part}") for part in ("lower", "median", "upper")
    )


def test_the_radar_shows_the_peer_band_and_the_sector_redraws_it(
    live_server, page, alice, baseline, lists, make_peers, artifacts_dir
):
    (retail, health, *_), (small, *_) = lists
    criteria_up_to(baseline, lambda key: 3 if key == "marketing" else 2)
    profile_save(organisation=baseline.organisation, sector=retail, size_class=small)
    make_peers(5, level=2, sector=retail)
    make_peers(5, level=4, sector=health)
    sign_in(page, live_server, "alice", f"/assessments/{baseline.pk}/benchmark/")
    radar = page.locator("#benchmark-radar")
    expect(radar.locator(".main-svg").first).to_be_visible()
    assert band(page, "Marketing") == (2, 3, 4)
    assert radar_value(page, "Marketing", "current") == 3.0
    legend = radar.locator(".legendtext")
    expect(legend.filter(has_text="Peers: middle half")).to_have_count(1)
    expect(legend.filter(has_text="Peers: median")).to_have_count(1)
    page.screenshot(path=os.path.join(artifacts_dir, "benchmark-page-all.png"), full_page=True)

    page.get_by_role("link", name="Same sector: Retail").click()
    expect(page.get_by_role("link", name="Same sector: Retail")).to_have_attribute(
        "aria-current", "page"
    )
    expect(radar.locator(".main-svg").first).to_be_visible()
    assert band(page, "Marketing") == (2, 2, 2)
    table = page.get_by_test_id("benchmark-table")
    expect(table.get_by_role("row", name="Marketing")).to_contain_text("3 2 2 2")
    page.screenshot(path=os.path.join(artifacts_dir, "benchmark-page-sector.png"), full_page=True)


def test_with_too_few_peers_the_radar_has_no_band(live_server, page, alice, baseline, make_peers):
    make_peers(4, level=2)
    sign_in(page, live_server, "alice", f"/assessments/{baseline.pk}/benchmark/")
    expect(page.get_by_test_id("benchmark-too-few")).to_have_text("Too few peers to compare yet.")
    expect(page.locator("#benchmark-radar .main-svg").first).to_be_visible()
    assert radar_value(page, "Marketing", "peer-median") == "no such series"
