"""In a real Chromium: a consultant's dashboard of 25 clients sorted by "due soonest", paged;
the most overdue client shows as overdue on its manager's start page too."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import Membership, Organisation
from benchmark.models import PeerProfile, Sector
from portfolio.cadence import add_months
from portfolio.models import Cadence
from roadmaps.models import RoadmapItem
from roadmaps.quarters import Quarter
from roadmaps.services import roadmap_create

from .factories import make_client

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_of_25_clients_sorted_by_due_soonest_and_the_managers_page(
    live_server, page, sign_in, make_user, smg_version, artifacts_dir
):
    today = timezone.localdate()
    claire = make_user("claire", first_name="Claire")
    mark = make_user("mark", first_name="Mark")
    for number in range(25):
        # Measured 1 to 25 months ago: due from 11 months ahead to 13 months overdue.
        organisation, assessment = make_client(
            f"Client {number + 1:02}",
            claire,
            smg_version,
            assessed_on=add_months(today, -(number + 1)),
            levels=(("marketing", 1 + number % 3, 4), ("sales", 2, 3), ("innovation", 1, 3)),
        )
        if number == 24:
            Membership.objects.create(organisation=organisation, user=mark, role="manager")
    Cadence.objects.create(
        organisation=Organisation.objects.get(name="Client 03"),
        due_on=today + datetime.timedelta(weeks=2),
    )
    care, retail = Sector.objects.create(name="Care"), Sector.objects.create(name="Retail")
    for organisation in Organisation.objects.all():
        number = int(organisation.name[-2:])
        PeerProfile.objects.create(organisation=organisation, sector=(care, retail)[number % 2])
    quarter = Quarter.containing(today)
    roadmap = roadmap_create(assessment=assessment, start=quarter + -4)
    RoadmapItem.objects.create(
        roadmap=roadmap,
        title="Social-media policy",
        start_quarter=roadmap.start_quarter,
        end_quarter=quarter.index - 1,
    )

    sign_in("claire")
    rows = page.get_by_test_id("organisation")
    expect(rows).to_have_count(20)  # a page
    page.get_by_label("Sort by").select_option("due")
    page.get_by_role("button", name="Apply").click()
    expect(rows.first).to_contain_text("Client 25")
    expect(rows.first.get_by_test_id("due-badge")).to_contain_text("Overdue by")
    expect(rows.first.get_by_test_id("dashboard-overdue-items")).to_have_text("1")
    expect(page.get_by_text("Page 1 of 2")).to_be_visible()
    page.screenshot(path=f"{artifacts_dir}/portfolio-dashboard-due.png", full_page=True)

    page.get_by_label("Next measurement").select_option("soon")
    page.get_by_role("button", name="Apply").click()
    expect(rows).to_have_count(2)  # measured 12 months ago (due today), and a fixed date
    expect(rows.first.get_by_test_id("due-badge")).to_have_text("Due today")
    expect(rows.nth(1)).to_contain_text("Client 03")
    expect(rows.nth(1).get_by_test_id("due-badge")).to_have_text("Due in 2 weeks")

    page.get_by_label("Next measurement").select_option("overdue")
    page.get_by_role("button", name="Apply").click()
    expect(rows).to_have_count(13)  # measured 13..25 months ago (a 12-month rhythm)
    page.get_by_label("Sector").select_option("Care")
    page.get_by_role("button", name="Apply").click()
    expect(rows).to_have_count(6)  # of those, the even ones: 14, 16, .., 24
    expect(rows.first).to_contain_text("Client 24")
    expect(rows.first).to_contain_text("Care")
    page.screenshot(path=f"{artifacts_dir}/portfolio-dashboard-filtered.png", full_page=True)

    page.context.clear_cookies()
    sign_in("mark")
    card = page.get_by_test_id("organisation")
    expect(card).to_contain_text("Client 25")
    expect(card.get_by_test_id("due-badge")).to_contain_text("Overdue by")
    page.screenshot(path=f"{artifacts_dir}/portfolio-manager-overdue.png", full_page=True)
