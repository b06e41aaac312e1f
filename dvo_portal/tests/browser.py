"""Helpers for the browser tests."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client


def sign_in(page, live_server, username: str, then: str | None = "/"):
    """Start `page`'s browser signed in as `username`, as the login form leaves it: a session
    made by Django's own login, its cookie in the browser; then open `then` (None: stay).

    The form itself is walked in its own tests (test_browser_start, test_browser_two_factor);
    the other browser tests start signed in, which spares each of them three page loads."""
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server.url, "httpOnly": True}]
    )
    if then is not None:
        page.goto(live_server.url + then)
