"""The invited person's side: the link from the mail, then Accept or Decline.

An unknown, expired, revoked, declined or used link answers with one and the same page (404),
so that a link tells nothing about why it no longer works."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import services
from ..models import Invitation, Membership


def _no_longer_valid(request):
    return render(request, "assessments/invitation_invalid.html", status=404)


@login_required
@require_GET
def invitation_detail(request, token: str):
    invitation = (
        Invitation.objects.pending()
        .with_token(token)
        .select_related("organisation", "invited_by")
        .first()
    )
    if invitation is None:
        return _no_longer_valid(request)
    membership = Membership.objects.filter(
        organisation=invitation.organisation, user=request.user
    ).first()
    return render(
        request,
        "assessments/invitation_detail.html",
        {"invitation": invitation, "token": token, "membership": membership},
    )


@login_required
@require_POST
def invitation_accept(request, token: str):
    try:
        membership, created = services.invitation_accept(token=token, user=request.user)
    except services.InvitationInvalid:
        return _no_longer_valid(request)
    values = {"name": membership.organisation.name, "role": membership.get_role_display()}
    if created:
        messages.success(request, _("You are now a member of %(name)s (%(role)s).") % values)
    else:
        messages.info(request, _("You are a member of %(name)s already (%(role)s).") % values)
    return redirect("assessments:organisation", pk=membership.organisation_id)


@login_required
@require_POST
def invitation_decline(request, token: str):
    try:
        organisation = services.invitation_decline(token=token)
    except services.InvitationInvalid:
        return _no_longer_valid(request)
    messages.info(
        request,
        _("You declined the invitation to %(name)s.") % {"name": organisation.name},
    )
    return redirect("home")
