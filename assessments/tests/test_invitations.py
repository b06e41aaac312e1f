"""Inviting members by e-mail: the consultant's answer never tells whether an address has an
account here, nobody joins without accepting, and a link that no longer works says only that."""

import datetime
import re
import smtplib

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import formats, timezone, translation

from assessments import services
from assessments.models import Invitation, Membership

LINK = re.compile(r"http://testserver(/invitations/([A-Za-z0-9_-]+)/)")


def invite(client, organisation, email, role="manager", **kwargs):
    return client.post(
        reverse("assessments:invitation_create", args=[organisation.pk]),
        {"email": email, "role": role},
        **kwargs,
    )


def link_in(message) -> str:
    return LINK.search(message.body).group(1)


def no_longer_valid(response) -> bool:
    return response.status_code == 404 and "This invitation is no longer valid" in (
        response.content.decode()
    )


def normalised(html: str, email: str = "") -> str:
    """The page without what differs on every request (CSRF token, CSP nonce), the address
    invited, the invitation's id and the page's own address (the language switcher's)."""
    if email:
        html = html.replace(email, "EMAIL")
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", html)
    html = re.sub(r'"X-CSRFToken": "[^"]+"', "CSRF", html)
    html = re.sub(r'nonce="[^"]+"', "NONCE", html)
    html = re.sub(r'name="next" value="[^"]+"', "NEXT", html)
    return re.sub(r"/invitations/\d+/revoke/", "/invitations/N/revoke/", html)


@pytest.fixture
def erin(make_user):
    """Has an account here, with an address; member of nothing yet."""
    return make_user("erin", first_name="Erin", email="erin@example.org")


def test_an_existing_account_and_an_unknown_address_get_the_same_answer(
    client, alice, organisation, erin
):
    client.force_login(alice)
    answers, mails = [], []
    for email in ("erin@example.org", "nobody-here@example.org"):
        mail.outbox.clear()
        response = invite(client, organisation, email, follow=True)
        (message,) = mail.outbox
        answers.append(
            (
                [(url, status) for url, status in response.redirect_chain],
                response.status_code,
                normalised(response.content.decode(), email),
            )
        )
        mails.append(
            (
                message.subject,
                message.to == [email],
                message.body.replace(email, "EMAIL").replace(link_in(message), "LINK"),
            )
        )
        assert f"An invitation was sent to {email}." in response.content.decode()
        Invitation.objects.all().delete()  # the second answer starts from the same state
    assert answers[0] == answers[1]
    assert mails[0] == mails[1]
    assert answers[0][:2] == (
        [(reverse("assessments:organisation", args=[organisation.pk]), 302)],
        200,
    )
    assert not Membership.objects.filter(user=erin).exists()


def test_the_mail_links_to_a_page_that_asks_and_joins_only_on_accept(
    client, alice, organisation, erin
):
    client.force_login(alice)
    invite(client, organisation, "Erin@Example.ORG", role="consultant")
    (message,) = mail.outbox
    assert message.to == ["Erin@example.org"]
    assert "Acme Zorg" in message.subject
    assert "Alice invites you to join Acme Zorg on the DVO Portal as consultant." in message.body
    assert "ask your administrator for one, then open the link again" in message.body
    url = link_in(message)
    token = LINK.search(message.body).group(2)
    assert not Invitation.objects.filter(token_hash=token).exists()  # stored as a hash only
    assert Invitation.objects.get().token_hash == Invitation.hash_token(token)

    client.force_login(erin)
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Invitation to Acme Zorg" in html
    assert "consultant" in html
    assert "Alice" in html
    assert "This invitation was sent to Erin@example.org" in html
    assert not Membership.objects.filter(user=erin).exists()  # opening it joins nobody

    response = client.post(url + "accept/", follow=True)
    assert response.redirect_chain == [
        (reverse("assessments:organisation", args=[organisation.pk]), 302)
    ]
    assert "You are now a member of Acme Zorg (consultant)." in response.content.decode()
    assert Membership.objects.get(user=erin, organisation=organisation).role == "consultant"
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == erin
    assert invitation.accepted_at is not None

    assert no_longer_valid(client.get(url))
    assert no_longer_valid(client.post(url + "accept/"))
    assert no_longer_valid(client.post(url + "decline/"))


