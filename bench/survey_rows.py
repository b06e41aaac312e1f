"""Bench rows of the pre-workshop survey (bench/server_bench.py): a survey of 2,000
respondents on the latest assessment of "Bench org 254", its results page, the grid with its
figures, and a respondent's answer sent from an open link (a browser without an account)."""

RESPONDENTS = 2000


def prepare(user) -> dict:
    from django.db import transaction
    from django.db.models import F

    from assessments.models import Assessment
    from surveys.models import Survey, SurveyAnswer, SurveyResponse, hash_token
    from surveys.services import survey_open

    assessment = (
        Assessment.objects.filter(organisation__name="Bench org 254")
        .order_by("-assessed_on", "-id")
        .first()
    )
    scores = list(assessment.scores.order_by("order").values_list("pk", flat=True))
    survey = Survey.objects.filter(assessment=assessment).first()
    if survey is None:
        with transaction.atomic():
            survey = survey_open(
                assessment=assessment,
                groups=["management", "staff"],
                min_group=3,
                open_link=True,
                by=user,
            )
            groups = list(survey.groups.order_by("pk"))
            responses = SurveyResponse.objects.bulk_create(
                SurveyResponse(
                    survey=survey, respondent=hash_token(f"bench-{i}"), group=groups[i % 2]
                )
                for i in range(RESPONDENTS)
            )
            SurveyAnswer.objects.bulk_create(
                (
                    SurveyAnswer(response=response, score_id=pk, level=1 + (i + n) % 5)
                    for i, response in enumerate(responses)
                    for n, pk in enumerate(scores)
                ),
                batch_size=5000,
            )
            Survey.objects.filter(pk=survey.pk).update(revision=F("revision") + 1)
    groups = list(survey.groups.order_by("pk").values_list("pk", flat=True))

    def answer(run):
        return {
            "group": groups[run % 2],
            **{f"level_{pk}": 1 + (run + n) % 5 for n, pk in enumerate(scores)},
        }

    return {
        "survey results (2,000)": ("GET", f"/surveys/{survey.pk}/", None, False),
        "grid with survey (2,000)": ("GET", f"/assessments/{assessment.pk}/", None, False),
        # As a respondent's phone sends it: no account, the survey's open link, through htmx
        # (the form's hx-post; the answer is the status line, the form stays as it is).
        "survey answer sent": ("POST", f"/s/{survey.token}/", answer, True, {"HX-Request": "true"}),
    }
