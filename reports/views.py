from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from assessments.access import MAX_ID, get_assessment_for
from assessments.charts import radar_figure
from assessments.models import Membership
from surveys.selectors import latest_survey_field

from . import tasks
from .exports import assessment_xlsx
from .history import assessment_history as history_entries
from .history import page_number
from .models import ReportFile
from .pdf import report_filename
from .selectors import report_context

LANGUAGES = {code for code, _name in settings.LANGUAGES}


# htmx stops polling on this status (and swaps what came with it).
STOP_POLLING = 286
DOWNLOADS = {ReportFile.Kind.PDF: "reports:pdf", ReportFile.Kind.DECK: "reports:deck"}


def report_language(request, assessment) -> str:
    """Chosen per download (?lang=nl); otherwise the organisation's fixed language; otherwise
    the reader's: the interface language of this request."""
    language = request.GET.get("lang", "")
    return language if language in LANGUAGES else assessment.organisation.language_of_reports()


@login_required
@require_GET
def report_page(request, pk: int):
    # With its latest survey's id: no query for the survey section when there is none.
    assessment = get_assessment_for(
        request.user, pk, annotations={"survey_id": latest_survey_field("pk")}
    )
    language = report_language(request, assessment)
    with translation.override(language):
        context = report_context(assessment)
        # The radar is the page's one plotly chart; the roadmap's timeline and the trend are
        # drawn in the report body itself (a quarter grid, one small chart per process).
        context["radar"] = radar_figure(context["radar_data"])
        body = render_to_string("reports/_report_body.html", {**context, "pdf": False}, request)
    return render(
        request,
        "reports/report_page.html",
        {
            "assessment": assessment,
            "body": body,
            "radar": context["radar"],
            "language": language,
            "is_consultant": assessment.my_role == Membership.Role.CONSULTANT,
        },
    )


@login_required
@require_GET
def report_pdf(request, pk: int):
    return _download(request, pk, ReportFile.Kind.PDF)


@login_required
@require_GET
def report_deck(request, pk: int):
    return _download(request, pk, ReportFile.Kind.DECK)


def _download(request, pk: int, kind: str):
    """The file of the assessment as it is now, at once if it is ready; otherwise it is queued
    for the worker (reports/tasks.py) and a page follows it until it is."""
    assessment = get_assessment_for(request.user, pk)
    language = report_language(request, assessment)
    file = tasks.file_for(assessment=assessment, kind=kind, language=language)
    if file.status == ReportFile.Status.READY:
        return _attachment(file, assessment)
    return render(request, "reports/file_preparing.html", _file_context(assessment, file))


@login_required
@require_GET
def report_file(request, pk: int, file_pk: int):
    """A file by its id, as the progress page offers it: once ready, the file asked for then,
    even if the assessment changed since (a live workshop's saves do not keep the reader
    waiting); before that, its progress page."""
    assessment = get_assessment_for(request.user, pk)
    file = _file_of(assessment, file_pk, content=True)
    if file.status == ReportFile.Status.READY:
        return _attachment(file, assessment)
    file = tasks.latest(file)
    if file.status == ReportFile.Status.READY:
        return redirect("reports:file", pk=assessment.pk, file_pk=file.pk)
    return render(request, "reports/file_preparing.html", _file_context(assessment, file))


@login_required
@require_GET
def report_file_status(request, pk: int, file_pk: int):
    """Polled by the progress page (every second): the same part while the file is being
    prepared; once it is ready or failed, the last part and the end of polling."""
    assessment = get_assessment_for(request.user, pk)
    file = tasks.latest(_file_of(assessment, file_pk))
    status = 200 if file.status == ReportFile.Status.PENDING else STOP_POLLING
    return render(
        request, "reports/_file_status.html", _file_context(assessment, file), status=status
    )


def _file_of(assessment, file_pk: int, *, content: bool = False) -> ReportFile:
    if not 0 < file_pk <= MAX_ID:
        raise Http404
    files = ReportFile.objects.all() if content else ReportFile.objects.defer("content")
    return get_object_or_404(files, pk=file_pk, assessment=assessment)


def _file_context(assessment, file: ReportFile) -> dict:
    download = reverse(DOWNLOADS[file.kind], args=[assessment.pk])
    return {
        "assessment": assessment,
        "file": file,
        "slow": tasks.file_is_slow(file),
        "again_url": f"{download}?lang={file.language}",
    }


def _attachment(file: ReportFile, assessment) -> HttpResponse:
    response = HttpResponse(bytes(file.content), content_type=tasks.CONTENT_TYPES[file.kind])
    filename = report_filename(assessment, file.language)
    if file.kind == ReportFile.Kind.DECK:
        filename = filename.removesuffix(".pdf") + ".pptx"
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
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
    """The audit trail of an assessment, for its consultants, a page at a time."""
    assessment = get_assessment_for(request.user, pk, write=True)
    page = history_entries(assessment, page_number(request.GET.get("page")))
    return render(
        request,
        "reports/history.html",
        {"assessment": assessment, "page": page, "entries": page.entries},
    )
