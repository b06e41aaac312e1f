"""The re-assessment cadence: how the due date follows from it (no database), the consultant's
form, and the badge on the managers' start page."""

import datetime

import pytest
from django.utils import timezone

from portfolio.cadence import Due, add_months, next_due
from portfolio.models import Cadence

from .factories import make_client

TODAY = timezone.localdate()


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2026, 1, 31), 1, datetime.date(2026, 2, 28)),
        (datetime.date(2024, 1, 31), 1, datetime.date(2024, 2, 29)),
        (datetime.date(2026, 10, 12), 12, datetime.date(2027, 10, 12)),
        (datetime.date(2026, 11, 30), 3, datetime.date(2027, 2, 28)),
        (datetime.date(2026, 3, 15), -14, datetime.date(2025, 1, 15)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


def test_a_fixed_date_wins_else_the_rhythm_else_the_default_and_never_measured_is_due_now():
    last = datetime.date(2026, 5, 4)
    fixed = datetime.date(2026, 9, 1)
    assert next_due(fixed=fixed, months=6, last_final=last, default_months=12) == fixed
    assert next_due(fixed=None, months=6, last_final=last, default_months=12) == datetime.date(
        2026, 11, 4
    )
    assert next_due(fixed=None, months=None, last_final=last, default_months=12) == (
        datetime.date(2027, 5, 4)
    )
    assert next_due(fixed=None, months=6, last_final=None, default_months=12) is None


@pytest.mark.parametrize(
    ("days", "label", "tone"),
    [
        (None, "Not measured yet: due now", "warning"),
        (-30, "Overdue by 4 weeks", "danger"),
        (-3, "Overdue by 3 days", "danger"),
        (0, "Due today", "warning"),
        (1, "Due in 1 day", "warning"),
        (13, "Due in 13 days", "warning"),
        (28, "Due in 4 weeks", "warning"),
        (29, "Due in 4 weeks", "secondary"),
        (70, "Due in 10 weeks", "secondary"),
    ],
)
def test_how_a_due_date_reads(days, label, tone):
    today = datetime.date(2026, 12, 3)
    on = None if days is None else today + datetime.timedelta(days)
    due = Due(on=on, today=today, soon_days=28)
    assert (due.label, due.tone) == (label, tone)


def test_consultant_sets_the_cadence_and_the_managers_page_shows_overdue(
    client, alice, bob, organisation, smg_version
):
    from assessments.services import assessment_start

    from .factories import make_final

    make_final(
        assessment_start(
            organisation=organisation,
            version=smg_version,
            by=alice,
            assessed_on=add_months(TODAY, -7),
        )
    )
    url = f"/organisations/{organisation.pk}/cadence/"
    client.force_login(alice)
    page = client.get(url).content.decode()
    assert "Due in " in page  # 12 months by default
    response = client.post(url, {"months": "6", "due_on": ""})
    assert response.status_code == 302
    assert Cadence.objects.get(organisation=organisation).months == 6
    assert "Overdue by 4 weeks" in client.get(url).content.decode()
    assert client.post(url, {"months": "0", "due_on": ""}).status_code == 422

    client.force_login(bob)  # the manager reads the state on their start page
    html = client.get("/").content.decode()
    assert 'data-testid="due-badge"' in html
    assert "Overdue by 4 weeks" in html
    assert client.get(url).status_code == 403


def test_the_managers_page_badge_costs_one_query_whatever_the_organisations(
    client, make_user, smg_version, django_assert_num_queries
):
    from assessments.home_extensions import home_badges
    from assessments.models import Organisation

    consultant = make_user("claire")
    for number in range(5):
        make_client(f"C{number}", consultant, smg_version, assessed_on=add_months(TODAY, -number))
    organisations = list(Organisation.objects.all())
    with django_assert_num_queries(1):
        badges = home_badges(organisations)
    assert len(badges) == 5
    assert all("due-badge" in html for (html,) in badges.values())


def test_everyone_finds_their_reminder_settings_and_consultants_the_cadence(
    client, organisation, alice, bob
):
    from django.urls import reverse

    reminders = reverse("portfolio:reminders")
    cadence = reverse("portfolio:cadence", args=[organisation.pk])
    page = reverse("assessments:organisation", args=[organisation.pk])
    client.force_login(bob)  # a manager: the menu, no cadence to change
    html = client.get(page).content.decode()
    assert f'href="{reminders}"' in html
    assert f'href="{cadence}"' not in html
    client.force_login(alice)
    html = client.get(page).content.decode()
    assert f'href="{reminders}"' in html
    assert f'href="{cadence}"' in html


def test_an_assessment_dated_at_the_calendars_end_breaks_no_page_nor_the_command(
    client, make_user, smg_version
):
    import datetime
    import io

    from django.core.management import call_command
    from django.urls import reverse

    from portfolio.tests.factories import make_client

    claire = make_user("claire", email="c@example.org")
    acme, _assessment = make_client(
        "Acme", claire, smg_version, assessed_on=datetime.date(9999, 6, 1)
    )
    client.force_login(claire)
    for url in ("/", "/?view=organisations", reverse("portfolio:cadence", args=[acme.pk])):
        assert client.get(url).status_code == 200
    call_command("send_reminders", stdout=io.StringIO())  # no error, nothing due
