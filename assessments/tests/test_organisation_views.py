"""Organisation pages: list and search, create, edit, scope with client names, members."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, Membership, Organisation, OrganisationProcess


def test_list_searches_and_paginates_only_own_organisations(client, alice, charlie, smg_version):
    from assessments.services import organisation_create

    for index in range(25):
        organisation_create(
            name=f"Client {index:02}", report_language="en", processes=[], consultant=alice
        )
    client.force_login(alice)
    url = reverse("assessments:organisations")
    first = client.get(url).content.decode()
    assert "Page 1 of 2" in first
    assert "Other Org" not in first
    second = client.get(url, {"page": 2}).content.decode()
    assert "Client 24" in second
    found = client.get(url, {"q": "client 1"}).content.decode()
    assert found.count("Client 1") == 10
    assert "Client 20" not in found
    assert "Acme Zorg" not in found
    assert "No organisation matches" in client.get(url, {"q": "Other Org"}).content.decode()


def test_list_counts_processes_and_assessments_per_organisation(
    client, alice, organisation, smg_version, other_organisation, django_assert_max_num_queries
):
    """Each row counts its own processes and assessments, in the same queries however many."""
    import re

    from assessments.models import Membership
    from assessments.services import assessment_start

    for _ in range(2):
        assessment_start(organisation=organisation, version=smg_version, by=alice)
    Membership.objects.create(organisation=other_organisation, user=alice, role="manager")
    client.force_login(alice)
    with django_assert_max_num_queries(8):  # the brand's is the eighth
        html = client.get(reverse("assessments:organisations")).content.decode()
    rows = {
        name: (int(processes), int(assessments))
        for name, processes, assessments in re.findall(
            r'>([^<]+)</a></td>\s*<td class="text-end">(\d+)</td>\s*'
            r'<td class="text-end">(\d+)</td>',
            html,
        )
    }
    assert rows == {
        "Acme Zorg": (organisation.processes.count(), 2),
        "Other Org": (3, 0),
    }


def test_consultant_creates_an_organisation_and_becomes_its_consultant(client, alice, smg_version):
    client.force_login(alice)
    url = reverse("assessments:organisation_create")
    page = client.get(url).content.decode()
    assert "Internal collaboration" in page
    processes = list(smg_version.processes.values_list("pk", flat=True)[:3])
    response = client.post(
        url, {"name": "New Client", "report_language": "nl", "processes": processes}
    )
    organisation = Organisation.objects.get(name="New Client")
    assert response.url == reverse("assessments:organisation", args=[organisation.pk])
    assert organisation.report_language == "nl"
    assert organisation.processes.count() == 3
    assert Membership.objects.get(organisation=organisation).user == alice


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "report_language": "en"}, "This field is required"),
        ({"name": "Acme Zorg", "report_language": "en"}, "You already have an organisation"),
        ({"name": "acme zorg", "report_language": "en"}, "You already have an organisation"),
        ({"name": "X" * 201, "report_language": "en"}, "at most 200 characters"),
        ({"name": "Fine", "report_language": "fr"}, "Select a valid choice"),
    ],
)
def test_bad_organisation_input_is_refused_with_a_message(client, alice, data, message):
    client.force_login(alice)
    before = Organisation.objects.count()
    response = client.post(reverse("assessments:organisation_create"), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Organisation.objects.count() == before


def _answer(response, name: str) -> tuple:
    """What the user is told after `follow=True`: the redirects, the status and the messages
    shown, with the organisation's own name and id taken out."""
    html = response.content.decode()
    return (
        [
            re.sub(r"/organisations/\d+/", "/organisations/N/", url)
            for url, _s in response.redirect_chain
        ],
        response.status_code,
        [alert.replace(name, "NAME") for alert in re.findall(r'role="alert">(.*?)</div>', html)],
        "already" in html,
    )


