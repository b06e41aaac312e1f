"""A survey's answers as an Excel workbook, anonymous: no keys, no times; a respondent is a
number in an order that says nothing (their key's hash), and the group shows only for
groups that reach the survey's minimum size."""

from collections import Counter, defaultdict

from django.utils.translation import gettext as _

from assessments.models import Criterion
from assessments.spreadsheets import xlsx_bytes

from .models import SurveyAnswer, SurveyResponse
from .selectors import survey_results


def survey_xlsx(survey) -> bytes:
    results = survey_results(survey)
    names = {score.pk: score.display_name for score, _figures in results.processes}
    responses = list(
        SurveyResponse.objects.filter(survey=survey)
        .order_by("respondent")
        .values_list("pk", "group__name")
    )
    sizes = Counter(group for _pk, group in responses if group)
    number = {pk: index for index, (pk, _group) in enumerate(responses, start=1)}
    group_of = {
        pk: group if group and sizes[group] >= survey.min_group else "" for pk, group in responses
    }
    through = SurveyAnswer.criteria.through
    seen = defaultdict(list)
    keys = dict(
        Criterion.objects.filter(version=survey.assessment.version_id).values_list("pk", "key")
    )
    for answer_id, criterion_id in through.objects.filter(
        surveyanswer__response__survey=survey
    ).values_list("surveyanswer_id", "criterion_id"):
        seen[answer_id].append(keys.get(criterion_id, ""))
    answers = (
        SurveyAnswer.objects.filter(response__survey=survey)
        .order_by("response__respondent", "score__order", "score_id")
        .values_list("pk", "response_id", "score_id", "level")
    )
    rows = [
        [
            number[response_id],
            group_of[response_id],
            names.get(score_id, ""),
            level,
            ", ".join(sorted(seen.get(pk, []))),
        ]
        for pk, response_id, score_id, level in answers
    ]
    header = [
        _("Respondent"),
        _("Group"),
        _("Business process"),
        _("Level"),
        _("Criteria seen met"),
    ]
    figures_header = [
        _("Business process"),
        _("Respondents"),
        _("Median"),
        _("Spread"),
        _("Confidence"),
        _("Perception gap"),
    ]
    figures_rows = []
    for score, figures in results.processes:
        overall = figures.overall if figures else None
        shown = overall is not None and overall.shown
        figures_rows.append(
            [
                score.display_name,
                overall.n if overall else 0,
                overall.median if shown else None,
                overall.spread if shown else None,
                confidence_label(overall.confidence) if shown else "",
                figures.gap.size if figures and figures.gap else None,
            ]
        )
    return xlsx_bytes([(_("Answers"), header, rows), (_("Figures"), figures_header, figures_rows)])


def confidence_label(value: str) -> str:
    return {"high": _("high"), "medium": _("medium"), "low": _("low")}.get(value, value)
