from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from assessments.access import get_organisation_for
from assessments.models import Assessment
from dvo_portal.responses import form_status

from . import selectors, services
from .access import restricted_unit_id
from .forms import RoundForm, UnitAssessmentForm, UnitForm


@login_required
@require_GET
def unit_list(request, pk):
    organisation = get_organisation_for(request.user, pk)
    limited = restricted_unit_id(request.user, organisation)
    context = {"organisation": organisation, "units": selectors.units_for(organisation, limited)}
    return render(request, "units/unit_list.html", context)


@login_required
def unit_create(request, pk):
    organisation = get_organisation_for(request.user, pk, write=True)
    form = UnitForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        services.unit_create(organisation=organisation, **form.cleaned_data)
        return redirect("units:unit_list", pk=organisation.pk)
    context = {"organisation": organisation, "form": form}
    return render(request, "units/unit_create.html", context, status=form_status(request, form))


@login_required
def unit_assessment_start(request, pk):
    organisation = get_organisation_for(request.user, pk, write=True)
    form = UnitAssessmentForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.unit_assessment_start(
                unit=form.cleaned_data["unit"],
                version=form.cleaned_data["version"],
                by=request.user,
                process_keys=form.cleaned_data["processes"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("assessments:grid", pk=assessment.pk)
    context = {"organisation": organisation, "form": form}
    return render(
        request, "units/unit_assessment_start.html", context, status=form_status(request, form)
    )


@login_required
@require_GET
def rollup(request, pk):
    organisation = get_organisation_for(request.user, pk)
    form = RoundForm(request.GET or None, organisation=organisation)
    kind, unit = Assessment.Kind.BASELINE, None
    if form.is_valid():
        kind = form.cleaned_data["kind"] or kind
        unit = form.cleaned_data["unit"]
    limited = restricted_unit_id(request.user, organisation)
    unit_id = limited or (unit.pk if unit else None)
    data = selectors.rollup(organisation, kind, unit_id)
    context = {"organisation": organisation, "form": form, "kind": kind, **data}
    return render(request, "units/rollup.html", context)
