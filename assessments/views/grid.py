"""The workshop grid: every process as a row with its summary, the radar and the heatmap.

The page carries the rows' summaries only; a row's form (levels, ambition, criteria, notes...)
is fetched when the row opens (`score_form`). A save answers with the row's summary, revision
and status and raises `scores-changed`, on which the page fetches the radar, heatmap and
progress anew (`grid_results`).
"""

import copy

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import trigger_client_event

from .. import services
from ..access import get_assessment_for, get_score_for
from ..extensions import grid_annotations, grid_figures
from ..forms import ProcessScoreForm
from ..models import Membership
from ..selectors import (
    attach_process,
    catalogue_for,
    criteria_of,
    previous_result,
    score_conflict,
    score_form_context,
    scored_process,
)
from .rendering import rendered_grid, results_after_save


def _editable(assessment) -> bool:
    return assessment.my_role == Membership.Role.CONSULTANT and not assessment.is_final


ORDERS = ("model", "disagreement")


def _grid_rows(grid: dict, extensions: list, order: str) -> list[tuple[str, list]]:
    """The kept rows with what the extensions show beside each, in the model's order or with
    the most contested processes first (as the extensions rate them; ties keep the order)."""
    rows = grid["row_list"]
    if order == "disagreement":
        rating = {pk: sum(ext.disagreement.get(pk, 0) for ext in extensions) for pk, _ in rows}
        rows = sorted(rows, key=lambda row: -rating[row[0]])
    return [(html, [ext.rows[pk] for ext in extensions if pk in ext.rows]) for pk, html in rows]


@login_required
@require_GET
def assessment_grid(request, pk: int):
    assessment = get_assessment_for(request.user, pk, annotations=grid_annotations())
    grid = rendered_grid(assessment)
    extensions = grid_figures(assessment)  # outside the kept rows: never stale
    order = request.GET.get("order", "")
    order = order if order in ORDERS else "model"
    return render(
        request,
        "assessments/assessment_grid.html",
        {
            "assessment": assessment,
            "grid": grid,
            "rows": _grid_rows(grid, extensions, order),
            "extensions": extensions,
            "can_order": any(ext.disagreement for ext in extensions),
            "order": order,
            "editable": _editable(assessment),
            "is_consultant": assessment.my_role == Membership.Role.CONSULTANT,
        },
    )


@login_required
@require_GET
def score_form(request, pk: int, score_pk: int):
    """The form of one process of the grid, fetched when its row is opened."""
    score = get_score_for(request.user, pk, score_pk)
    catalogue = catalogue_for(score.assessment.version)
    met, excluded = criteria_of([score.pk])
    item = scored_process(
        attach_process(score, catalogue), catalogue, met.get(score.pk, ()), excluded.get(score.pk)
    )
    return render(
        request,
        "assessments/_score_form.html",
        {
            **score_form_context(item, catalogue),
            "assessment": score.assessment,
            "editable": _editable(score.assessment),
        },
    )


@login_required
@require_GET
def grid_results(request, pk: int):
    """The radar, heatmap and progress of the grid, fetched again after every saved change."""
    assessment = get_assessment_for(request.user, pk)
    parts = rendered_grid(assessment, rows=False)
    return render(request, "assessments/_grid_results.html", {"grid": parts})


@login_required
@require_POST
def score_save(request, pk: int, score_pk: int):
    """Save one process: parse against the score as locked for the save, let the service merge
    and store it, answer with the row's summary and status."""
    with transaction.atomic():
        score = services.score_locked(assessment_id=pk, score_id=score_pk, by=request.user)
        catalogue = catalogue_for(score.assessment.version)
        form = ProcessScoreForm(
            request.POST,
            instance=copy.copy(attach_process(score, catalogue)),  # the form writes into it
            criteria=catalogue.applicable_to(score.process_id),
            levels=catalogue.levels,
        )
        if not form.is_valid():
            return _refused(request, score, form)
        seen, keep = form.cleaned_data["keep"]
        try:
            saved = services.score_save(
                locked=score,
                by=request.user,
                values=form.values(),
                base_revision=form.cleaned_data["revision"],
                keep_mine=keep,
                seen_revision=seen,
                scored=form.cleaned_data["level"] is not None,
            )
        except services.FinalAssessmentError:
            error = _("This assessment is final and read-only; nothing was saved.")
            return _refused(request, score, form, status=409, error=error)
        except services.ScoreConflict as conflict:
            context = {"score": score, "assessment": score.assessment}
            context["conflict"] = score_conflict(conflict, form, catalogue)
            return render(request, "assessments/_score_conflict.html", context, status=409)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
            return _refused(request, score, form)
    if not request.htmx:
        return redirect(reverse("assessments:grid", args=[pk]) + f"#score-{score.pk}")
    return _saved(request, saved, catalogue, score.assessment)


def _refused(request, score, form, *, status=422, error=""):
    """Nothing was saved: the message beside the field that caused it, the input kept."""
    context = {"score": score, "assessment": score.assessment, "form": form, "error": error}
    return render(request, "assessments/_score_message.html", context, status=status)


def _saved(request, saved, catalogue, assessment):
    """The row's summary and status, and what others changed meanwhile (out of band)."""
    state = saved.state
    assessment.revision = saved.score.assessment.revision  # as the save left it
    saved.score.assessment = assessment  # with its model version
    item = scored_process(
        attach_process(saved.score, catalogue),
        catalogue,
        state["criteria"],
        state["not_applicable"],
    )
    # The radar, heatmap and progress come along when the ones before the save are kept here
    # (one row replaced, no queries); else the page fetches them (`scores-changed`).
    grid = results_after_save(assessment, item, catalogue) if saved.changed else None
    context = {
        **score_form_context(item, catalogue),
        "assessment": assessment,
        "editable": True,
        "theirs": saved.theirs,
        "previous": previous_result(assessment, saved.score.process.key),
        "grid": grid,
    }
    response = render(request, "assessments/_score_saved.html", context)
    if saved.changed and grid is None:
        trigger_client_event(response, "scores-changed")
    return response


@login_required
@require_POST
def grid_focus(request, pk: int):
    """The consultant opened a row (or closed the last): the presenter screen follows."""
    assessment = get_assessment_for(request.user, pk, write=True)
    score_id = request.POST.get("score", "")
    score = None
    if score_id:
        if not score_id.isdigit():
            return HttpResponse(status=400)
        score = get_object_or_404(assessment.scores, pk=int(score_id))
    services.assessment_focus(assessment=assessment, score=score)
    return HttpResponse(status=204)
