"""The maturity report as an A4 PDF (WeasyPrint), from the same template as the HTML page."""

import base64
import hashlib
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
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
REPORT_LAYOUT = "2026-12-02b"  # b: dates in the report language
PDF_TIMEOUT = 7 * 24 * 3600


def report_key(assessment, language: str) -> str:
    """What the report of `assessment` shows, as a key: its own revision and those of the
    organisation's other assessments and roadmaps (the comparison, the trend and the previous
    roadmap's delivery come from them), the organisation's name and the layout. Every change of
    any of them bumps a revision (`Assessment.revision`, `Roadmap.revision`); one query."""
    from assessments.models import Assessment

    organisation = assessment.organisation
    stamps = Assessment.objects.filter(organisation=organisation.pk).order_by("pk")
    stamps = list(stamps.values_list("pk", "revision", "roadmap__revision"))
    digest = hashlib.sha256(repr((organisation.name, stamps)).encode()).hexdigest()[:32]
    return assessment.cache_key("pdf", language, REPORT_LAYOUT, digest)


def cached_assessment_pdf(assessment, language: str) -> bytes:
    """The PDF from the shared cache while nothing it shows has changed since it was rendered
    (rendering takes about half a second)."""
    return caches["default"].get_or_set(
        report_key(assessment, language),
        lambda: assessment_pdf(assessment, language),
        PDF_TIMEOUT,
    )
