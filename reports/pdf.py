"""The maturity report as an A4 PDF (WeasyPrint), from the same template as the HTML page."""

import base64
import hashlib
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from .selectors import report_context
from .svg import radar_svg, trend_svg


def _svg_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def render_report_pdf_html(assessment, language: str) -> str:
    with translation.override(language):
        context = report_context(assessment)
        # As an image, so WeasyPrint's SVG renderer draws it (text stays text in the PDF).
        svg = radar_svg(context["radar_data"]).encode()
        context["radar_svg_uri"] = _svg_uri(svg)
        if context["thermometer"]:
            trend = trend_svg(context["thermometer"]["trend"], _("Average")).encode()
            context["trend_svg_uri"] = _svg_uri(trend)
        return render_to_string("reports/report_pdf.html", {**context, "pdf": True})


def assessment_pdf(assessment, language: str, fetcher=None) -> bytes:
    """The report of `assessment` in `language` as PDF bytes. `fetcher` defaults to a
    `reports.fetcher.StaticOnlyFetcher`."""
    # WeasyPrint takes ~1 s to import: keep it out of start-up.
    from weasyprint import HTML

    from .fetcher import StaticOnlyFetcher

    html = render_report_pdf_html(assessment, language)
    base_url = Path(settings.STATICFILES_DIRS[0]).resolve().as_uri() + "/"
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher or StaticOnlyFetcher())
    return document.write_pdf()


def report_filename(assessment, language: str) -> str:
    organisation = slugify(assessment.organisation.name)[:60] or "organisation"
    return f"dvo-report-{organisation}-{assessment.assessed_on:%Y-%m-%d}-{language}.pdf"


# Bump when the report's templates or layout change, so cached PDFs are rendered anew.
REPORT_LAYOUT = "2026-12-01"


def report_fingerprint(assessment) -> str:
    """Changes whenever anything a report shows changes: this assessment and its scores,
    aspects and votes, the organisation's other assessments (comparison, trend) and roadmaps.
    A handful of aggregate queries, against about half a second of rendering."""
    from django.db.models import Count, Max

    from assessments.models import AspectCheck, Assessment, ProcessScore
    from roadmaps.models import Roadmap, RoadmapItem
    from workshops.models import Vote

    organisation = assessment.organisation
    parts = [
        REPORT_LAYOUT,
        organisation.name,
        organisation.report_language,
        Assessment.objects.filter(organisation=organisation).aggregate(
            n=Count("id"), last=Max("updated_at"), final=Max("finalised_at")
        ),
        assessment.status,
        Roadmap.objects.filter(assessment__organisation=organisation).aggregate(
            n=Count("id"), last=Max("updated_at")
        ),
        ProcessScore.objects.filter(assessment__organisation=organisation).aggregate(
            n=Count("id"), last=Max("updated_at")
        ),
        ProcessScore.criteria_met.through.objects.filter(
            processscore__assessment__organisation=organisation
        ).count(),
        AspectCheck.objects.filter(assessment=assessment).aggregate(
            n=Count("id"), last=Max("updated_at")
        ),
        RoadmapItem.objects.filter(roadmap__assessment__organisation=organisation).aggregate(
            n=Count("id"), last=Max("updated_at")
        ),
        Vote.objects.filter(score__assessment=assessment).aggregate(
            n=Count("id"), last=Max("updated_at")
        ),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def cached_assessment_pdf(assessment, language: str) -> bytes:
    """The PDF from the database when nothing it shows has changed since it was rendered."""
    from .models import RenderedReport

    fingerprint = report_fingerprint(assessment)
    cached = RenderedReport.objects.filter(
        assessment=assessment, language=language, fingerprint=fingerprint
    ).first()
    if cached is not None:
        return bytes(cached.pdf)
    pdf = assessment_pdf(assessment, language)
    RenderedReport.objects.update_or_create(
        assessment=assessment, language=language, defaults={"fingerprint": fingerprint, "pdf": pdf}
    )
    return pdf
