"""The one place that decides what a user may see and change.

Everything goes through the user's membership of the organisation
(`Organisation.objects.visible_to(user)`, and its one-join form `visible_with_role`): an object
outside it is a 404 (never a hint that it exists). Within it, writing needs the consultant
role; a manager asking to write gets a 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404

from .models import Assessment, Membership, Organisation, ProcessScore


def role_of(user, organisation_ref: str) -> Subquery:
    """The user's role in the organisation at `organisation_ref`, as an annotation."""
    return Subquery(
        Membership.objects.filter(organisation=OuterRef(organisation_ref), user=user).values(
            "role"
        )[:1]
    )


def require(obj, write: bool):
    """`obj` carries `my_role`; writing needs the consultant role."""
    if write and obj.my_role != Membership.Role.CONSULTANT:
        raise PermissionDenied
    return obj


def get_organisation_for(user, pk: int, *, write: bool = False) -> Organisation:
    queryset = Organisation.objects.visible_to(user).annotate(my_role=role_of(user, "pk"))
    return require(get_object_or_404(queryset, pk=pk), write)


def get_assessment_for(user, pk: int, *, write: bool = False) -> Assessment:
    queryset = Assessment.objects.visible_with_role(user).select_related(
        "organisation", "version__model"
    )
    return require(get_object_or_404(queryset, pk=pk), write)


def get_score_for(user, pk: int, score_pk: int, *, write: bool = False) -> ProcessScore:
    """A process score of assessment `pk`, with its assessment (and the user's role on it) in
    the same query: the grid's saves and forms need both."""
    queryset = ProcessScore.objects.visible_with_role(user).select_related("assessment__version")
    score = get_object_or_404(queryset, pk=score_pk, assessment=pk)
    score.assessment.my_role = score.my_role
    require(score.assessment, write)
    return score


def can_create_organisation(user) -> bool:
    """Consultants (of any client) and admins may take on a new client."""
    return user.has_perm("assessments.add_organisation") or (
        user.memberships.filter(role=Membership.Role.CONSULTANT).exists()
    )
