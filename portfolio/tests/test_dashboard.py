"""The consultant's start page: every client with its latest assessment, its figures and when
the next measurement is due; sorted, filtered and paged, in a constant number of queries."""

import datetime
import re

import pytest
from django.utils import timezone

from assessments.models import Membership
from benchmark.models import PeerProfile, Sector
from portfolio.cadence import add_months
from portfolio.models import Cadence
from roadmaps.models import RoadmapItem
from roadmaps.quarters import Quarter
from roadmaps.services import roadmap_create

from .factories import make_client

TODAY = timezone.localdate()


def names_in_order(html: str) -> list[str]:
    rows = re.findall(r'<tr data-testid="organisation">(.*?)</tr>', html, re.S)
    return [re.search(r'class="fw-semibold">([^<]+)</a>', row).group(1) for row in rows]


def cell(html: str, name: str, testid: str) -> str:
    for row in re.findall(r'<tr data-testid="organisation">(.*?)</tr>', html, re.S):
        if f">{name}</a>" in row:
            found = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</(td|span)>', row, re.S)
            return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())
    raise AssertionError(f"no row of {name}")


@pytest.fixture
def portfolio(make_user, smg_version):
    """claire consults four clients: measured 12 months less 10 days ago (due in 10 days), 14 months
    ago (overdue), never (due now), and one with a fixed date in 20 weeks."""
    claire = make_user("claire", email="claire@example.org")
    soon, _a = make_client(
        "Soon BV", claire, smg_version, assessed_on=add_months(TODAY, -12) + datetime.timedelta(10)
    )
    late, late_assessment = make_client(
        "Late BV",
        claire,
        smg_version,
        assessed_on=add_months(TODAY, -14),
        levels=(("marketing", 3, 4), ("sales", 1, 4), ("innovation", 2, 3)),
    )
    never, _b = make_client("Never BV", claire, smg_version)
    fixed, _c = make_client("Fixed BV", claire, smg_version, assessed_on=add_months(TODAY, -2))
    Cadence.objects.create(organisation=fixed, due_on=TODAY + datetime.timedelta(weeks=20))
    return {
        "claire": claire,
        "soon": soon,
        "late": late,
        "never": never,
        "fixed": fixed,
        "late_assessment": late_assessment,
    }


def test_consultant_sees_each_client_with_figures_and_due_date(client, portfolio):
    client.force_login(portfolio["claire"])
    html = client.get("/").content.decode()
    assert names_in_order(html) == ["Fixed BV", "Late BV", "Never BV", "Soon BV"]
    assert cell(html, "Late BV", "due-badge") == "Overdue by 8 weeks" or cell(
        html, "Late BV", "due-badge"
    ).startswith("Overdue by")
    assert cell(html, "Never BV", "due-badge") == "Not measured yet: due now"
    assert cell(html, "Fixed BV", "due-badge") == "Due in 20 weeks"
    assert cell(html, "Soon BV", "due-badge").startswith("Due in ")
    # Late BV: levels 3, 1, 2 (production not scored); gaps 1, 3, 1.
    assert cell(html, "Late BV", "dashboard-median") == "2"
    assert cell(html, "Late BV", "dashboard-gap") == "Sales (3)"
    assert cell(html, "Never BV", "dashboard-median") == "—"


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("due", ["Late BV", "Never BV", "Soon BV", "Fixed BV"]),
        ("gap", ["Late BV", "Fixed BV", "Soon BV", "Never BV"]),
        ("assessed", ["Fixed BV", "Soon BV", "Late BV", "Never BV"]),
        ("name", ["Fixed BV", "Late BV", "Never BV", "Soon BV"]),
        ("nonsense", ["Fixed BV", "Late BV", "Never BV", "Soon BV"]),
    ],
)
def test_the_dashboard_sorts(client, portfolio, sort, expected):
    client.force_login(portfolio["claire"])
    response = client.get("/", {"sort": sort})
    assert response.status_code == 200
    assert names_in_order(response.content.decode()) == expected


