"""The one place that decides what a user may see and change.

Everything goes through the user's membership of the organisation
(`Organisation.objects.visible_to(user)`; for an assessment or a score, the membership joined
in the hand-written lookups below): an object outside it is a 404 (never a hint that it
exists). Within it, writing needs the consultant role; a manager asking to write gets a 403.
"""

import functools

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Assessment, MaturityModel, Membership, ModelVersion, Organisation, ProcessScore
from .sql import MAX_ID, Statement, columns, split


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


# The lookups every page of an assessment and every save of the grid start with, written out
# (see `sql`): the membership joined on the organisation id directly, the column lists taken
# from the models. The stamps are the number of an assessment's process scores and the sum of
# their revisions: every write of a score bumps its revision, so the pair moves on with every
# change (the grid keeps its rendered rows by them).
_ASSESSMENT_SQL = """
SELECT {a}, {o}, {v}, {mm}, m.role,
  (SELECT COUNT(*) FROM assessments_processscore WHERE assessment_id = a.id),
  (SELECT SUM(revision) FROM assessments_processscore WHERE assessment_id = a.id),
  (SELECT COUNT(*) FROM assessments_processscore WHERE assessment_id = a.previous_id),
  (SELECT SUM(revision) FROM assessments_processscore WHERE assessment_id = a.previous_id)
FROM assessments_assessment a
INNER JOIN assessments_membership m ON m.organisation_id = a.organisation_id
INNER JOIN assessments_organisation o ON o.id = a.organisation_id
INNER JOIN assessments_modelversion v ON v.id = a.version_id
INNER JOIN assessments_maturitymodel mm ON mm.id = v.model_id
WHERE a.id = %s AND m.user_id = %s
"""

_SCORE_SQL = """
SELECT {s}, {a}, {v}, m.role
FROM assessments_processscore s
INNER JOIN assessments_assessment a ON a.id = s.assessment_id
INNER JOIN assessments_membership m ON m.organisation_id = a.organisation_id
INNER JOIN assessments_modelversion v ON v.id = a.version_id
WHERE s.id = %s AND s.assessment_id = %s AND m.user_id = %s
"""


@functools.cache
def _assessment_query(vendor: str):
    parts = (
        columns(Assessment, "a", vendor),
        columns(Organisation, "o", vendor),
        columns(ModelVersion, "v", vendor),
        columns(MaturityModel, "mm", vendor),
    )
    a, o, v, mm = (part.sql for part in parts)
    return Statement("assessment_for", _ASSESSMENT_SQL.format(a=a, o=o, v=v, mm=mm)), parts


def get_assessment_for(user, pk: int, *, write: bool = False) -> Assessment:
    """Assessment `pk` if the user is a member of its organisation, with `organisation`,
    `version` and `version.model` loaded, `my_role`, and `scores_stamp` and
    `previous_scores_stamp` ((count, sum of revisions) of its and the previous assessment's
    scores: what the grid's rendered rows are kept by). One query."""
    if not user.is_authenticated or not 0 < pk <= MAX_ID:
        raise Http404
    statement, parts = _assessment_query(connection.vendor)
    row = statement.fetch_one([pk, user.pk])
    if row is None:
        raise Http404
    assessment, organisation, version, model, role, *stamps = split(row, *parts)
    assessment.organisation, assessment.version, version.model = organisation, version, model
    assessment.my_role = role
    count, revisions, previous_count, previous_revisions = stamps
    assessment.scores_stamp = (count, revisions or 0)
    assessment.previous_scores_stamp = (
        (previous_count, previous_revisions or 0) if assessment.previous_id else None
    )
    return require(assessment, write)


@functools.cache
def _score_query(vendor: str, lock: bool):
    parts = (
        columns(ProcessScore, "s", vendor),
        columns(Assessment, "a", vendor),
        columns(ModelVersion, "v", vendor),
    )
    s, a, v = (part.sql for part in parts)
    sql = _SCORE_SQL.format(s=s, a=a, v=v)
    if lock and connection.features.has_select_for_update_of:
        sql += "FOR UPDATE OF s, a"
    return Statement("score_for_update" if lock else "score_for", sql), parts


def get_score_for(
    user, pk: int, score_pk: int, *, write: bool = False, lock: bool = False
) -> ProcessScore:
    """Process score `score_pk` of assessment `pk`, with its assessment (carrying the user's
    role as `my_role`) and model version, in one query. With `lock`, the score and its
    assessment are locked until the transaction ends (inside `transaction.atomic()`), so the
    grid's save reads, checks and locks at once (`services.score_save(locked=True)`)."""
    if not user.is_authenticated or not (0 < pk <= MAX_ID and 0 < score_pk <= MAX_ID):
        raise Http404
    statement, parts = _score_query(connection.vendor, lock)
    row = statement.fetch_one([score_pk, pk, user.pk])
    if row is None:
        raise Http404
    score, assessment, version, role = split(row, *parts)
    score.assessment, assessment.version = assessment, version
    score.my_role = assessment.my_role = role
    require(assessment, write)
    return score


def can_create_organisation(user) -> bool:
    """Consultants (of any client) and admins may take on a new client."""
    return user.has_perm("assessments.add_organisation") or (
        user.memberships.filter(role=Membership.Role.CONSULTANT).exists()
    )
