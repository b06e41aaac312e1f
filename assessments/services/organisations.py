"""Clients, their processes in scope and their members."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Membership, Organisation, OrganisationProcess


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