def test_filters_due_soon_overdue_and_sector_and_bad_values_are_ignored(client, portfolio):
    care = Sector.objects.create(name="Care", name_nl="Zorg")
    PeerProfile.objects.create(organisation=portfolio["late"], sector=care)
    client.force_login(portfolio["claire"])
    assert names_in_order(client.get("/", {"due": "overdue"}).content.decode()) == ["Late BV"]
    assert names_in_order(client.get("/", {"due": "soon"}).content.decode()) == [
        "Never BV",
        "Soon BV",
    ]
    html = client.get("/", {"sector": care.pk}).content.decode()
    assert names_in_order(html) == ["Late BV"]
    assert "Care" in html
    for bad in ({"sector": "x"}, {"sector": "999999"}, {"due": "later"}, {"page": "zz"}):
        response = client.get("/", bad)
        assert response.status_code == 200
        assert len(names_in_order(response.content.decode())) == 4
    assert "Select a valid choice" in client.get("/", {"due": "later"}).content.decode()


def test_overdue_roadmap_items_are_counted_on_the_latest_roadmap(client, portfolio):
    assessment = portfolio["late_assessment"]
    roadmap = roadmap_create(assessment=assessment, start=Quarter.containing(TODAY) + -3)
    for status, end in (("planned", -1), ("in-progress", -2), ("done", -1), ("planned", 0)):
        RoadmapItem.objects.create(
            roadmap=roadmap,
            title=f"{status} {end}",
            status=status,
            start_quarter=roadmap.start_quarter,
            end_quarter=Quarter.containing(TODAY).index + end,
        )
    client.force_login(portfolio["claire"])
    html = client.get("/").content.decode()
    assert cell(html, "Late BV", "dashboard-overdue-items") == "2"
    assert cell(html, "Soon BV", "dashboard-overdue-items") == "0"


def test_a_manager_keeps_the_managers_page_and_a_mixed_user_gets_a_link(
    client, portfolio, make_user
):
    mark = make_user("mark")
    Membership.objects.create(organisation=portfolio["late"], user=mark, role="manager")
    client.force_login(mark)
    html = client.get("/").content.decode()
    assert 'data-testid="dashboard"' not in html
    assert "Late BV" in html
    Membership.objects.filter(user=portfolio["claire"], organisation=portfolio["soon"]).update(
        role="manager"
    )
    client.force_login(portfolio["claire"])
    html = client.get("/").content.decode()
    assert "Soon BV" not in names_in_order(html)
    assert "You are also a manager of:" in html
    html = client.get("/", {"view": "organisations"}).content.decode()
    assert 'data-testid="dashboard"' not in html
    assert "Soon BV" in html


@pytest.mark.parametrize("count", [3, 30])
def test_the_dashboard_does_not_grow_in_queries_with_clients(
    client, make_user, smg_version, django_assert_max_num_queries, count
):
    claire = make_user("claire")
    for number in range(count):
        make_client(
            f"Client {number:02}",
            claire,
            smg_version,
            assessed_on=add_months(TODAY, -number % 15),
        )
    client.force_login(claire)
    for sort in ("name", "gap", "due"):
        # Session and user (2), the user's organisations (1), the clients' latest assessments
        # (1); the page's figures, cold: the assessments (1), the model's catalogue (4),
        # their scores (3); the brand (1). The same for 3 or 30.
        with django_assert_max_num_queries(13):
            html = client.get("/", {"sort": sort}).content.decode()
        assert html.count('data-testid="organisation"') == min(count, 20)


def test_a_units_assessment_moves_neither_the_due_date_nor_the_dashboard(client, portfolio):
    from units.services import unit_assessment_start, unit_create

    from .factories import make_final

    late = portfolio["late"]
    unit = unit_create(organisation=late, name="North", kind="region")
    make_final(
        unit_assessment_start(
            unit=unit,
            version=portfolio["late_assessment"].version,
            by=portfolio["claire"],
            assessed_on=TODAY,
        )
    )
    client.force_login(portfolio["claire"])
    html = client.get("/").content.decode()
    assert cell(html, "Late BV", "due-badge").startswith("Overdue by")
    assert cell(html, "Late BV", "dashboard-gap") == "Sales (3)"  # the organisation's own
