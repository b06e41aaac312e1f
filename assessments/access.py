"""The one place that decides what a user may see and change.

Everything goes through `Organisation.objects.visible_to(user)`: an object outside it is a 404
(never a hint that it exists). Within it, writing needs the consultant role; a manager asking
to write gets a 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404

from .models import Assessment, Membership, Organisation


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
    queryset = (
        Assessment.objects.visible_to(user)
        .select_related("organisation", "version__model", "created_by")
        .annotate(my_role=role_of(user, "organisation"))
    )
    return require(get_object_or_404(queryset, pk=pk), write)


def can_create_organisation(user) -> bool:
    """Consultants (of any client) and admins may take on a new client."""
    return user.has_perm("assessments.add_organisation") or (
        user.memberships.filter(role=Membership.Role.CONSULTANT).exists()
    )