def test_a_link_works_once_whoever_uses_it(client, alice, bob, organisation, erin, charlie):
    client.force_login(alice)
    invite(client, organisation, "someone@example.org")
    url = link_in(mail.outbox[0])
    client.force_login(charlie)  # the account need not have the invited address
    assert client.post(url + "accept/").status_code == 302
    assert Membership.objects.get(user=charlie, organisation=organisation).role == "manager"
    client.force_login(erin)
    assert no_longer_valid(client.post(url + "accept/"))
    assert not Membership.objects.filter(user=erin).exists()


def test_someone_not_signed_in_signs_in_first(client, alice, organisation):
    client.force_login(alice)
    invite(client, organisation, "someone@example.org")
    url = link_in(mail.outbox[0])
    client.logout()
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={url}"
    response = client.post(url + "accept/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert Invitation.objects.get().accepted_at is None


def test_a_member_already_is_told_so_and_the_invitation_is_used_up(
    client, alice, bob, organisation
):
    client.force_login(alice)
    invite(client, organisation, "bob@example.org", role="consultant")
    url = link_in(mail.outbox[0])
    client.force_login(bob)
    assert "You are a member of this organisation already (manager)." in (
        client.get(url).content.decode()
    )
    response = client.post(url + "accept/", follow=True)
    assert "You are a member of Acme Zorg already (manager)." in response.content.decode()
    assert Membership.objects.get(user=bob, organisation=organisation).role == "manager"
    assert Invitation.objects.get().accepted_by == bob
    assert no_longer_valid(client.get(url))


def test_declining_ends_the_invitation_and_joins_nobody(client, alice, organisation, erin):
    client.force_login(alice)
    invite(client, organisation, "erin@example.org")
    url = link_in(mail.outbox[0])
    client.force_login(erin)
    response = client.post(url + "decline/", follow=True)
    assert response.redirect_chain == [(reverse("home"), 302)]
    assert "You declined the invitation to Acme Zorg." in response.content.decode()
    assert not Membership.objects.filter(user=erin).exists()
    assert not Invitation.objects.exists()
    assert no_longer_valid(client.post(url + "accept/"))


def test_revoked_expired_used_and_unknown_links_look_the_same(
    client, alice, organisation, erin, charlie
):
    client.force_login(alice)
    links = {}
    for reason in ("revoked", "expired", "used"):
        mail.outbox.clear()
        invite(client, organisation, f"{reason}@example.org")
        links[reason] = link_in(mail.outbox[0])
    pending = reverse("assessments:organisation", args=[organisation.pk])
    assert "revoked@example.org" in client.get(pending).content.decode()
    revoked = Invitation.objects.get(email="revoked@example.org")
    response = client.post(
        reverse("assessments:invitation_revoke", args=[organisation.pk, revoked.pk]), follow=True
    )
    assert "The invitation to revoked@example.org was revoked." in response.content.decode()
    assert 'data-testid="invitations"' in response.content.decode()
    assert "revoked@example.org</span>" not in response.content.decode()
    Invitation.objects.filter(email="expired@example.org").update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    client.force_login(charlie)
    client.post(links["used"] + "accept/", follow=True)
    links["unknown"] = "/invitations/" + Invitation.new_token() + "/"
    links["garbage"] = "/invitations/x'%20or%201=1/"

    client.force_login(erin)
    pages = set()
    for reason, url in links.items():
        for response in (
            client.get(url),
            client.post(url + "accept/"),
            client.post(url + "decline/"),
        ):
            assert no_longer_valid(response), reason
            pages.add(normalised(response.content.decode()))
    assert len(pages) == 1
    assert not Membership.objects.filter(user=erin).exists()


def test_the_organisation_page_lists_open_invitations_for_consultants_only(
    client, alice, bob, organisation
):
    client.force_login(alice)
    invite(client, organisation, "dora@example.org", role="consultant")
    Invitation.objects.create(
        organisation=organisation,
        email="late@example.org",
        role="manager",
        invited_by=alice,
        expires_at=timezone.now() - datetime.timedelta(days=1),
        token_hash=Invitation.hash_token("late"),
    )
    url = reverse("assessments:organisation", args=[organisation.pk])
    html = client.get(url).content.decode()
    listed = html[html.index('data-testid="invitations"') :]
    listed = listed[: listed.index("</ul>")]
    expires = Invitation.objects.get(email="dora@example.org").expires_at
    assert "dora@example.org" in listed
    assert "Invited by Alice, valid until " + formats.date_format(expires, "DATE_FORMAT") in listed
    assert "consultant" in listed
    assert "late@example.org" not in listed  # expired
    client.force_login(bob)
    html = client.get(url).content.decode()
    assert "dora@example.org" not in html
    assert "Send invitation" not in html


def test_inviting_again_replaces_the_open_invitation(client, alice, organisation, erin):
    client.force_login(alice)
    invite(client, organisation, "erin@example.org", role="consultant")
    invite(client, organisation, "ERIN@example.org", role="manager")
    first, second = (link_in(message) for message in mail.outbox)
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role) == ("ERIN@example.org", "manager")
    client.force_login(erin)
    assert no_longer_valid(client.get(first))
    assert client.post(second + "accept/").status_code == 302
    assert Membership.objects.get(user=erin).role == "manager"


