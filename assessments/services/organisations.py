"""Clients, their processes in scope, their members and the invitations to join them."""

import logging
import smtplib
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Invitation, Membership, Organisation, OrganisationProcess

logger = logging.getLogger(__name__)

# Open invitations an organisation may have at once: enough for any client's team, few enough
# that nobody sends the portal's mail to a list of strangers.
INVITATIONS_OPEN_MAX = 50


@transaction.atomic
def organisation_create(
    *, name: str, report_language: str, processes, consultant=None
) -> Organisation:
    """A client with its processes in scope; the creating consultant becomes a member."""
    organisation = Organisation(name=name, report_language=report_language)
    organisation.full_clean()
    organisation.save()
    for order, process in enumerate(processes, start=1):
        scope = OrganisationProcess(organisation=organisation, process=process, order=order)
        scope.full_clean()
        scope.save()
    if consultant is not None:
        Membership.objects.create(
            organisation=organisation, user=consultant, role=Membership.Role.CONSULTANT
        )
    return organisation


@transaction.atomic
def scope_update(*, organisation: Organisation, selections) -> None:
    """Set the processes in scope to `selections` [(BusinessProcess, custom_name)], matching
    existing entries by the process's stable key so a rename survives a model change."""
    current = {
        entry.process.key: entry for entry in organisation.processes.select_related("process")
    }
    wanted = {process.key for process, _name in selections}
    organisation.processes.exclude(process__key__in=wanted).delete()
    for order, (process, custom_name) in enumerate(selections, start=1):
        entry = current.get(process.key) or OrganisationProcess(organisation=organisation)
        entry.process = process
        entry.custom_name = "" if custom_name == process.name else custom_name
        entry.order = order
        entry.full_clean(validate_unique=False)
        entry.save()


def member_add(*, organisation: Organisation, user, role: str) -> Membership:
    """`user` joins `organisation` (on accepting an invitation; Django admin writes its rows
    through its own forms)."""
    membership = Membership(organisation=organisation, user=user, role=role)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def member_remove(*, membership: Membership) -> None:
    consultants = Membership.objects.select_for_update().filter(
        organisation=membership.organisation_id, role=Membership.Role.CONSULTANT
    )
    if membership.is_consultant and consultants.count() <= 1:
        raise ValidationError(_("An organisation needs at least one consultant."))
    membership.delete()


class InvitationInvalid(Exception):
    """An unknown, expired, revoked, declined or used token. Which of them is never said."""


@transaction.atomic
def invitation_create(
    *, organisation: Organisation, email: str, role: str, by
) -> tuple[Invitation, str]:
    """A new invitation to `email` and its raw token (only its hash is stored). An open
    invitation to the same address is replaced; expired ones make room. Nobody's account is
    looked up: the answer is the same whether the address has one here or not."""
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()  # the limit
    now = timezone.now()
    unanswered = organisation.invitations.filter(accepted_at__isnull=True)
    unanswered.filter(Q(expires_at__lte=now) | Q(email__iexact=email)).delete()
    if unanswered.count() >= INVITATIONS_OPEN_MAX:
        raise ValidationError(
            _(
                "This organisation has %(count)d open invitations, the most it can have. "
                "Revoke one, or wait until some are accepted or expire."
            ),
            params={"count": INVITATIONS_OPEN_MAX},
        )
    token = Invitation.new_token()
    invitation = Invitation(
        organisation=organisation,
        email=email,
        role=role,
        invited_by=by,
        created_at=now,
        expires_at=now + Invitation.VALID_FOR,
        token_hash=Invitation.hash_token(token),
    )
    invitation.full_clean()
    invitation.save()
    return invitation, token


def invitation_send(
    *, organisation: Organisation, email: str, role: str, by, link: Callable[[str], str]
) -> Invitation:
    """Invite `email` and mail them the link to accept (`link(token)`, an absolute URL), in
    the language active now: the inviting consultant's. If the mail cannot be sent, the
    invitation is withdrawn and a ValidationError says so."""
    invitation, token = invitation_create(organisation=organisation, email=email, role=role, by=by)
    context = {
        "invitation": invitation,
        "organisation": organisation,
        "inviter": by.get_full_name() or by.get_username(),
        "link": link(token),
    }
    # One line, whatever the organisation's name holds (a line break is a header injection).
    subject = " ".join(render_to_string("assessments/mail/invitation_subject.txt", context).split())
    body = render_to_string("assessments/mail/invitation_body.txt", context)
    try:
        send_mail(subject, body, None, [invitation.email])
    except (smtplib.SMTPException, OSError):
        logger.exception("The invitation mail of organisation %s was not sent", organisation.pk)
        invitation.delete()
        raise ValidationError(
            _("The invitation mail could not be sent. Try again later.")
        ) from None
    return invitation


def invitation_revoke(*, invitation: Invitation) -> None:
    """Its link opens nothing any more (the row goes: a revoked token is an unknown one)."""
    invitation.delete()


def _open_invitation(token: str) -> Invitation:
    invitation = (
        Invitation.objects.pending()
        .with_token(token)
        .select_for_update(of=("self",))
        .select_related("organisation")
        .first()
    )
    if invitation is None:
        raise InvitationInvalid
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user) -> tuple[Membership, bool]:
    """`user` accepts: they join with the invitation's role, or stay what they are if they are
    a member already (the invitation is used up either way). Returns the membership and
    whether it is new. Any account may accept: the link went to the invited address only."""
    invitation = _open_invitation(token)
    membership = Membership.objects.filter(organisation=invitation.organisation, user=user).first()
    created = membership is None
    if created:
        membership = member_add(
            organisation=invitation.organisation, user=user, role=invitation.role
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership, created


@transaction.atomic
def invitation_decline(*, token: str) -> Organisation:
    """The invitation goes; returns the organisation it was for."""
    invitation = _open_invitation(token)
    invitation.delete()
    return invitation.organisation
