import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse

from surveys.models import Survey, SurveyAnswer, SurveyResponse, hash_token
from surveys.services import survey_open


@pytest.fixture
def survey(baseline, alice):
    """An open survey of `baseline` with the groups management and staff."""
    return survey_open(
        assessment=baseline, groups=["management", "staff"], min_group=3, open_link=True, by=alice
    )


def groups_of(survey) -> dict[str, int]:
    return dict(survey.groups.values_list("name", "pk"))


def answer(survey, levels: dict, *, group: str = "", client=None, criteria=None):
    """Answer through the open link from a browser of its own (`client`, else a new one):
    `levels` score pk -> level."""
    client = client or Client()
    data = {f"level_{pk}": level for pk, level in levels.items()}
    if group:
        data["group"] = groups_of(survey)[group]
    for pk, ids in (criteria or {}).items():
        data[f"criteria_{pk}"] = ids
    return client.post(reverse("surveys:respond", args=[survey.token]), data)


def make_responses(survey, count: int, levels_of, *, group=None):
    """`count` responses straight into the database; `levels_of(i)` -> {score pk: level}."""
    start = SurveyResponse.objects.filter(survey=survey).count()
    responses = SurveyResponse.objects.bulk_create(
        SurveyResponse(survey=survey, respondent=hash_token(f"r{start + i}"), group=group)
        for i in range(count)
    )
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(response=response, score_id=pk, level=level)
        for i, response in enumerate(responses)
        for pk, level in levels_of(i).items()
    )
    Survey.objects.filter(pk=survey.pk).update(revision=F("revision") + 1)  # as answering does
    return responses
