"""The roll-up report as PDF: the same figures as the roll-up page, laid out by WeasyPrint
the way the maturity report is (reports.pdf: tagged PDF, static files only, our fonts)."""

import base64
import hashlib

from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify

from branding.brand import brand_for
from reports.pdf import accent_of, write_pdf
from reports.svg import radar_svg

ROLLUP_LAYOUT = "1"  # bump when the roll-up PDF is drawn differently
PDF_TIMEOUT = 7 * 24 * 3600


def rollup_key(context: dict, language: str, brand) -> str:
    """What the roll-up shows, as it is now: each unit (its name, kind and parent) with its latest
    assessment's id, creation time and revision, in the round and language asked for."""
    state = [
        (
            unit.pk,
            unit.name,
            unit.kind,
            unit.parent.name if unit.parent else "",  # the table names it under the unit
            assessment.cache_key() if assessment is not None else "",
        )
        for unit, assessment in context["columns"]
    ]
    digest = hashlib.sha256(repr((context["organisation"].name, state)).encode()).hexdigest()
    organisation = context["organisation"].pk
    kind = context["kind"]
    return f"rollup-pdf:{organisation}:{kind}:{language}:{brand.key}:{ROLLUP_LAYOUT}:{digest}"


def rollup_pdf_html(context: dict, language: str, brand) -> str:
    with translation.override(language):
        return render_to_string(
            "units/rollup_pdf.html",
            {
                **context,
                "brand": brand,
                "accent": accent_of(brand),
                "radar_uri": (
                    "data:image/svg+xml;base64,"
                    + base64.b64encode(radar_svg(context["radar_data"]).encode()).decode()
                )
                if context["rows"]
                else "",
            },
        )


def cached_rollup_pdf(context: dict, language: str) -> bytes:
    brand = brand_for(context["organisation"])
    return caches["default"].get_or_set(
        rollup_key(context, language, brand),
        lambda: write_pdf(rollup_pdf_html(context, language, brand)),
        PDF_TIMEOUT,
    )


def filename(context: dict, language: str) -> str:
    organisation = slugify(context["organisation"].name)[:60] or "organisation"
    return f"dvo-rollup-{organisation}-{context['kind']}-{language}.pdf"