def test_another_tenants_name_is_taken_as_a_free_one_on_create(
    client, alice, charlie, other_organisation, smg_version
):
    """Refusing "Other Org" (charlie's client, which alice cannot see) would tell alice that
    such a client exists: the answer is the one a name nobody has gets."""
    client.force_login(alice)
    url = reverse("assessments:organisation_create")
    processes = list(smg_version.processes.values_list("pk", flat=True)[:2])
    data = {"report_language": "en", "processes": processes}
    free = client.post(url, {**data, "name": "Nobody Has This"}, follow=True)
    foreign = client.post(url, {**data, "name": "Other Org"}, follow=True)
    assert _answer(foreign, "Other Org") == _answer(free, "Nobody Has This")
    assert _answer(foreign, "Other Org") == (
        ["/organisations/N/"],
        200,
        ["NAME was created."],
        False,
    )
    assert Organisation.objects.filter(name="Other Org").count() == 2
    assert Membership.objects.get(organisation__name="Other Org", user=alice).role == "consultant"


def test_another_tenants_name_is_taken_as_a_free_one_on_rename(
    client, alice, organisation, charlie, other_organisation
):
    client.force_login(alice)
    url = reverse("assessments:organisation_edit", args=[organisation.pk])
    free = client.post(url, {"name": "Nobody Has This", "report_language": "en"}, follow=True)
    foreign = client.post(url, {"name": "Other Org", "report_language": "en"}, follow=True)
    assert _answer(foreign, "Other Org") == _answer(free, "Nobody Has This")
    assert _answer(foreign, "Other Org") == (["/organisations/N/"], 200, ["Saved."], False)
    organisation.refresh_from_db()
    assert organisation.name == "Other Org"
    other_organisation.refresh_from_db()
    assert other_organisation.name == "Other Org"


def test_renaming_to_the_name_of_another_own_organisation_is_refused(
    client, alice, organisation, other_organisation
):
    Membership.objects.create(organisation=other_organisation, user=alice, role="manager")
    client.force_login(alice)
    url = reverse("assessments:organisation_edit", args=[organisation.pk])
    response = client.post(url, {"name": "other org", "report_language": "en"})
    assert response.status_code == 422
    assert "You already have an organisation named “other org”." in response.content.decode()
    organisation.refresh_from_db()
    assert organisation.name == "Acme Zorg"
    # Its own name, unchanged, is no clash.
    response = client.post(url, {"name": "Acme Zorg", "report_language": "nl"})
    assert response.status_code == 302


def test_a_manager_cannot_create_organisations(client, bob):
    client.force_login(bob)
    assert client.get(reverse("assessments:organisation_create")).status_code == 403


def test_edit_changes_name_and_report_language(client, alice, organisation):
    client.force_login(alice)
    url = reverse("assessments:organisation_edit", args=[organisation.pk])
    client.post(url, {"name": "Acme Care", "report_language": "nl"})
    organisation.refresh_from_db()
    assert (organisation.name, organisation.report_language) == ("Acme Care", "nl")


