from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.services import assessment_start

from .models import Unit, UnitAssessment, UnitRestriction


@transaction.atomic
def unit_create(*, organisation, name: str, kind: str, parent: Unit | None = None) -> Unit:
    unit = Unit(organisation=organisation, name=name, kind=kind, parent=parent)
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def unit_assessment_start(*, unit: Unit, version, by, process_keys=None, assessed_on=None):
    """A baseline of `unit`: the organisation's processes in scope, narrowed to
    `process_keys` (the unit's own processes; all of them when None) in the same
    transaction, so a unit never has an assessment with a process it does not run."""
    assessment = assessment_start(
        organisation=unit.organisation, version=version, by=by, assessed_on=assessed_on
    )
    if process_keys is not None:
        keys = set(process_keys)
        if not keys:
            raise ValidationError(_("Choose at least one process for the unit."))
        out = assessment.scores.exclude(process__key__in=keys)
        if out.count() == assessment.scores.count():
            raise ValidationError(_("None of these processes is in the organisation's scope."))
        out.delete()
    link = UnitAssessment(assessment=assessment, unit=unit)
    link.full_clean()
    link.save()
    return assessment


@transaction.atomic
def unit_update(*, unit: Unit, name: str, kind: str, parent: Unit | None) -> Unit:
    unit.name, unit.kind, unit.parent = name, kind, parent
    unit.full_clean()
    unit.save()
    return unit


@transaction.atomic
def unit_delete(*, unit: Unit) -> None:
    """Only a unit without assessments, parts or limited managers: deleting one with
    assessments would turn them into assessments of the whole organisation, and one a manager
    is limited to would lift the limit; neither is ever done silently."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.assessments.exists():
        raise ValidationError(
            _("%(unit)s has assessments: it stays, so that they keep their unit.")
            % {"unit": unit.name}
        )
    if unit.restrictions.exists():
        raise ValidationError(
            _("A manager is limited to %(unit)s: lift that limit first.") % {"unit": unit.name}
        )
    if unit.children.exists():
        raise ValidationError(
            _("%(unit)s has parts of its own: delete or move those first.") % {"unit": unit.name}
        )
    unit.delete()


@transaction.atomic
def restriction_set(*, membership, unit: Unit | None) -> None:
    """Limit a manager to `unit` (None: lift the limit). Consultants are never limited."""
    if membership.role != membership.Role.MANAGER:
        raise ValidationError(_("Only a manager can be limited to a unit."))
    if unit is not None and unit.organisation_id != membership.organisation_id:
        raise ValidationError(_("Choose a unit of this organisation."))
    if unit is None:
        UnitRestriction.objects.filter(membership=membership).delete()
    else:
        UnitRestriction.objects.update_or_create(membership=membership, defaults={"unit": unit})
