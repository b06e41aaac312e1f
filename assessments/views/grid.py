"""The workshop grid: every process as a row with its summary, the radar and the heatmap.

The page carries the rows' summaries only; a row's form (criteria, ambition, notes...) is
fetched when the row opens (`score_form`). A save answers with the row's summary, revision and
status and raises `scores-changed`, on which the page fetches the radar, heatmap and progress
anew (`grid_results`).
"""

from collections import OrderedDict

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import trigger_client_event

from .. import services
from ..access import get_assessment_for, get_score_for
from ..charts import figure_json, heatmap_data, radar_data, radar_figure
from ..forms import ProcessScoreForm
from ..models import Membership, ProcessScore
from ..selectors import (
    assessment_results,
    attach_process,
    catalogue_for,
    previous_result,
    scored_process,
)


def previous_results(assessment) -> dict:
    """A re-assessment's previous results by process key (empty for a baseline)."""
    if assessment.previous_id is None:
        return {}
    _catalogue, results = assessment_results(assessment.previous)
    return {item.score.process.key: item for item in results}


def score_levels(catalogue, score, met_ids):
    """A process's criteria by level, then by dimension, each with whether it is met."""
    applicable = catalogue.applicable_to(score.process_id)
    levels = []
    for level in catalogue.levels:
        groups = []
        for dimension in catalogue.dimensions:
            criteria = [
                (criterion, criterion.pk in met_ids)
                for criterion in applicable
                if criterion.level_id == level.pk and criterion.dimension_id == dimension.pk
            ]
            if criteria:
                groups.append((dimension, criteria))
        levels.append({"level": level, "groups": groups})
    return levels


def _results_context(assessment, catalogue, results):
    """The radar, the heatmap and the progress: what every change of a process redraws."""
    return {
        "radar": figure_json(radar_figure(radar_data(assessment, catalogue, results))),
        "heatmap": heatmap_data(catalogue, results),
        "scored": sum(1 for item in results if item.score.is_scored),
        "total": len(results),
    }


def _editable(assessment) -> bool:
    return assessment.my_role == Membership.Role.CONSULTANT and not assessment.is_final


# The rendered rows, heatmap and radar of a grid, kept by an exact description of what they
# show: the assessment (and the previous one of a re-assessment) with the number of its scores
# and the sum of their revisions, the language, and the model version (published, so
# immutable). Every write of a score bumps its revision by one (optimistic locking relies on
# that), so the sum moves on with every change and never returns to an earlier value: a hit is
# exactly what rendering would give now. A memo per process, bounded.
_RENDERED_GRIDS: OrderedDict[tuple, dict] = OrderedDict()
_RENDERED_GRIDS_MAX = 128


def forget_rendered_grids() -> None:
    """Drop the rendered grids this process keeps (tests roll the database back)."""
    _RENDERED_GRIDS.clear()


def rendered_grid(assessment) -> dict:
    """The rows, heatmap, radar and progress of the grid as HTML, plus the counts."""
    key = (
        assessment.pk,
        assessment.created_at,
        assessment.updated_at,
        assessment.kind,
        assessment.version_id,
        assessment.version.published_at,
        assessment.previous_id,
        get_language(),
        assessment.scores_stamp,  # read with the assessment (access.get_assessment_for)
        assessment.previous_scores_stamp,
    )
    parts = _RENDERED_GRIDS.get(key)
    if parts is None:
        catalogue, results = assessment_results(assessment)
        previous = previous_results(assessment)
        context = {
            "assessment": assessment,
            "rows": [(item, previous.get(item.score.process.key)) for item in results],
            **_results_context(assessment, catalogue, results),
        }
        parts = {
            "rows": render_to_string("assessments/_grid_rows.html", context),
            "progress": render_to_string("assessments/_grid_progress.html", context),
            "heatmap": render_to_string("assessments/_heatmap.html", context),
            "radar": context["radar"],
            "scored": context["scored"],
            "total": context["total"],
        }
        if assessment.version.is_published:
            _RENDERED_GRIDS[key] = parts
            while len(_RENDERED_GRIDS) > _RENDERED_GRIDS_MAX:
                _RENDERED_GRIDS.popitem(last=False)
    else:
        _RENDERED_GRIDS.move_to_end(key)
    return parts


@login_required
@require_GET
def assessment_grid(request, pk: int):
    assessment = get_assessment_for(request.user, pk)
    return render(
        request,
        "assessments/assessment_grid.html",
        {
            "assessment": assessment,
            "grid": rendered_grid(assessment),
            "editable": _editable(assessment),
            "is_consultant": assessment.my_role == Membership.Role.CONSULTANT,
        },
    )


