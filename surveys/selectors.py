"""Reads of surveys: their figures in a fixed number of queries whatever the number of
respondents (the answers are counted per process, group and level in the database)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Subquery

from assessments.models import Assessment, Level, ProcessScore
from assessments.selectors import catalogue_for

from . import stats
from .models import Survey, SurveyAnswer, SurveyGroup, SurveyResponse


def latest_survey(assessment: Assessment) -> Survey | None:
    return Survey.objects.filter(assessment=assessment).first()


def latest_survey_field(field: str) -> Subquery:
    """`field` of an assessment's latest survey, as an annotation of assessments."""
    return Subquery(
        Survey.objects.filter(assessment=OuterRef("pk"))
        .order_by("-created_at", "-id")
        .values(field)[:1]
    )


def answer_counts(survey: Survey) -> dict[int, dict[int | None, dict[int, int]]]:
    """score pk -> group pk (None: no group) -> level -> answers. One query."""
    counts: dict = defaultdict(lambda: defaultdict(dict))
    rows = (
        SurveyAnswer.objects.filter(response__survey=survey)
        .values_list("score_id", "response__group_id", "level")
        .annotate(n=Count("id"))
        .order_by()
    )
    for score_id, group_id, level, n in rows:
        counts[score_id][group_id][level] = n
    return counts


@dataclass(frozen=True)
class ProcessFigures:
    score_id: int
    overall: stats.Figures
    groups: list[tuple[str, stats.Figures]]
    gap: stats.Gap | None
    disagreement: float


def process_figures(
    counts: dict, groups: list[tuple[int, str]], minimum: int
) -> dict[int, ProcessFigures]:
    """From `answer_counts` and the survey's groups (pk, name) in their order: the figures of
    every process answered. Plain data in, plain data out."""
    result = {}
    for score_id, by_group in counts.items():
        overall: dict[int, int] = defaultdict(int)
        for dist in by_group.values():
            for level, n in dist.items():
                overall[level] += n
        figures = stats.figures(overall, minimum)
        per_group = [(name, stats.figures(by_group.get(pk, {}), minimum)) for pk, name in groups]
        gap = stats.perception_gap(dict(per_group))
        result[score_id] = ProcessFigures(
            score_id=score_id,
            overall=figures,
            groups=per_group,
            gap=gap,
            disagreement=stats.disagreement(figures, gap),
        )
    return result


def group_pairs(survey: Survey) -> list[tuple[int, str]]:
    return list(SurveyGroup.objects.filter(survey=survey).values_list("pk", "name"))


@dataclass
class SurveyResults:
    survey: Survey
    respondents: int
    levels: list[Level]
    groups: list[tuple[int, str]]
    # (score, figures or None when nobody answered it), in the grid's order
    processes: list[tuple[ProcessScore, ProcessFigures | None]] = field(default_factory=list)


def survey_results(survey: Survey) -> SurveyResults:
    """Everything the results page and the report show: five queries."""
    assessment = survey.assessment
    groups = group_pairs(survey)
    figures = process_figures(answer_counts(survey), groups, survey.min_group)
    scores = list(
        ProcessScore.objects.filter(assessment=assessment)
        .select_related("process")
        .order_by("order", "id")
    )
    return SurveyResults(
        survey=survey,
        respondents=SurveyResponse.objects.filter(survey=survey).count(),
        levels=list(Level.objects.filter(version=assessment.version_id).order_by("number")),
        groups=groups,
        processes=[(score, figures.get(score.pk)) for score in scores],
    )


@dataclass(frozen=True)
class CriterionSeen:
    criterion: object  # a Criterion of the catalogue
    level: int
    n: int
    share: float  # of the respondents who answered the process


def criteria_seen(survey: Survey, results: SurveyResults) -> dict[int, list[CriterionSeen]]:
    """Score pk -> the criteria respondents saw met, most often first, with their share; only
    for a process answered by at least the survey's group minimum (so no tick can be traced
    to a person). One query, whatever the number of respondents."""
    shown = {
        score.pk: figures.overall.n
        for score, figures in results.processes
        if figures is not None and figures.overall.shown
    }
    if not shown:
        return {}
    through = SurveyAnswer.criteria.through
    rows = (
        through.objects.filter(surveyanswer__response__survey=survey)
        .values_list("surveyanswer__score_id", "criterion_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    catalogue = catalogue_for(survey.assessment.version)
    criteria = {c.pk: c for c in catalogue.criteria}
    numbers = {level.pk: level.number for level in catalogue.levels}
    seen: dict[int, list[CriterionSeen]] = defaultdict(list)
    for score_id, criterion_id, n in rows:
        if score_id in shown and criterion_id in criteria:
            criterion = criteria[criterion_id]
            share = n / shown[score_id]
            seen[score_id].append(CriterionSeen(criterion, numbers[criterion.level_id], n, share))
    for items in seen.values():
        items.sort(key=lambda item: (-item.n, item.criterion.pk))
    return dict(seen)


def scope_of(survey: Survey):
    """The processes a respondent answers: the assessment's scores, with their process."""
    return (
        ProcessScore.objects.filter(assessment_id=survey.assessment_id)
        .select_related("process")
        .order_by("order", "id")
    )
