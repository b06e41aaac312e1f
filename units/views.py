from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessments.access import MAX_ID, get_organisation_for
from assessments.charts import radar_figure
from assessments.models import Assessment, Membership
from dvo_portal.responses import form_status

from . import report, selectors, services
from .access import restricted_unit_id
from .forms import RestrictionForm, RoundForm, UnitAssessmentForm, UnitForm
from .models import Unit


def _list_page(request, organisation, *, restriction_form=None, status=200):
    limited = restricted_unit_id(request.user, organisation)
    is_consultant = organisation.my_role == Membership.Role.CONSULTANT
    context = {
        "organisation": organisation,
        "units": selectors.unit_overview(organisation, limited),
        "is_consultant": is_consultant,
    }
    if is_consultant:
        context["restrictions"] = selectors.restrictions_of(organisation)
        context["restriction_form"] = restriction_form or RestrictionForm(organisation=organisation)
    return render(request, "units/unit_list.html", context, status=status)


@login_required
@require_GET
def unit_list(request, pk):
    return _list_page(request, get_organisation_for(request.user, pk))


@login_required
def unit_create(request, pk):
    organisation = get_organisation_for(request.user, pk, write=True)
    form = UnitForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        services.unit_create(organisation=organisation, **form.cleaned_data)
        return redirect("units:unit_list", pk=organisation.pk)
    context = {"organisation": organisation, "form": form}
    return render(request, "units/unit_create.html", context, status=form_status(request, form))


def _unit_of(request, pk, unit_pk):
    organisation = get_organisation_for(request.user, pk, write=True)
    if not 0 < unit_pk <= MAX_ID:
        raise Http404
    return organisation, get_object_or_404(Unit, pk=unit_pk, organisation=organisation)


@login_required
def unit_edit(request, pk, unit_pk):
    organisation, unit = _unit_of(request, pk, unit_pk)
    form = UnitForm(request.POST or None, instance=unit, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        services.unit_update(unit=unit, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("units:unit_list", pk=organisation.pk)
    context = {"organisation": organisation, "form": form, "unit": unit}
    return render(request, "units/unit_create.html", context, status=form_status(request, form))


@login_required
def unit_delete(request, pk, unit_pk):
    organisation, unit = _unit_of(request, pk, unit_pk)
    if request.method == "POST":
        try:
            services.unit_delete(unit=unit)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(unit)s was deleted.") % {"unit": unit.name})
        return redirect("units:unit_list", pk=organisation.pk)
    context = {"organisation": organisation, "unit": unit}
    return render(request, "units/unit_confirm_delete.html", context)


@login_required
@require_POST
def restriction_set(request, pk):
    organisation = get_organisation_for(request.user, pk, write=True)
    form = RestrictionForm(request.POST, organisation=organisation)
    if form.is_valid():
        try:
            services.restriction_set(**form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("units:unit_list", pk=organisation.pk)
    return _list_page(request, organisation, restriction_form=form, status=422)


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
                assessed_on=form.cleaned_data["assessed_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("assessments:grid", pk=assessment.pk)
    context = {"organisation": organisation, "form": form}
    return render(
        request, "units/unit_assessment_start.html", context, status=form_status(request, form)
    )


def _rollup(request, pk):
    """The organisation, the round form and the roll-up it asks for (a manager limited to a
    unit: that unit only, whatever the form says)."""
    organisation = get_organisation_for(request.user, pk)
    form = RoundForm(request.GET or None, organisation=organisation)
    kind, unit = Assessment.Kind.BASELINE, None
    if form.is_valid():
        kind = form.cleaned_data["kind"] or kind
        unit = form.cleaned_data["unit"]
    limited = restricted_unit_id(request.user, organisation)
    unit_id = limited or (unit.pk if unit else None)
    data = selectors.rollup(organisation, kind, unit_id)
    return {
        "organisation": organisation,
        "form": form,
        "kind": kind,
        "kind_label": Assessment.Kind(kind).label,
        "unit_id": unit_id,
        **data,
    }


@login_required
@require_GET
def rollup(request, pk):
    context = _rollup(request, pk)
    context["radar"] = radar_figure(context["radar_data"]) if context["rows"] else None
    context["query"] = urlencode({"kind": context["kind"], "unit": context["unit_id"] or ""})
    return render(request, "units/rollup.html", context)


@login_required
@require_GET
def rollup_pdf(request, pk):
    """The roll-up report as PDF, in the reader's language: drawn once per state of the units'
    assessments (their revisions are in the key) and kept in the shared cache."""
    context = _rollup(request, pk)
    language = translation.get_language()
    pdf = report.cached_rollup_pdf(context, language)
    filename = report.filename(context, language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
