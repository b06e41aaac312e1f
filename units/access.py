"""What a manager limited to one unit may see (registered in assessments.access)."""

from django.db.models import Exists, OuterRef

from .models import UnitAssessment, UnitRestriction


def only_my_unit(queryset, user):
    """A user limited to a unit in an organisation sees, of that organisation, only the
    assessments of that unit (not those of other units nor of the whole organisation)."""
    if not user.is_authenticated:
        return queryset
    limited = UnitRestriction.objects.filter(
        membership__user=user, membership__organisation=OuterRef("organisation")
    )
    mine = UnitAssessment.objects.filter(
        assessment=OuterRef("pk"), unit__restrictions__membership__user=user
    )
    return queryset.filter(~Exists(limited) | Exists(mine))


def restricted_unit_id(user, organisation) -> int | None:
    return (
        UnitRestriction.objects.filter(membership__user=user, membership__organisation=organisation)
        .values_list("unit_id", flat=True)
        .first()
    )
