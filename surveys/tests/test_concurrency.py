"""An answer and the survey's close at the same moment, over two real connections: the answer's
first statement holds the survey's row, so the close waits for the answer to be kept, and an
answer after the close is refused. Nothing a respondent sent is lost without a word."""

import threading

import pytest
from django.db import connection, transaction

from surveys.models import Survey, SurveyResponse, hash_token
from surveys.services import AnswerInput, SurveyRefused, survey_answer, survey_close

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs row locks between two connections: runs on PostgreSQL in CI",
    ),
]


def test_a_close_waits_for_the_answer_in_flight_and_refuses_the_next(survey, baseline):
    score = baseline.scores.order_by("order", "id").first()
    answered, release = threading.Event(), threading.Event()

    def respondent():
        try:
            with transaction.atomic():
                survey_answer(
                    survey=survey,
                    respondent=hash_token("in flight"),
                    group=None,
                    answers=[AnswerInput(score_id=score.pk, level=3, criteria=[])],
                )
                answered.set()
                release.wait(timeout=10)  # the answer's transaction still open
        finally:
            connection.close()

    def consultant():
        try:
            survey_close(survey=Survey.objects.get(pk=survey.pk))
        finally:
            connection.close()

    answering = threading.Thread(target=respondent)
    answering.start()
    assert answered.wait(timeout=10)
    closing = threading.Thread(target=consultant)
    closing.start()
    closing.join(timeout=1)
    assert closing.is_alive()  # the close waits for the answer
    release.set()
    answering.join(timeout=10)
    closing.join(timeout=10)
    assert not closing.is_alive()
    survey.refresh_from_db()
    assert not survey.is_open
    assert SurveyResponse.objects.get(survey=survey).answers.get().level == 3  # kept
    with pytest.raises(SurveyRefused):
        survey_answer(
            survey=survey,
            respondent=hash_token("too late"),
            group=None,
            answers=[AnswerInput(score_id=score.pk, level=2, criteria=[])],
        )
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