@login_required
@require_GET
def score_form(request, pk: int, score_pk: int):
    """The form of one process of the grid, fetched when its row is opened."""
    score = get_score_for(request.user, pk, score_pk)
    assessment = score.assessment
    catalogue = catalogue_for(assessment.version)
    attach_process(score, catalogue)
    return render(
        request,
        "assessments/_score_form.html",
        {
            "assessment": assessment,
            "score": score,
            "levels": score_levels(catalogue, score, set(score.criteria_met_ids())),
            "level_choices": catalogue.levels,
            "confidence_choices": ProcessScore.Confidence.choices,
            "editable": _editable(assessment),
        },
    )


@login_required
@require_GET
def grid_results(request, pk: int):
    """The radar, heatmap and progress of the grid, fetched again after every saved change."""
    assessment = get_assessment_for(request.user, pk)
    catalogue, results = assessment_results(assessment)
    return render(
        request,
        "assessments/_grid_results.html",
        {"assessment": assessment, **_results_context(assessment, catalogue, results)},
    )


def _field_changes(form, current, criteria_by_id):
    """What the user sent beside what is stored now, for fields that differ."""
    changes = []
    for name in services.SCORE_FIELDS:
        mine, theirs = form.cleaned_data[name], getattr(current, name)
        if (mine or None) != (theirs or None):
            field = form.fields[name]
            display = dict(getattr(field, "choices", []))
            changes.append(
                {
                    "label": field.label,
                    "theirs": display.get(theirs, theirs) if theirs not in (None, "") else "—",
                    "mine": display.get(mine, mine) if mine not in (None, "") else "—",
                }
            )
    stored = set(current.criteria_met_ids())
    wanted = set(form.cleaned_data["criteria"])
    for pk in sorted(wanted ^ stored):
        criterion = criteria_by_id[pk]
        changes.append(
            {
                "label": _("Criterion met"),
                "criterion": criterion.statement,
                "theirs": _("yes") if pk in stored else _("no"),
                "mine": _("yes") if pk in wanted else _("no"),
            }
        )
    return changes


@login_required
@require_POST
def score_save(request, pk: int, score_pk: int):
    """Save one process. The answer is lean: the row's summary, revision and status; the
    `scores-changed` event it raises makes the page fetch the radar and heatmap anew.

    The score is read, checked for access and locked in one query, validated and saved in the
    same transaction; every answer is rendered after it ends."""
    refused = None  # (template, status) of an answer that saves nothing
    with transaction.atomic():
        score = get_score_for(request.user, pk, score_pk, write=True, lock=True)
        assessment = score.assessment
        catalogue = catalogue_for(assessment.version)
        attach_process(score, catalogue)
        applicable = catalogue.applicable_to(score.process_id)
        data = request.POST.copy()
        if data.get("overwrite_revision"):
            data["revision"] = data["overwrite_revision"]
        form = ProcessScoreForm(data, criteria=applicable, levels=catalogue.levels)
        context = {"assessment": assessment, "score": score}
        if assessment.is_final:
            context["error"] = _("This assessment is final and read-only; nothing was saved.")
            refused = ("assessments/_score_message.html", 409)
        elif not form.is_valid():
            context["errors"] = [error for errors in form.errors.values() for error in errors]
            refused = ("assessments/_score_message.html", 422)
        else:
            try:
                stored = services.score_save(
                    score=score,
                    revision=form.cleaned_data["revision"],
                    values=form.cleaned_data,
                    criteria_ids=form.cleaned_data["criteria"],
                    by=request.user,
                    locked=True,
                )
            except services.StaleScoreError as stale:
                context["current"] = stale.current
                context["changes"] = _field_changes(
                    form, stale.current, {c.pk: c for c in applicable}
                )
                refused = ("assessments/_score_conflict.html", 409)
    if refused is not None:
        template, status = refused
        return render(request, template, context, status=status)
    if not request.htmx:
        return redirect(reverse("assessments:grid", args=[assessment.pk]) + f"#score-{score.pk}")
    stored = attach_process(stored, catalogue)
    item = scored_process(stored, catalogue, form.cleaned_data["criteria"])
    response = render(
        request,
        "assessments/_score_saved.html",
        {
            **context,
            "item": item,
            "previous": previous_result(assessment, score.process.key),
        },
    )
    trigger_client_event(response, "scores-changed")
    return response
