from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from assessments.access import get_assessment_for
from assessments.charts import radar_figure
from assessments.comparison import trend_figure
from assessments.models import Membership
from roadmaps.charts import timeline_figure

from .exports import assessment_xlsx
from .history import assessment_history as history_entries
from .pdf import cached_assessment_pdf, report_filename
from .selectors import report_context

LANGUAGES = {code for code, _name in settings.LANGUAGES}


def report_language(request, assessment) -> str:
    """Chosen per download (?lang=nl); otherwise the organisation's default."""
    language = request.GET.get("lang", "")
    return language if language in LANGUAGES else assessment.organisation.report_language


@login_required
@require_GET
def report_page(request, pk: int):
    assessment = get_assessment_for(request.user, pk)
    language = report_language(request, assessment)
    with translation.override(language):
        context = report_context(assessment)
        context["radar"] = radar_figure(context["radar_data"])
        if context["roadmap"]:
            context["timeline"] = timeline_figure(context["roadmap"]["timeline"])
        if context["thermometer"]:
            context["trend"] = trend_figure(context["thermometer"]["trend"], _("Average"))
        body = render_to_string("reports/_report_body.html", {**context, "pdf": False}, request)
    return render(
        request,
        "reports/report_page.html",
        {
            "assessment": assessment,
            "body": body,
            "radar": context["radar"],
            "timeline": context.get("timeline"),
            "trend": context.get("trend"),
            "language": language,
            "is_consultant": assessment.my_role == Membership.Role.CONSULTANT,
        },
    )


@login_required
@require_GET
def report_pdf(request, pk: int):
    assessment = get_assessment_for(request.user, pk)
    language = report_language(request, assessment)
    response = HttpResponse(
        cached_assessment_pdf(assessment, language), content_type="application/pdf"
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=report_filename(assessment, language)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def assessment_excel(request, pk: int):
    assessment = get_assessment_for(request.user, pk)
    language = report_language(request, assessment)
    response = HttpResponse(
        assessment_xlsx(assessment, language),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True,
        filename=report_filename(assessment, language).replace("dvo-report", "dvo-assessment")[:-4]
        + ".xlsx",
    )
    return response


@login_required
@require_GET
def assessment_history(request, pk: int):
    """The audit trail of an assessment, for its consultants."""
    assessment = get_assessment_for(request.user, pk, write=True)
    return render(
        request,
        "reports/history.html",
        {"assessment": assessment, "entries": history_entries(assessment)},
    )