def test_the_mail_is_in_the_inviting_consultants_language(client, alice, organisation):
    client.force_login(alice)
    response = invite(
        client, organisation, "someone@example.org", headers={"accept-language": "nl"}
    )
    assert response.status_code == 302
    expires = Invitation.objects.get().expires_at
    with translation.override("nl"):
        dutch_date = formats.date_format(timezone.localtime(expires), "DATE_FORMAT")
    assert dutch_date in mail.outbox[0].body
    assert expires - timezone.now() > datetime.timedelta(days=13)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "", "role": "manager"}, "This field is required."),
        ({"email": "not an address", "role": "manager"}, "Enter a valid email address."),
        ({"email": "x@example.org", "role": "owner"}, "Select a valid choice."),
    ],
)
def test_a_bad_invitation_is_shown_again_with_its_input(client, alice, organisation, data, message):
    client.force_login(alice)
    response = invite(client, organisation, data["email"], role=data["role"])
    html = response.content.decode()
    assert response.status_code == 422
    assert message in html
    assert f'value="{data["email"]}"' in html or not data["email"]
    assert "Acme Zorg" in html  # the organisation's page, not a bare form
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_open_invitations_are_limited_per_organisation(client, alice, organisation):
    for n in range(services.INVITATIONS_OPEN_MAX):
        services.invitation_create(
            organisation=organisation, email=f"p{n}@example.org", role="manager", by=alice
        )
    client.force_login(alice)
    response = invite(client, organisation, "one-more@example.org")
    assert response.status_code == 422
    html = response.content.decode()
    assert "This organisation has 50 open invitations, the most it can have." in html
    assert 'value="one-more@example.org"' in html
    assert not mail.outbox
    # Inviting one of them again replaces it, and an expired one makes room.
    assert invite(client, organisation, "p1@example.org").status_code == 302
    Invitation.objects.filter(email="p2@example.org").update(expires_at=timezone.now())
    assert invite(client, organisation, "one-more@example.org").status_code == 302
    assert Invitation.objects.pending().count() == services.INVITATIONS_OPEN_MAX


def test_a_mail_that_cannot_be_sent_withdraws_the_invitation(
    client, alice, organisation, monkeypatch
):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr("assessments.services.organisations.send_mail", refuse)
    client.force_login(alice)
    response = invite(client, organisation, "someone@example.org")
    assert response.status_code == 422
    assert "The invitation mail could not be sent." in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_manager_can_neither_invite_nor_revoke(client, alice, bob, organisation):
    invitation, _token = services.invitation_create(
        organisation=organisation, email="x@example.org", role="manager", by=alice
    )
    client.force_login(bob)
    assert invite(client, organisation, "y@example.org").status_code == 403
    revoke = reverse("assessments:invitation_revoke", args=[organisation.pk, invitation.pk])
    assert client.post(revoke).status_code == 403
    assert list(Invitation.objects.values_list("email", flat=True)) == ["x@example.org"]
    assert not mail.outbox


def test_an_accepted_invitation_cannot_be_revoked(client, alice, organisation, erin):
    invitation, token = services.invitation_create(
        organisation=organisation, email="erin@example.org", role="manager", by=alice
    )
    services.invitation_accept(token=token, user=erin)
    client.force_login(alice)
    revoke = reverse("assessments:invitation_revoke", args=[organisation.pk, invitation.pk])
    assert client.post(revoke).status_code == 404
    assert Invitation.objects.get().accepted_by == erin


def test_an_admin_sees_the_invitations_and_can_withdraw_one(
    client, admin_client, alice, organisation
):
    client.force_login(alice)
    invite(client, organisation, "frank@example.org")
    invitation = Invitation.objects.get()
    listing = admin_client.get(reverse("admin:assessments_invitation_changelist"))
    assert "frank@example.org" in listing.content.decode()
    delete = reverse("admin:assessments_invitation_delete", args=[invitation.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert no_longer_valid(client.get(link_in(mail.outbox[-1])))
