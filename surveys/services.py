"""Writes of surveys. Every answer bumps the survey's revision (with F()), the key of every
cache of its figures; opening a survey bumps the assessment's revision (the grid and the
report show it)."""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import limits
from assessments.models import Assessment

from .models import (
    Survey,
    SurveyAnswer,
    SurveyGroup,
    SurveyInvitation,
    SurveyResponse,
    hash_token,
)


class SurveyRefused(Exception):
    def __init__(self, message: str, *, status: int = 409):
        super().__init__(message)
        self.message = message
        self.status = status


def closed_message() -> str:
    return _("This survey is closed; answers can no longer be given or changed.")


@transaction.atomic
def survey_open(
    *, assessment: Assessment, groups: list[str], min_group: int, open_link: bool, by
) -> Survey:
    if assessment.is_final:
        raise ValidationError(_("This assessment is final; a survey can no longer be opened."))
    if Survey.objects.open().filter(assessment=assessment).exists():
        raise ValidationError(_("This assessment already has an open survey."))
    survey = Survey(assessment=assessment, min_group=min_group, open_link=open_link, created_by=by)
    survey.full_clean()
    survey.save()
    SurveyGroup.objects.bulk_create(
        SurveyGroup(survey=survey, name=name, order=order) for order, name in enumerate(groups)
    )
    # The grid and the report show the survey from now on.
    Assessment.objects.filter(pk=assessment.pk).update(revision=F("revision") + 1)
    return survey


@transaction.atomic
def survey_close(*, survey: Survey) -> Survey:
    Survey.objects.filter(pk=survey.pk, closed_at__isnull=True).update(
        closed_at=timezone.now(), revision=F("revision") + 1
    )
    survey.refresh_from_db()
    return survey


def invitations_create(*, survey: Survey, number: int) -> list[str]:
    """`number` personal links' tokens (the raw tokens are returned once, to be mailed; only
    their hashes are kept)."""
    if not survey.is_open:
        raise SurveyRefused(closed_message())
    tokens = [secrets.token_urlsafe(32) for _ in range(number)]
    SurveyInvitation.objects.bulk_create(
        SurveyInvitation(survey=survey, token_hash=hash_token(token)) for token in tokens
    )
    return tokens


def _new_responses_key(block: str) -> str:
    return f"survey-new-responses:{block}"


def new_responses_refused_message() -> str:
    minutes = max(1, settings.SURVEY_NEW_RESPONSES_WINDOW // 60)
    return ngettext(
        "Too many new answers from this address; wait a minute and try again.",
        "Too many new answers from this address; wait %(minutes)d minutes and try again.",
        minutes,
    ) % {"minutes": minutes}


@dataclass(frozen=True)
class AnswerInput:
    score_id: int
    level: int
    criteria: list[int]


@transaction.atomic
def survey_answer(
    *,
    survey: Survey,
    respondent: str,
    group: SurveyGroup | None,
    answers: list[AnswerInput],
    invitation: SurveyInvitation | None = None,
    block: str = "",
) -> SurveyResponse:
    """Store (or replace) the answers of one respondent: `respondent` is the hash of their key.
    Through an invitation the respondent is the invitation's: one response per link, ever.
    A new response through the open link counts against the address block's limit.

    The first write bumps the survey's revision only while it is open: that one statement
    checks, locks the survey's row against closing until the answer is kept, and changes the
    key of its figures (a refusal below rolls the bump back)."""
    if not Survey.objects.filter(pk=survey.pk, closed_at__isnull=True).update(
        revision=F("revision") + 1
    ):
        raise SurveyRefused(closed_message())
    if invitation is not None:
        respondent = invitation.token_hash
    response = SurveyResponse.objects.filter(survey=survey, respondent=respondent).first()
    earlier = {}
    if response is None:
        if invitation is None and block:
            count = limits.fail(
                _new_responses_key(block), seconds=settings.SURVEY_NEW_RESPONSES_WINDOW
            )
            if count > settings.SURVEY_NEW_RESPONSES:
                raise SurveyRefused(new_responses_refused_message(), status=429)
        try:
            with transaction.atomic():
                response = SurveyResponse.objects.create(
                    survey=survey, respondent=respondent, invitation=invitation, group=group
                )
        except IntegrityError:  # the same link answered in parallel: one response still
            raise SurveyRefused(_("This link has already been answered.")) from None
    else:
        response.group = group
        response.save(update_fields=["group", "updated_at"])
        earlier = {
            score_id: (pk, level)
            for score_id, pk, level in response.answers.values_list("score_id", "pk", "level")
        }
    _answers_replace(response, answers, earlier)
    return response


def _answers_replace(response: SurveyResponse, answers: list[AnswerInput], earlier: dict) -> None:
    """The response's answers become `answers`. `earlier` is score id -> (row id, level) of
    the answers so far: their rows stay and the changed levels are one statement, new processes
    are inserted and left-out ones deleted; the criteria are written anew."""
    through = SurveyAnswer.criteria.through
    if earlier:
        through.objects.filter(surveyanswer__response=response).delete()
    given = {answer.score_id for answer in answers}
    if gone := [pk for score_id, (pk, _level) in earlier.items() if score_id not in given]:
        SurveyAnswer.objects.filter(pk__in=gone).delete()
    changed = [
        SurveyAnswer(pk=earlier[answer.score_id][0], level=answer.level)
        for answer in answers
        if answer.score_id in earlier and earlier[answer.score_id][1] != answer.level
    ]
    if changed:
        SurveyAnswer.objects.bulk_update(changed, ["level"])
    created = SurveyAnswer.objects.bulk_create(
        SurveyAnswer(response=response, score_id=answer.score_id, level=answer.level)
        for answer in answers
        if answer.score_id not in earlier
    )
    row_of = {score_id: pk for score_id, (pk, _level) in earlier.items()}
    row_of |= {row.score_id: row.pk for row in created}
    through.objects.bulk_create(
        through(surveyanswer_id=row_of[answer.score_id], criterion_id=criterion)
        for answer in answers
        for criterion in answer.criteria
    )
