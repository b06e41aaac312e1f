"""The maturity report as an A4 PDF (WeasyPrint), from the same template as the HTML page:
tagged (PDF/UA-1), with the document's language, a cover with the brand, a table of contents
and page numbers."""

import base64
import gc
import hashlib
import logging
import re
import threading
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify

from benchmark.selectors import report_stamp
from branding.brand import brand_for
from surveys.selectors import latest_survey_field

from .selectors import report_context
from .svg import radar_svg, sparkline_svg

logger = logging.getLogger(__name__)

PDF_VARIANT = "pdf/ua-1"  # tagged: a structure tree, the document's language, alt texts
DEFAULT_ACCENT = "#1f4e79"
# Bump when the report's templates or layout change, so cached PDFs are rendered anew.
REPORT_LAYOUT = "2026-12-03c"  # + the peer benchmark; the survey section; summary, timeline, …
RADAR_LAYOUT = "3"  # bump when reports.svg.radar_figure draws differently (3: the peer band)
PDF_TIMEOUT = 7 * 24 * 3600
RADAR_TIMEOUT = 30 * 24 * 3600


def _svg_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def accent_of(brand) -> str:
    """The brand's accent as "#rrggbb", for the stylesheet: anything else is never written
    into CSS."""
    accent = getattr(brand, "accent", "") or ""
    return accent if re.fullmatch(r"#[0-9a-fA-F]{6}", accent) else DEFAULT_ACCENT


def radar_key(assessment, language: str, brand) -> str:
    """The radar shows this revision of the assessment and its previous measurement's (final,
    but its revision is in the key all the same), in `language`."""
    previous = assessment.previous.revision if assessment.previous_id else 0
    # The peer band: the benchmark's revision and the peers' final assessments.
    peers = "-".join(map(str, report_stamp(assessment)))
    return assessment.cache_key("radar-svg", language, brand.key, previous, peers, RADAR_LAYOUT)


def cached_radar_uri(assessment, data: dict, language: str, brand) -> str:
    """The radar as an SVG data URI, drawn once per revision of the assessment (matplotlib
    takes ~0.1 s a chart) and kept in the shared cache: every PDF of the same revision,
    language and brand reuses it."""
    return caches["default"].get_or_set(
        radar_key(assessment, language, brand), lambda: _svg_uri(radar_svg(data)), RADAR_TIMEOUT
    )


def render_report_pdf_html(assessment, language: str) -> str:
    """The HTML WeasyPrint lays out: the report body, its cover and contents, in `language`."""
    with translation.override(language):
        context = report_context(assessment)
        brand = context["brand"]
        accent = accent_of(brand)
        context["radar_svg_uri"] = cached_radar_uri(
            assessment, context["radar_data"], language, brand
        )
        thermometer = context["thermometer"]
        if thermometer:
            top = thermometer["trend"]["top"]
            for multiple in thermometer["multiples"]:
                multiple["svg_uri"] = _svg_uri(
                    sparkline_svg(multiple["values"], top, accent, multiple["ambition"])
                )
        return render_to_string(
            "reports/report_pdf.html", {**context, "pdf": True, "accent": accent}
        )


_fetchers = threading.local()


def static_fetcher():
    """This thread's `reports.fetcher.StaticOnlyFetcher`, made once: making one builds an SSL
    context, 50 ms a PDF."""
    from .fetcher import StaticOnlyFetcher

    fetcher = getattr(_fetchers, "fetcher", None)
    if fetcher is None:
        fetcher = _fetchers.fetcher = StaticOnlyFetcher()
    fetcher.refused.clear()
    return fetcher


def write_pdf(html: str, fetcher=None) -> bytes:
    """WeasyPrint on `html`, as every report is written: tagged, static files only."""
    # WeasyPrint takes ~1 s to import: imported here, and warmed at app start (`warm_up`).
    from weasyprint import HTML

    base_url = Path(settings.STATICFILES_DIRS[0]).resolve().as_uri() + "/"
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher or static_fetcher())
    return document.write_pdf(pdf_variant=PDF_VARIANT)


