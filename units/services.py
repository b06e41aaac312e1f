from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.services import assessment_start

from .models import Unit, UnitAssessment


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
