"""The benchmark page of an assessment (members read) and an organisation's participation
(its sector, size class and consent; consultants change it)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from assessments.access import get_assessment_for, get_organisation_for
from assessments.models import Membership
from dvo_portal.responses import form_status

from . import services
from .forms import ParticipationForm
from .models import Consent
from .selectors import (
    PAGE_TIMEOUT,
    benchmark_page_data,
    benchmark_page_key,
    min_peers,
    profile_of,
)


@login_required
@require_GET
def benchmark_page(request, pk: int):
    """The figures are rendered once per revision of everything they show
    (`benchmark_page_key`) and kept in this app process's cache: one query for them on every
    later view."""
    assessment = get_assessment_for(request.user, pk)
    wanted = request.GET.get("group", "all")
    key, stamp = benchmark_page_key(assessment, wanted)
    is_consultant = assessment.my_role == Membership.Role.CONSULTANT
    key = f"{key}:{is_consultant}"
    body = caches["local"].get(key)
    if body is None:
        context = {
            "assessment": assessment,
            "organisation": assessment.organisation,
            **benchmark_page_data(assessment, wanted, stamp),
            "minimum": min_peers(),
            "is_consultant": is_consultant,
        }
        body = render_to_string("benchmark/_page_body.html", context)
        caches["local"].set(key, body, PAGE_TIMEOUT)
    return render(
        request,
        "benchmark/benchmark_page.html",
        {
            "assessment": assessment,
            "organisation": assessment.organisation,
            "body": body,
            "is_consultant": is_consultant,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def participation(request, pk: int):
    organisation = get_organisation_for(request.user, pk, write=True)
    profile = profile_of(organisation)
    history = Consent.objects.filter(organisation=organisation).select_related(
        "given_by", "withdrawn_by"
    )
    in_force = any(consent.in_force for consent in history)
    data = request.POST if request.method == "POST" else None
    form = ParticipationForm(data, instance=profile, initial={"takes_part": in_force})
    if request.method == "POST" and form.is_valid():
        services.participation_save(
            organisation=organisation,
            sector=form.cleaned_data["sector"],
            size_class=form.cleaned_data["size_class"],
            takes_part=form.cleaned_data["takes_part"],
            by=request.user,
        )
        messages.success(request, _("Peer benchmark settings saved."))
        return redirect("benchmark:participation", pk=organisation.pk)
    return render(
        request,
        "benchmark/participation_form.html",
        {"organisation": organisation, "form": form, "history": history, "in_force": in_force},
        status=form_status(request, form),
    )
