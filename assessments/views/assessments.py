from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from .. import services
from ..access import get_assessment_for, get_organisation_for
from ..charts import heatmap_data, radar_data, radar_figure
from ..forms import AspectsForm, AssessmentStartForm, ProcessScoreForm
from ..models import Membership, ProcessScore
from ..selectors import assessment_results, catalogue_for


@login_required
def assessment_start(request, pk: int):
    organisation = get_organisation_for(request.user, pk, write=True)
    form = AssessmentStartForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_start(
                organisation=organisation,
                version=form.cleaned_data["version"],
                by=request.user,
                assessed_on=form.cleaned_data["assessed_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("assessments:grid", pk=assessment.pk)
    return render(
        request, "assessments/assessment_start.html", {"form": form, "organisation": organisation}
    )


def previous_results(assessment) -> dict:
    """A re-assessment's previous results by process key (empty for a baseline)."""
    if assessment.previous_id is None:
        return {}
    _catalogue, results = assessment_results(assessment.previous)
    return {item.score.process.key: item for item in results}


def grid_rows(catalogue, results, previous=None):
    """Per process: its result and its criteria by level, then by dimension."""
    previous = previous or {}
    rows = []
    for item in results:
        applicable = catalogue.applicable_to(item.score.process_id)
        levels = []
        for level in catalogue.levels:
            groups = []
            for dimension in catalogue.dimensions:
                criteria = [
                    (criterion, criterion.pk in item.met_ids)
                    for criterion in applicable
                    if criterion.level_id == level.pk and criterion.dimension_id == dimension.pk
                ]
                if criteria:
                    groups.append((dimension, criteria))
            levels.append({"level": level, "groups": groups})
        rows.append(
            {"item": item, "levels": levels, "previous": previous.get(item.score.process.key)}
        )
    return rows


def _chart_context(assessment, catalogue, results):
    scored = sum(1 for item in results if item.score.is_scored)
    return {
        "radar": radar_figure(radar_data(assessment, catalogue, results)),
        "heatmap": heatmap_data(catalogue, results),
        "scored": scored,
        "total": len(results),
    }


@login_required
@require_GET
def assessment_grid(request, pk: int):
    assessment = get_assessment_for(request.user, pk)
    catalogue, results = assessment_results(assessment)
    editable = assessment.my_role == Membership.Role.CONSULTANT and not assessment.is_final
    return render(
        request,
        "assessments/assessment_grid.html",
        {
            "assessment": assessment,
            "catalogue": catalogue,
            "rows": grid_rows(catalogue, results, previous_results(assessment)),
            "editable": editable,
            "is_consultant": assessment.my_role == Membership.Role.CONSULTANT,
            "confidence_choices": ProcessScore.Confidence.choices,
            **_chart_context(assessment, catalogue, results),
        },
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
    stored = set(current.criteria_met.values_list("pk", flat=True))
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
    assessment = get_assessment_for(request.user, pk, write=True)
    score = get_object_or_404(assessment.scores.select_related("process"), pk=score_pk)
    catalogue = catalogue_for(assessment.version)
    applicable = catalogue.applicable_to(score.process_id)
    data = request.POST.copy()
    if data.get("overwrite_revision"):
        data["revision"] = data["overwrite_revision"]
    form = ProcessScoreForm(data, criteria=applicable, levels=catalogue.levels)
    context = {"assessment": assessment, "score": score}
    if assessment.is_final:
        context["error"] = _("This assessment is final and read-only; nothing was saved.")
        return render(request, "assessments/_score_message.html", context, status=409)
    if not form.is_valid():
        context["errors"] = [error for errors in form.errors.values() for error in errors]
        return render(request, "assessments/_score_message.html", context, status=422)
    try:
        services.score_save(
            score=score,
            revision=form.cleaned_data["revision"],
            values=form.cleaned_data,
            criteria_ids=form.cleaned_data["criteria"],
            by=request.user,
        )
    except services.StaleScoreError as stale:
        context["current"] = stale.current
        context["changes"] = _field_changes(form, stale.current, {c.pk: c for c in applicable})
        return render(request, "assessments/_score_conflict.html", context, status=409)
    except services.FinalAssessmentError:
        context["error"] = _("This assessment is final and read-only; nothing was saved.")
        return render(request, "assessments/_score_message.html", context, status=409)
    if not request.htmx:
        return redirect(reverse("assessments:grid", args=[assessment.pk]) + f"#score-{score.pk}")
    catalogue, results = assessment_results(assessment, catalogue)
    item = next(item for item in results if item.score.pk == score.pk)
    previous = previous_results(assessment).get(item.score.process.key)
    return render(
        request,
        "assessments/_score_saved.html",
        {
            **context,
            "item": item,
            "previous": previous,
            "catalogue": catalogue,
            **_chart_context(assessment, catalogue, results),
        },
    )


@login_required
@require_POST
def assessment_finalise(request, pk: int):
    assessment = get_assessment_for(request.user, pk, write=True)
    try:
        services.assessment_finalise(assessment=assessment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The assessment is final; it can no longer be changed."))
    return redirect("assessments:grid", pk=assessment.pk)


@login_required
def assessment_delete(request, pk: int):
    assessment = get_assessment_for(request.user, pk, write=True)
    if request.method == "POST":
        try:
            services.assessment_delete(assessment=assessment)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("assessments:grid", pk=assessment.pk)
        messages.success(request, _("The draft assessment was deleted."))
        return redirect("assessments:organisation", pk=assessment.organisation_id)
    return render(request, "assessments/assessment_confirm_delete.html", {"assessment": assessment})


@login_required
def aspects_edit(request, pk: int):
    assessment = get_assessment_for(request.user, pk, write=True)
    current = {check.aspect: check for check in assessment.aspects.all()}
    form = AspectsForm(request.POST if request.method == "POST" else None, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.aspects_save(assessment=assessment, values=form.values(), by=request.user)
        except services.FinalAssessmentError:
            messages.error(request, _("This assessment is final and read-only; nothing was saved."))
        else:
            messages.success(request, _("The DVO aspects were saved."))
        return redirect("assessments:grid", pk=assessment.pk)
    return render(
        request, "assessments/aspects_form.html", {"assessment": assessment, "form": form}
    )
