"""Who reaches a survey: members of its assessment's organisation (consultants to change it),
and respondents through its link or a personal invitation. Wrong links count against the
address's limit as the workshop's codes do; a link is random (96 bits and more), so a right one
is only checked against the count, never written (accounts.limits.looked_up)."""

import secrets

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts import limits
from assessments.access import MAX_ID, member_of, narrowed, require

from .models import Survey, SurveyInvitation, hash_token

RESPONDENT_KEY = "survey_respondents"
TOKEN_MAX = 64


class LinkRefused(Exception):
    """The address used up its wrong links for this window."""


def get_survey_for(
    user, pk: int, *, write: bool = False, annotations: dict | None = None
) -> Survey:
    """The survey `pk` if the user is a member of its organisation (and may see its unit),
    else a 404; `annotations` are read in the same query."""
    if not 0 < pk <= MAX_ID:
        raise Http404
    queryset = member_of(
        Survey.objects.annotate(**(annotations or {})), user, "assessment__organisation"
    )
    queryset = narrowed(queryset, user, "assessment")
    queryset = queryset.select_related("assessment__organisation", "assessment__version")
    return require(get_object_or_404(queryset, pk=pk), write)


def _looked_up(block: str, lookup):
    try:
        return limits.looked_up(
            f"survey-link:{block}",
            limit=settings.WORKSHOP_WRONG_CODES,
            seconds=settings.WORKSHOP_WRONG_CODES_WINDOW,
            check=lookup,
        )
    except limits.Limited:
        raise LinkRefused from None


def survey_by_link(token: str, block: str) -> Survey | None:
    """The survey of an open link (open or closed), or None; a wrong link counts."""
    token = token[:TOKEN_MAX]
    return _looked_up(
        block,
        lambda: Survey.objects.select_related("assessment__version").filter(token=token).first(),
    )


def invitation_by_token(token: str, block: str) -> SurveyInvitation | None:
    token = token[:TOKEN_MAX]
    return _looked_up(
        block,
        lambda: (
            SurveyInvitation.objects.select_related("survey__assessment__version")
            .filter(token_hash=hash_token(token))
            .first()
        ),
    )


def respondent_of(request, survey: Survey, *, create: bool) -> str | None:
    """The hash of this browser's respondent key for `survey` (made when `create`)."""
    keys = request.session.get(RESPONDENT_KEY, {})
    key = keys.get(str(survey.pk))
    if key is None:
        if not create:
            return None
        key = secrets.token_urlsafe(24)
        request.session[RESPONDENT_KEY] = {**keys, str(survey.pk): key}
    return hash_token(key)
