"""What a manager limited to one unit may see (registered in assessments.access)."""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from .models import Unit, UnitAssessment, UnitRestriction


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


WHOLE = "organisation"  # the scope of assessments of the whole organisation (no unit)


class UnitScopes:
    """The scopes of an organisation's assessments (registered in assessments.access): the
    whole organisation, or one unit ("unit-<id>"). A manager limited to a unit has only it."""

    def choices(self, organisation, user) -> list[tuple[str, str]]:
        limited = restricted_unit_id(user, organisation)
        units = Unit.objects.filter(organisation=organisation).only("pk", "name")
        if limited:
            units = units.filter(pk=limited)
        choices = [(f"unit-{unit.pk}", unit.name) for unit in units]
        if not choices:
            return []  # no units: nothing to choose
        return choices if limited else [(WHOLE, _("Whole organisation")), *choices]

    def narrow(self, queryset, token: str):
        if token == WHOLE:
            return queryset.filter(unit_link__isnull=True)
        if token.startswith("unit-") and token[5:].isdigit():
            return queryset.filter(unit_link__unit_id=int(token[5:]))
        return queryset

    def default(self, queryset, user):
        """The whole organisation's assessments, or a limited user's unit's (which
        `only_my_unit` narrows to)."""
        if not user.is_authenticated:
            return queryset
        limited = UnitRestriction.objects.filter(
            membership__user=user, membership__organisation=OuterRef("organisation")
        )
        return queryset.filter(Q(unit_link__isnull=True) | Exists(limited))

    def token_of(self, assessment) -> str:
        unit_id = (
            UnitAssessment.objects.filter(assessment=assessment)
            .values_list("unit_id", flat=True)
            .first()
        )
        return f"unit-{unit_id}" if unit_id else WHOLE

    def labels(self, assessment_ids) -> dict[int, str]:
        links = UnitAssessment.objects.filter(assessment_id__in=assessment_ids)
        return dict(links.values_list("assessment_id", "unit__name"))


unit_scopes = UnitScopes()
