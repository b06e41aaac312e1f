"""The user's sessions (django-allauth's usersessions): where they are logged in, and ending
the other ones. Switching two-factor on ends them too (test_two_factor.py)."""

import pytest
from allauth.usersessions.models import UserSession
from django.test import Client
from django.urls import reverse

LOGIN = "/accounts/login/"


def log_in(client, username, *, address, browser):
    return client.post(
        LOGIN,
        {"login": username, "password": f"{username}-password"},
        REMOTE_ADDR=address,
        HTTP_USER_AGENT=browser,
    )


@pytest.fixture
def consultant(make_user):
    return make_user("carol")


def test_the_sessions_page_lists_where_the_user_is_logged_in(client, consultant, make_user):
    office, colleague = Client(), Client()
    assert log_in(office, "carol", address="10.7.0.1", browser="Office PC").status_code == 302
    make_user("dave")
    log_in(colleague, "dave", address="10.7.0.3", browser="Laptop")
    assert log_in(client, "carol", address="10.7.0.2", browser="Phone").status_code == 302

    menu = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("usersessions_list")}"' in menu  # in the user menu

    page = client.get(reverse("usersessions_list"))
    assert page.status_code == 200
    html = page.content.decode()
    assert all(part in html for part in ("navbar", "account-card"))  # our layout
    assert all(part in html for part in ("Office PC", "10.7.0.1", "Phone", "10.7.0.2"))
    assert "Current" in html
    assert not any(part in html for part in ("Laptop", "10.7.0.3"))  # nobody else's


def test_ending_the_other_sessions_logs_the_user_out_elsewhere_only(client, consultant, make_user):
    office, colleague = Client(), Client()
    log_in(office, "carol", address="10.7.0.1", browser="Office PC")
    make_user("dave")
    log_in(colleague, "dave", address="10.7.0.3", browser="Laptop")
    log_in(client, "carol", address="10.7.0.2", browser="Phone")

    ended = client.post(reverse("usersessions_list"), follow=True)
    assert ended.status_code == 200
    html = ended.content.decode()
    assert "Signed out of all other sessions." in html
    assert "Office PC" not in html
    assert office.get(reverse("home")).status_code == 302  # sent to the login
    assert client.get(reverse("home")).status_code == 200
    assert colleague.get(reverse("home")).status_code == 200
    assert list(UserSession.objects.filter(user=consultant).values_list("ip", flat=True)) == [
        "10.7.0.2"
    ]
