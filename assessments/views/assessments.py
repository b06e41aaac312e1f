from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dvo_portal.responses import form_status

from .. import services
from ..access import get_assessment_for, get_organisation_for
from ..forms import AssessmentStartForm, aspect_forms
from ..models import Assessment
from ..selectors import aspect_conflicts


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
        request,
        "assessments/assessment_start.html",
        {"form": form, "organisation": organisation},
        status=form_status(request, form),
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
@require_POST
def assessment_share(request, pk: int):
    """Show a draft to the organisation's managers on their start page, or stop showing it
    (`shared` is "1" or "0"). A final assessment is shown to them anyway."""
    assessment = get_assessment_for(request.user, pk, write=True)
    shared = request.POST.get("shared") == "1"
    if assessment.is_final:
        messages.info(request, _("A final assessment is shown to the managers already."))
    else:
        Assessment.objects.filter(pk=assessment.pk, status=Assessment.Status.DRAFT).update(
            shared_with_managers=shared
        )
        messages.success(
            request,
            _("The managers now see this draft on their start page, marked as not final.")
            if shared
            else _("The managers no longer see this draft."),
        )
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
    """The five DVO aspects. Two consultants saving at once: what each changed is kept; only
    the same field changed by both is shown side by side, the input kept in the form."""
    assessment = get_assessment_for(request.user, pk, write=True)
    rows = aspect_forms(assessment, request.POST if request.method == "POST" else None)
    conflicts, status = {}, 200
    if request.method == "POST" and all(form.is_valid() for _aspect, form in rows):
        values = {aspect.value: form.values() for aspect, form in rows}
        keep = {aspect.value for aspect, form in rows if form.cleaned_data["keep_mine"]}
        try:
            services.aspects_save(
                assessment=assessment, values=values, by=request.user, keep_mine=keep
            )
        except services.FinalAssessmentError:
            messages.error(request, _("This assessment is final and read-only; nothing was saved."))
            return redirect("assessments:grid", pk=assessment.pk)
        except services.AspectsConflict as conflict:
            conflicts, status = aspect_conflicts(conflict), 409
        else:
            messages.success(request, _("The DVO aspects were saved."))
            return redirect("assessments:grid", pk=assessment.pk)
    elif request.method == "POST":
        status = 422
    return render(
        request,
        "assessments/aspects_form.html",
        {
            "assessment": assessment,
            "rows": [(aspect, form, conflicts.get(aspect.value)) for aspect, form in rows],
            "conflicts": conflicts,
        },
        status=status,
    )
