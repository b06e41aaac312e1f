"""Writes of the peer benchmark: an organisation's profile and its consent."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Consent, PeerProfile, Revision, Sector, SizeClass


def revision_bump() -> None:
    """Who takes part, or how they are grouped, may have changed: the cached peer figures are
    keyed by this number (benchmark.selectors)."""
    if not Revision.objects.filter(pk=1).update(number=F("number") + 1):
        Revision.objects.get_or_create(pk=1, defaults={"number": 2})


@transaction.atomic
def profile_save(
    *, organisation, sector: Sector | None, size_class: SizeClass | None
) -> PeerProfile:
    profile, _created = PeerProfile.objects.select_for_update().get_or_create(
        organisation=organisation
    )
    profile.sector, profile.size_class = sector, size_class
    profile.full_clean()
    profile.save(update_fields=["sector", "size_class"])
    return profile


@transaction.atomic
def consent_give(*, organisation, by) -> Consent:
    """Record that the organisation takes part from now on (`by`: who recorded it)."""
    PeerProfile.objects.get_or_create(organisation=organisation)
    if Consent.objects.active().filter(organisation=organisation).exists():
        raise ValidationError(_("This organisation takes part in the benchmark already."))
    consent = Consent(organisation=organisation, given_by=by, given_at=timezone.now())
    consent.full_clean()
    consent.save()
    return consent


@transaction.atomic
def consent_withdraw(*, organisation, by) -> Consent:
    """From now on the organisation's results are in no peer figure (the consent stays in the
    history, with who withdrew it and when)."""
    consent = Consent.objects.active().select_for_update().filter(organisation=organisation).first()
    if consent is None:
        raise ValidationError(_("This organisation does not take part in the benchmark."))
    consent.withdrawn_by, consent.withdrawn_at = by, timezone.now()
    consent.full_clean()
    consent.save(update_fields=["withdrawn_by", "withdrawn_at"])
    return consent


@transaction.atomic
def participation_save(
    *, organisation, sector: Sector | None, size_class: SizeClass | None, takes_part: bool, by
) -> PeerProfile:
    """The organisation's sector and size class, and its consent given or withdrawn as
    `takes_part` says (recorded as `by`'s)."""
    profile = profile_save(organisation=organisation, sector=sector, size_class=size_class)
    in_force = Consent.objects.active().filter(organisation=organisation).exists()
    if takes_part and not in_force:
        consent_give(organisation=organisation, by=by)
    elif in_force and not takes_part:
        consent_withdraw(organisation=organisation, by=by)
    return profile