def assessment_pdf(assessment, language: str, fetcher=None) -> bytes:
    """The report of `assessment` in `language` as PDF bytes. `fetcher` defaults to a
    `reports.fetcher.StaticOnlyFetcher`."""
    return write_pdf(render_report_pdf_html(assessment, language), fetcher)


WARM_UP_HTML = """<!doctype html><html lang="en"><head><title>warm-up</title>
<link rel="stylesheet" href="css/report_pdf.css"></head><body><h1>DVO</h1>
<p>Warm <strong>up</strong> <span class="report-muted">fonts</span></p>
<table class="report-table"><tr><th>a</th><td>1</td></tr></table></body></html>"""


WARM_UP_RADAR = {
    "axes": ["a", "b", "c"],
    "range": [0, 5],
    "ticks": [{"value": 1}],
    "series": [{"key": "x", "name": "x", "values": [1, 2, 3], "colour": "#000000", "fill": True}],
}


def warm_up() -> float:
    """Import WeasyPrint and lay out a tiny report once (fonts found and loaded, the report's
    stylesheet's fonts too), draw a tiny radar (matplotlib's fonts) and compile the report's
    templates, so the first PDF an app process writes costs what the second does. Then moves
    everything loaded so far (Django, WeasyPrint, matplotlib: some 200,000 objects) out of the
    garbage collector's sight with `gc.freeze()`: they live as long as the process, and a PDF
    makes enough objects to start a full collection, which would scan them all again (0.1–0.2 s
    of a 30-process report). Called at app start (dvo_portal/wsgi.py, the worker in
    reports/apps.py) unless `settings.PDF_WARM_UP` is False; returns the seconds it took.
    Never raises: a failure only costs the first PDF its speed."""
    from django.template.loader import get_template

    start = time.perf_counter()
    try:
        write_pdf(WARM_UP_HTML)
        radar_svg(WARM_UP_RADAR)
        for name in ("reports/report_pdf.html", "reports/_report_body.html"):
            get_template(name)
    except Exception:
        logger.exception("report: PDF warm-up failed")
    gc.freeze()
    return time.perf_counter() - start


def report_filename(assessment, language: str) -> str:
    organisation = slugify(assessment.organisation.name)[:60] or "organisation"
    return f"dvo-report-{organisation}-{assessment.assessed_on:%Y-%m-%d}-{language}.pdf"


def report_key(assessment, language: str) -> str:
    """What the report of `assessment` shows, as a key: its own revision and those of the
    organisation's other assessments and roadmaps (the comparison, the trend and the previous
    roadmap's delivery come from them), the organisation's name, its brand and the layout.
    Every change of any of them bumps a revision (`Assessment.revision`, `Roadmap.revision`);
    one query, and the brand's."""
    from assessments.models import Assessment

    organisation = assessment.organisation
    stamps = Assessment.objects.filter(organisation=organisation.pk).order_by("pk")
    # The survey section changes with every answer: the survey's revision, not the assessment's.
    stamps = stamps.annotate(
        survey_id=latest_survey_field("pk"), survey_revision=latest_survey_field("revision")
    )
    stamps = list(
        stamps.values_list("pk", "revision", "roadmap__revision", "survey_id", "survey_revision")
    )
    brand = brand_for(organisation).key
    # The peer figures change with other organisations' final assessments and consents.
    peers = report_stamp(assessment)
    digest = hashlib.sha256(repr((organisation.name, brand, stamps, peers)).encode()).hexdigest()
    digest = digest[:32]
    return assessment.cache_key("pdf", language, REPORT_LAYOUT, digest)


def cached_assessment_pdf(assessment, language: str) -> bytes:
    """The PDF from the shared cache while nothing it shows has changed since it was rendered
    (rendering takes about half a second)."""
    return caches["default"].get_or_set(
        report_key(assessment, language),
        lambda: assessment_pdf(assessment, language),
        PDF_TIMEOUT,
    )