def test_scope_selects_processes_and_renames_one(client, alice, organisation, smg_version):
    client.force_login(alice)
    url = reverse("assessments:organisation_scope", args=[organisation.pk])
    assert "Name at the client" in client.get(url).content.decode()
    data = {
        "include_marketing": "on",
        "include_recruitment-hrm": "on",
        "name_recruitment-hrm": "Werving & selectie",
        "name_marketing": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    scope = {p.process.key: p.display_name for p in organisation.processes.all()}
    assert scope == {"marketing": "Marketing", "recruitment-hrm": "Werving & selectie"}
    page = client.get(reverse("assessments:organisation", args=[organisation.pk]))
    assert "Werving &amp; selectie" in page.content.decode()


def test_scope_needs_at_least_one_process_and_keeps_the_old_one(client, alice, organisation):
    client.force_login(alice)
    before = OrganisationProcess.objects.filter(organisation=organisation).count()
    response = client.post(reverse("assessments:organisation_scope", args=[organisation.pk]), {})
    assert response.status_code == 422
    assert "Choose at least one process" in response.content.decode()
    assert OrganisationProcess.objects.filter(organisation=organisation).count() == before


def test_a_renamed_process_keeps_its_name_in_a_new_baseline(client, alice, organisation):
    organisation.processes.filter(process__key="sales").update(custom_name="Verkoop B2B")
    client.force_login(alice)
    version = organisation.processes.first().process.version
    response = client.post(
        reverse("assessments:assessment_start", args=[organisation.pk]),
        {"version": version.pk, "assessed_on": "2026-11-20"},
    )
    assessment = Assessment.objects.get(organisation=organisation)
    assert response.url == reverse("assessments:grid", args=[assessment.pk])
    assert str(assessment.assessed_on) == "2026-11-20"
    grid = client.get(response.url).content.decode()
    assert "Verkoop B2B" in grid


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_start_form_fills_the_date_picker_with_an_iso_date_in_every_language(
    client, alice, organisation, language
):
    """`<input type="date">` takes YYYY-MM-DD only: the Dutch 01-12-2026 left it empty."""
    client.force_login(alice)
    url = reverse("assessments:assessment_start", args=[organisation.pk])
    html = client.get(url, headers={"accept-language": language}).content.decode()
    assert f'lang="{language}"' in html
    today = timezone.localdate().isoformat()
    assert f'type="date" name="assessed_on" value="{today}"' in html


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_start_form_takes_the_browsers_iso_date_in_every_language(
    client, alice, organisation, language
):
    client.force_login(alice)
    version = organisation.processes.first().process.version
    response = client.post(
        reverse("assessments:assessment_start", args=[organisation.pk]),
        {"version": version.pk, "assessed_on": "2026-12-01"},
        headers={"accept-language": language},
    )
    assessment = Assessment.objects.get(organisation=organisation)
    assert response.url == reverse("assessments:grid", args=[assessment.pk])
    assert assessment.assessed_on.isoformat() == "2026-12-01"
    grid = client.get(response.url, headers={"accept-language": language}).content.decode()
    assert {"en": "Dec. 1, 2026", "nl": "1 december 2026"}[language] in grid


def test_starting_with_a_draft_version_is_refused(client, alice, organisation, smg_version):
    from assessments.services import version_clone

    draft = version_clone(version=smg_version)
    client.force_login(alice)
    response = client.post(
        reverse("assessments:assessment_start", args=[organisation.pk]),
        {"version": draft.pk, "assessed_on": "2026-11-20"},
    )
    assert "Select a valid choice" in response.content.decode()
    assert not Assessment.objects.exists()


def test_members_are_removed_but_one_consultant_stays(client, alice, bob, organisation):
    client.force_login(alice)
    own = Membership.objects.get(user=alice, organisation=organisation)
    remove = reverse("assessments:member_remove", args=[organisation.pk, own.pk])
    response = client.post(remove, follow=True)
    assert "at least one consultant" in response.content.decode()
    assert Membership.objects.filter(pk=own.pk).exists()
    bobs = Membership.objects.get(user=bob)
    client.post(reverse("assessments:member_remove", args=[organisation.pk, bobs.pk]))
    assert not Membership.objects.filter(pk=bobs.pk).exists()


def test_the_members_list_shows_names_not_e_mail_addresses(client, alice, make_user, organisation):
    erin = make_user("erin", email="erin@example.org")
    Membership.objects.create(organisation=organisation, user=erin, role="manager")
    client.force_login(alice)
    html = client.get(reverse("assessments:organisation", args=[organisation.pk])).content.decode()
    members = html[html.index('data-testid="members"') :]
    members = members[: members.index("</ul>")]
    assert "erin" in members
    assert "Alice" in members
    assert "@" not in members


def test_a_membership_of_another_organisation_is_404(client, alice, charlie, organisation):
    foreign = Membership.objects.get(user=charlie)
    client.force_login(alice)
    url = reverse("assessments:member_remove", args=[organisation.pk, foreign.pk])
    assert client.post(url).status_code == 404
    assert Membership.objects.filter(pk=foreign.pk).exists()
