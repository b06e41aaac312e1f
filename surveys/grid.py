"""The survey's figures in the assessment's grid (assessments.extensions): per row the
median, spread, n, confidence and perception gap, and how contested the process is.

The assessment arrives with its latest survey's id and revision (`ANNOTATIONS`, part of the
query that loads it): no query at all without a survey, none while the figures kept for the
survey's revision (bumped by every answer and by closing) are current, else three (the
survey, its groups, the answers counted per process, group and level). The rows' figures are
kept rendered, per language."""

from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils import translation

from assessments.extensions import GridFigures

from .models import Survey
from .selectors import answer_counts, group_pairs, latest_survey_field, process_figures

TIMEOUT = 3600


ANNOTATIONS = {
    "survey_id": lambda: latest_survey_field("pk"),
    "survey_revision": lambda: latest_survey_field("revision"),
}


def _load(survey_id: int) -> dict:
    """The survey, its rows' figures rendered and how contested each process is."""
    survey = Survey.objects.get(pk=survey_id)
    figures = process_figures(answer_counts(survey), group_pairs(survey), survey.min_group)
    return {
        "survey": survey,
        "rows": {
            score_id: render_to_string("surveys/_grid_figures.html", {"f": item, "survey": survey})
            for score_id, item in figures.items()
        },
        "disagreement": {score_id: item.disagreement for score_id, item in figures.items()},
    }


def survey_grid_figures(assessment) -> GridFigures | None:
    context = {"assessment": assessment, "is_consultant": assessment.my_role == "consultant"}
    survey_id = getattr(assessment, "survey_id", None)
    if survey_id is None:
        if not context["is_consultant"] or assessment.is_final:
            return None
        return GridFigures(header=render_to_string("surveys/_grid_header.html", context))
    stamp = assessment.created_at.timestamp()
    key = (
        f"survey-grid:{assessment.pk}:{stamp}:{survey_id}:{assessment.survey_revision}:"
        f"{translation.get_language()}"
    )
    kept = caches["local"].get_or_set(key, lambda: _load(survey_id), TIMEOUT)
    context.update(survey=kept["survey"], answered=bool(kept["rows"]))
    return GridFigures(
        header=render_to_string("surveys/_grid_header.html", context),
        rows=kept["rows"],
        disagreement=kept["disagreement"],
    )
