"""Thermometer 2.0: re-assessments, comparison of two measurements, the trend over all."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from dvo_portal.responses import form_status

from .. import services
from ..access import Scope, assessments_for, get_organisation_for, scope_for
from ..charts import radar_figure
from ..comparison import compare, trend, trend_figure
from ..forms import ReassessmentStartForm


def latest_final(organisation, scope: Scope):
    return scope.narrow(organisation.assessments.final()).order_by("-assessed_on", "-id").first()


def _scope(request, organisation) -> Scope:
    """The scope asked for (`?scope=`: the whole organisation or a unit), else the default."""
    return scope_for(organisation, request.user, request.GET.get("scope"))


def _in_scope(request, organisation, scope: Scope):
    """The assessments of `organisation` in `scope` the user may see."""
    return scope.narrow(assessments_for(request.user).filter(organisation=organisation))


@login_required
def reassessment_start(request, pk: int):
    organisation = get_organisation_for(request.user, pk, write=True)
    scope = _scope(request, organisation)
    previous = latest_final(organisation, scope)
    if previous is None:
        messages.error(
            request, _("A re-assessment starts from a final assessment; there is none yet.")
        )
        return redirect("assessments:organisation", pk=organisation.pk)
    form = ReassessmentStartForm(
        request.POST if request.method == "POST" else None,
        versions=services.newer_versions(previous).select_related("model"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.reassessment_start(
                previous=previous,
                version=form.cleaned_data["version"],
                copy_answers=form.cleaned_data["copy_answers"],
                by=request.user,
                assessed_on=form.cleaned_data["assessed_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            for line in assessment.carried_over.get("unmatched", []):
                messages.warning(request, line)
            return redirect("assessments:grid", pk=assessment.pk)
    return render(
        request,
        "assessments/reassessment_start.html",
        {"organisation": organisation, "previous": previous, "form": form, "scope": scope},
        status=form_status(request, form),
    )


def _pick(assessments, value, default):
    if value in (None, ""):
        return default
    try:
        return next(a for a in assessments if a.pk == int(value))
    except (ValueError, StopIteration):
        raise Http404 from None


@login_required
@require_GET
def assessment_compare(request, pk: int):
    organisation = get_organisation_for(request.user, pk)
    scope = _scope(request, organisation)
    assessments = list(
        _in_scope(request, organisation, scope)
        .select_related("version__model", "organisation")
        .order_by("-assessed_on", "-id")
    )
    if len(assessments) < 2 and not scope.choices:
        messages.info(request, _("Comparing needs two assessments of this organisation."))
        return redirect("assessments:organisation", pk=organisation.pk)
    context = {"organisation": organisation, "assessments": assessments, "scope": scope}
    if len(assessments) >= 2:  # else: too few in this scope (a unit's), which the page says
        later = _pick(assessments, request.GET.get("later"), assessments[0])
        default_earlier = next((a for a in assessments if a.pk == later.previous_id), None) or next(
            (a for a in assessments if a.pk != later.pk), None
        )
        earlier = _pick(assessments, request.GET.get("earlier"), default_earlier)
        comparison = compare(earlier, later)
        context.update(comparison=comparison, radar=radar_figure(comparison["radar_data"]))
    return render(request, "assessments/assessment_compare.html", context)


@login_required
@require_GET
def assessment_trend(request, pk: int):
    organisation = get_organisation_for(request.user, pk)
    scope = _scope(request, organisation)
    data = trend(organisation, assessments=_in_scope(request, organisation, scope))
    return render(
        request,
        "assessments/assessment_trend.html",
        {
            "organisation": organisation,
            "trend": data,
            "figure": trend_figure(data, _("Average")),
            "scope": scope,
        },
    )
