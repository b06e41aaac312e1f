"""Login, the start page, the assessment overview, languages and tenancy."""

from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment


def test_anonymous_visitor_is_sent_to_the_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    page = client.get(response.url)
    assert b'name="login"' in page.content
    assert b'name="password"' in page.content


def test_demo_consultant_logs_in_and_sees_the_demo_organisation(client, demo_data):
    response = client.post(
        reverse("account_login"),
        {"login": "consultant", "password": "demo-consultant"},
        follow=True,
    )
    html = response.content.decode()
    assert "Demo Retail BV" in html
    assert "Baseline" in html
    assessment = Assessment.objects.get(organisation__name="Demo Retail BV")
    assert reverse("assessments:grid", args=[assessment.pk]) in html


def test_wrong_password_is_refused_with_a_message(client, demo_data):
    response = client.post(reverse("account_login"), {"login": "consultant", "password": "nope"})
    assert response.status_code == 422
    assert b"username and/or password you specified are not correct" in response.content
    assert "_auth_user_id" not in client.session


def test_start_page_lists_only_the_users_own_organisations(client, alice, charlie):
    client.force_login(alice)
    html = client.get("/").content.decode()
    assert "Acme Zorg" in html
    assert "Other Org" not in html
    client.force_login(charlie)
    html = client.get("/").content.decode()
    assert "Other Org" in html
    assert "Acme Zorg" not in html


def test_assessment_overview_shows_levels_for_members_and_404_for_others(
    client, baseline, alice, bob, charlie, django_user_model
):
    score = baseline.scores.first()
    score.scored_at = timezone.now()
    score.save()
    url = reverse("assessments:grid", args=[baseline.pk])
    for member in (alice, bob):
        client.force_login(member)
        response = client.get(url)
        assert response.status_code == 200
        assert response.content.count(b"1. Ad hoc</span>") == 1  # the one scored process
        assert b">not scored</span>" in response.content
    client.force_login(charlie)
    assert client.get(url).status_code == 404
    superuser = django_user_model.objects.create_superuser("root", "r@example.org", "pw")
    client.force_login(superuser)
    assert client.get(url).status_code == 404


def test_switching_to_dutch_changes_interface_and_level_names(client, baseline, alice):
    client.force_login(alice)
    url = reverse("assessments:grid", args=[baseline.pk])
    score = baseline.scores.first()
    row = reverse("assessments:score_form", args=[baseline.pk, score.pk])
    english = client.get(url).content.decode()
    assert "Progress score and ambition per process" in english
    assert "ambition not set" in english
    assert "3. Structured" in client.get(row).content.decode()

    response = client.post(reverse("set_language"), {"language": "nl", "next": url}, follow=True)
    dutch = response.content.decode()
    assert '<html lang="nl">' in dutch
    assert "Voortgangsscore en ambitie per proces" in dutch
    assert "ambitie niet bepaald" in dutch
    assert "ambition not set" not in dutch
    assert "Uitloggen" in dutch
    dutch_row = client.get(row).content.decode()
    assert "3. Gestructureerd" in dutch_row
    assert "Structured" not in dutch_row


def test_language_switch_by_get_changes_nothing(client, alice):
    client.force_login(alice)
    client.get(reverse("set_language"), {"language": "nl"})
    assert "Your organisations" in client.get("/").content.decode()


def test_logout_needs_a_post(client, alice):
    client.force_login(alice)
    assert client.get(reverse("account_logout")).status_code == 200  # asks to confirm
    assert client.get("/").status_code == 200
    client.post(reverse("account_logout"))
    assert client.get("/").status_code == 302
