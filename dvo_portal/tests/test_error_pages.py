"""Error pages: 404, 403, 429 and 500 in the site's look, in English and Dutch, saying what to do
next; an htmx request that ends in one gets a short line the page shows, never the page."""

import json

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import path, reverse
from django_htmx.middleware import HtmxMiddleware

from dvo_portal.errors import HtmxErrorMiddleware
from dvo_portal.urls import handler429, handler500  # noqa: F401 (this module is a URLconf too)
from dvo_portal.urls import urlpatterns as site_urlpatterns
from dvo_portal.views import server_error

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
CHANGE_PASSWORD = "/accounts/password/change/"


def broken(request):
    raise RuntimeError("a bug")


# The site's URLconf and one URL that fails (tests below switch ROOT_URLCONF to this module).
urlpatterns = [path("test-only/broken/", broken), *site_urlpatterns]


@pytest.fixture
def failing_site(settings, client):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False  # answer as in production: the 500 page
    return client


def text(response) -> str:
    return response.content.decode()


def short_message(response) -> str:
    """What the page shows for an htmx error: the body, one line, sent as `app:error` too."""
    body = text(response)
    assert "<html" not in body
    assert "\n" not in body
    assert response["Content-Type"].startswith("text/plain")
    assert response["HX-Reswap"] == "none"
    assert response["HX-Trigger"].isascii()
    assert json.loads(response["HX-Trigger"]) == {"app:error": {"message": body}}
    return body


# --- the pages ---------------------------------------------------------------------------------


