"""The one place that decides what a user may see and change.

Everything goes through the user's membership of the organisation (`member_of` for one
object, `Organisation.objects.visible_to(user)` for lists): an object outside it is a 404
(never a hint that it exists). Within it, writing needs the consultant role; a manager asking
to write gets a 403.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Assessment, Membership, Organisation, ProcessScore

# The largest id a database integer column holds: a larger id in a URL matches nothing (and
# SQLite would refuse to bind it).
MAX_ID = 2**63 - 1


def member_of(queryset, user, organisation: str = ""):
    """`queryset` narrowed to what the user is a member of, through the organisation at the
    lookup path `organisation` ("" for organisations themselves), each object carrying the
    user's role as `my_role`: one join on the membership (unique per organisation and user,
    so never a row twice), cheaper to build and to run than a role subquery."""
    if not user.is_authenticated:
        return queryset.none()
    memberships = f"{organisation}__memberships" if organisation else "memberships"
    return queryset.filter(**{f"{memberships}__user": user}).annotate(
        my_role=F(f"{memberships}__role")
    )


def require(obj, write: bool):
    """`obj` carries `my_role`; writing needs the consultant role."""
    if write and obj.my_role != Membership.Role.CONSULTANT:
        raise PermissionDenied
    return obj


def _valid(*ids: int) -> None:
    if not all(0 < pk <= MAX_ID for pk in ids):
        raise Http404


def get_organisation_for(user, pk: int, *, write: bool = False) -> Organisation:
    _valid(pk)
    queryset = member_of(Organisation.objects.all(), user)
    return require(get_object_or_404(queryset, pk=pk), write)


# Extension point: apps built on `assessments` (which it may not import) narrow what a user
# sees by registering `filter(queryset, user) -> queryset` here, from their AppConfig.ready()
# (units: a manager limited to one unit sees only that unit's assessments). A filter must add
# no query of its own (a subquery in the WHERE clause), so that every page keeps its count.
ASSESSMENT_FILTERS: list = []


def register_assessment_filter(function):
    if function not in ASSESSMENT_FILTERS:
        ASSESSMENT_FILTERS.append(function)
    return function


def filtered(queryset, user):
    """Assessments `queryset` narrowed by the registered filters (no query of its own)."""
    for narrow in ASSESSMENT_FILTERS:
        queryset = narrow(queryset, user)
    return queryset


def narrowed(queryset, user, assessment: str):
    """`queryset` of things of an assessment (at lookup path `assessment`: "assessment",
    "roadmap__assessment") narrowed by the registered filters as the assessments themselves
    are: a subquery in the WHERE clause, no query of its own; unchanged without filters."""
    if not ASSESSMENT_FILTERS:
        return queryset
    visible = filtered(Assessment.objects.all(), user)
    return queryset.filter(**{f"{assessment}__in": visible.values("pk")})


def assessments_for(user):
    """The assessments the user may see, each with its organisation, model version and model,
    the user's role (`my_role`) and the previous assessment's revision (`previous_revision`,
    for keys of cached parts that show the previous results too)."""
    queryset = (
        member_of(Assessment.objects.all(), user, "organisation")
        .select_related("organisation", "version__model")
        .annotate(previous_revision=F("previous__revision"))
    )
    for narrow in ASSESSMENT_FILTERS:
        queryset = narrow(queryset, user)
    return queryset


# Extension point: an app that splits an organisation's assessments into scopes (units: the
# whole organisation, or one unit) registers one provider, from its AppConfig.ready(), with:
#   choices(organisation, user) -> [(token, label), ...]: the scopes the user may see, the
#       default first (a limited manager: their unit only); [] when there is nothing to choose
#   narrow(queryset, token) -> the assessments of that scope (a filter, no query of its own)
#   token_of(assessment) -> the scope `assessment` is in
#   labels(assessment_ids) -> {assessment id: scope label} for those not of the default scope
#   default(queryset, user) -> assessments of the default scope of each one's organisation
#       for the user (a filter, no query of its own), for pages over many organisations
# Trend, comparison and re-assessment work within one scope; without a provider there is one.
SCOPES: list = []


def register_assessment_scopes(provider) -> None:
    if provider not in SCOPES:
        SCOPES.append(provider)


@dataclass(frozen=True)
class Scope:
    token: str = ""
    label: str = ""
    choices: tuple = ()

    def narrow(self, queryset):
        for provider in SCOPES:
            queryset = provider.narrow(queryset, self.token)
        return queryset


def scope_for(organisation, user, token: str | None = None) -> Scope:
    """The scope `token` names if the user may see it, else the default one."""
    for provider in SCOPES:
        choices = tuple(provider.choices(organisation, user))
        if choices:
            labels = dict(choices)
            token = token if token in labels else choices[0][0]
            return Scope(token=token, label=labels[token], choices=choices)
    return Scope()


def scope_of(assessment) -> Scope:
    """The scope `assessment` is in (what its trend and report compare it with)."""
    for provider in SCOPES:
        return Scope(token=provider.token_of(assessment))
    return Scope()


def default_scope(queryset, user):
    """Assessments `queryset` narrowed to the default scope of their organisation for the
    user (the whole organisation's, or a limited manager's unit's): the start page's."""
    for provider in SCOPES:
        queryset = provider.default(queryset, user)
    return queryset


def scope_labels(assessment_ids) -> dict:
    labels = {}
    for provider in SCOPES:
        labels.update(provider.labels(assessment_ids))
    return labels


def get_assessment_for(
    user, pk: int, *, write: bool = False, annotations: dict | None = None
) -> Assessment:
    """Assessment `pk` if the user is a member of its organisation (one query), with
    `annotations` (the grid's extensions, see `extensions.grid_annotations`)."""
    _valid(pk)
    queryset = assessments_for(user).annotate(**(annotations or {}))
    return require(get_object_or_404(queryset, pk=pk), write)


def get_score_for(
    user, pk: int, score_pk: int, *, write: bool = False, lock: bool = False
) -> ProcessScore:
    """Process score `score_pk` of assessment `pk`, with its assessment (carrying the user's
    role as `my_role`) and model version, in one query. `lock`: the score and its assessment
    locked until the caller's transaction ends."""
    _valid(pk, score_pk)
    queryset = member_of(ProcessScore.objects.all(), user, "assessment__organisation")
    queryset = narrowed(queryset, user, "assessment")
    queryset = queryset.select_related("assessment__version", "updated_by")
    if lock:
        queryset = queryset.select_for_update(of=("self", "assessment"))
    score = get_object_or_404(queryset, pk=score_pk, assessment_id=pk)
    score.assessment.my_role = score.my_role
    require(score, write)
    return score


def can_create_organisation(user) -> bool:
    """Consultants (of any client) and admins may take on a new client."""
    return user.has_perm("assessments.add_organisation") or (
        user.memberships.filter(role=Membership.Role.CONSULTANT).exists()
    )