def test_a_missing_page_says_so_and_leads_back_to_the_start(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    page = text(response)
    assert "Page not found" in page
    assert "Check the address, or start again from the start page." in page
    assert 'href="/"' in page
    assert "css/portal.css" in page
    assert 'name="language"' not in page  # no switcher (a POST form) on an error page


def test_a_missing_page_speaks_dutch(client):
    """Needs the Dutch translations of templates/404.html in locale/nl."""
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 404
    page = text(response)
    assert '<html lang="nl">' in page
    assert "Controleer het adres, of begin opnieuw op de startpagina." in page
    assert "Check the address" not in page


def test_a_foreign_organisation_is_not_found(client, charlie, organisation):
    client.force_login(charlie)
    response = client.get(reverse("assessments:organisation", args=[organisation.pk]))
    assert response.status_code == 404
    assert "Page not found" in text(response)
    assert organisation.name not in text(response)


def test_a_manager_changing_what_consultants_change_is_refused(client, bob, organisation):
    client.force_login(bob)
    response = client.get(reverse("assessments:organisation_edit", args=[organisation.pk]))
    assert response.status_code == 403
    assert "403.html" in [t.name for t in response.templates]
    assert "Not allowed" in text(response)
    assert "ask a consultant of the organisation" in text(response)


def test_a_form_sent_without_its_token_gets_the_expired_page(alice, organisation):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post(reverse("assessments:organisation_edit", args=[organisation.pk]))
    assert response.status_code == 403
    assert "403_csrf.html" in [t.name for t in response.templates]
    page = text(response)
    assert "The page has expired" in page
    assert "cookies" in page
    assert "CSRF verification failed" not in page  # not Django's own page


def test_a_server_error_shows_the_500_page_without_the_user(failing_site, alice):
    failing_site.force_login(alice)
    response = failing_site.get("/test-only/broken/")
    assert response.status_code == 500
    page = text(response)
    assert "Something went wrong" in page
    assert "Wait a moment, then reload the page." in page
    assert "css/portal.css" in page
    assert "alice" not in page.lower()
    assert "Acme Zorg" not in page


def test_the_500_page_needs_no_database(rf, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Something went wrong" in text(response)


def test_allauths_rate_limit_answers_with_the_429_page(client, alice):
    """django-allauth allows five password changes a minute per user; the sixth is refused
    through the root URLconf's handler429."""
    client.force_login(alice)
    wrong = {"oldpassword": "wrong", "password1": "N3w-passw0rd!", "password2": "N3w-passw0rd!"}
    for _ in range(5):
        assert client.post(CHANGE_PASSWORD, wrong).status_code != 429  # refused, not limited
    response = client.post(CHANGE_PASSWORD, wrong)
    assert response.status_code == 429
    assert "429.html" in [t.name for t in response.templates]
    assert "Too many requests" in text(response)
    assert "Wait a minute, then go back and try again." in text(response)


# --- htmx --------------------------------------------------------------------------------------


def test_htmx_gets_a_short_message_for_a_missing_page(client, charlie, organisation):
    client.force_login(charlie)
    response = client.get(reverse("assessments:organisation", args=[organisation.pk]), **HTMX)
    assert response.status_code == 404
    assert short_message(response) == (
        "This is no longer there, or no longer open to you. Reload the page."
    )


def test_htmx_gets_a_short_message_in_dutch(client):
    """Needs the Dutch translation of errors.MESSAGES[404] in locale/nl."""
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="nl", **HTMX)
    assert response.status_code == 404
    assert short_message(response).startswith("Dit is er niet meer")


def test_htmx_gets_a_short_message_when_not_allowed(client, bob, baseline):
    score = baseline.scores.first()
    client.force_login(bob)
    url = reverse("assessments:score_save", args=[baseline.pk, score.pk])
    response = client.post(url, {"revision": score.revision}, **HTMX)
    assert response.status_code == 403
    assert short_message(response) == "You may not do this. Reload the page to see what you can do."


def test_htmx_gets_a_short_message_when_its_token_was_refused(alice, baseline):
    score = baseline.scores.first()
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    url = reverse("assessments:score_save", args=[baseline.pk, score.pk])
    response = client.post(url, {"revision": score.revision}, **HTMX)
    assert response.status_code == 403
    assert short_message(response).startswith("This page was open too long")


def test_htmx_gets_a_short_message_for_a_server_error(failing_site, alice):
    failing_site.force_login(alice)
    response = failing_site.get("/test-only/broken/", **HTMX)
    assert response.status_code == 500
    assert short_message(response) == "Something went wrong on our side. Try again in a moment."


def test_htmx_gets_a_short_message_for_a_rate_limit(client, alice):
    client.force_login(alice)
    wrong = {"oldpassword": "wrong", "password1": "N3w-passw0rd!", "password2": "N3w-passw0rd!"}
    for _ in range(5):
        client.post(CHANGE_PASSWORD, wrong)
    response = client.post(CHANGE_PASSWORD, wrong, **HTMX)
    assert response.status_code == 429
    assert short_message(response) == "Too many requests. Wait a minute, then try again."


def test_htmx_gets_a_short_message_for_a_bad_request(client, alice, baseline):
    client.force_login(alice)
    url = reverse("assessments:grid_focus", args=[baseline.pk])
    response = client.post(url, {"score": "x"}, **HTMX)
    assert response.status_code == 400
    assert short_message(response).startswith("This request could not be handled.")


def test_a_refused_save_keeps_its_part_to_swap(client, alice, baseline):
    """422 (a form to correct) is the app's own answer for htmx, not an error page."""
    score = baseline.scores.first()
    client.force_login(alice)
    url = reverse("assessments:score_save", args=[baseline.pk, score.pk])
    response = client.post(url, {"revision": score.revision, "override_level": 3}, **HTMX)
    assert response.status_code == 422
    assert "hx-swap-oob" in text(response)
    assert "HX-Reswap" not in response


@pytest.mark.parametrize(
    ("status", "replaced"),
    [
        (200, False),
        (204, False),
        (286, False),  # polling ends, with the last part
        (400, True),
        (403, True),
        (404, True),
        (409, False),  # a conflict: both values shown
        (422, False),  # a form to correct
        (429, True),
        (500, True),
    ],
)
def test_the_middleware_replaces_only_error_pages(rf, status, replaced):
    def view(request):
        request.csrf_processing_done = True  # as CsrfViewMiddleware leaves what it let through
        return HttpResponse("<main>part</main>", status=status)

    app = HtmxMiddleware(HtmxErrorMiddleware(view))
    response = app(rf.get("/", **HTMX))
    assert response.status_code == status
    assert (text(response) != "<main>part</main>") is replaced
    assert ("HX-Reswap" in response) is replaced
    # Without htmx, every page stays as it is.
    assert text(app(rf.get("/"))) == "<main>part</main>"


def test_the_middleware_leaves_an_answer_that_says_how_to_swap(rf):
    def view(request):
        response = HttpResponse("<p>theirs</p>", status=404)
        response["HX-Reswap"] = "innerHTML"
        return response

    response = HtmxMiddleware(HtmxErrorMiddleware(view))(rf.get("/", **HTMX))
    assert text(response) == "<p>theirs</p>"
