"""The assessment as a PowerPoint deck (python-pptx): what a consultant presents, and edits
afterwards. Charts are native chart objects (their data travels inside the file, so PowerPoint
and LibreOffice open them as editable charts), text stays in text boxes and tables; everything
in the report's language, with the brand's logos and accent colour.

Slides: title; summary; the radar (one series per measurement, and the ambition); the level per
dimension (the heatmap as bars); the gaps; the roadmap by quarter (accepted items only); the
comparison with the previous assessment (a re-assessment only). A table or bar chart longer than
fits at a readable size continues on the next slide.

    assessment_deck(assessment, language) -> bytes   (a .pptx)
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments.charts import heatmap_data
from assessments.models import Assessment
from assessments.selectors import ScoredProcess, assessment_results, results_of_many
from benchmark.selectors import report_benchmark
from branding.brand import brand_for
from roadmaps.models import Roadmap, RoadmapItem
from roadmaps.quarters import quarter_range
from roadmaps.selectors import roadmap_rows

from ..summary import assessment_summary, names
from . import slides
from .canvas import Canvas

# Bump when the deck's layout changes, so cached decks are made anew.
DECK_LAYOUT = "2026-12-03b"  # + the peer benchmark
EARLIER_SHOWN = 3  # earlier measurements on the radar beside this one


@dataclass(frozen=True)
class Measurement:
    assessment: Assessment
    label: str  # "Baseline, 15 October 2026"
    levels: dict[str, int | None]  # process key -> level (None: not scored)
    names: dict[str, str]  # process key -> the client's name of it then


def measurement_label(assessment: Assessment) -> str:
    kind = assessment.get_kind_display().capitalize()
    return f"{kind}, {date_format(assessment.assessed_on, 'DATE_FORMAT')}"


def measurement(assessment: Assessment, results: list[ScoredProcess]) -> Measurement:
    return Measurement(
        assessment,
        measurement_label(assessment),
        {i.score.process.key: i.result.level if i.is_scored else None for i in results},
        {i.score.process.key: i.score.display_name for i in results},
    )


def earlier_measurements(assessment: Assessment) -> list[Measurement]:
    """The organisation's final assessments before this one (in the trend's order: by date,
    then creation), the latest `EARLIER_SHOWN` of them, oldest first, the previous assessment
    always among them; in a number of queries that does not grow with them."""
    before = Q(assessed_on__lt=assessment.assessed_on) | Q(
        assessed_on=assessment.assessed_on, id__lt=assessment.id
    )
    earlier = list(
        Assessment.objects.final()
        .filter(before, organisation=assessment.organisation_id)
        .exclude(pk=assessment.previous_id)
        .select_related("version")
        .order_by("-assessed_on", "-id")[:EARLIER_SHOWN]
    )
    if assessment.previous_id:
        earlier = [assessment.previous, *earlier[: EARLIER_SHOWN - 1]]
    earlier.sort(key=lambda item: (item.assessed_on, item.pk))
    results = results_of_many(earlier)
    return [measurement(item, results[item.pk]) for item in earlier]


def radar_series(
    results: list[ScoredProcess], assessment, earlier: list[Measurement], benchmark=None
):
    keys = [item.score.process.key for item in results]
    peers = []
    if benchmark is not None and benchmark.any_shown:
        medians = [row.figures.median if row.figures else None for row in benchmark.rows]
        peers = [(_("Peers: median"), medians, "peers")]
    return [
        *((m.label, [m.levels.get(key) for key in keys], "earlier") for m in earlier),
        (
            measurement_label(assessment),
            [item.result.level if item.is_scored else None for item in results],
            "now",
        ),
        (_("Ambition"), [item.result.ambition for item in results], "ambition"),
        *peers,
    ]


def number(value: float) -> str:
    """A peer figure as the report shows it: 2, 2.5, 2.25 (in the language's format)."""
    return number_format(value, 2).rstrip("0").rstrip(".,") if value % 1 else str(int(value))


def process_label(item: ScoredProcess) -> str:
    name = item.score.display_name
    return name if item.is_scored else f"{name} ({_('not scored')})"


def gap_table(results: list[ScoredProcess]) -> tuple[list[list[str]], list[str]]:
    """The processes below their ambition, largest gap first (then the one further from its
    next level), and the notes on the others."""
    scored = [item for item in results if item.is_scored]
    below = sorted(
        (item for item in scored if item.result.gap is not None and item.result.gap > 0),
        key=lambda item: (-item.result.gap, item.result.progress),
    )
    rows = [
        [item.score.display_name, *map(str, (r.level, r.ambition, r.gap))]
        for item in below
        for r in [item.result]
    ]
    notes = []
    if met := [item.score.display_name for item in scored if item.result.meets_ambition]:
        notes.append(_("At or above ambition: %(names)s.") % {"names": names(met)})
    if unset := [item.score.display_name for item in scored if item.result.ambition is None]:
        notes.append(_("No ambition set: %(names)s.") % {"names": names(unset)})
    if unscored := [item.score.display_name for item in results if not item.is_scored]:
        text = ngettext(  # the report page's message
            "Not scored yet: %(names)s.", "Not scored yet: %(names)s.", len(unscored)
        )
        notes.append(text % {"names": names(unscored)})
    return rows, notes


def roadmap_of(assessment: Assessment) -> dict | None:
    """The roadmap's accepted items (proposals and dropped items left out) over its quarters."""
    roadmap = Roadmap.objects.filter(assessment=assessment).first()
    if roadmap is None:
        return None
    roadmap.assessment = assessment
    rows = roadmap_rows(roadmap)
    return {
        "quarters": quarter_range(roadmap.first_quarter),
        "rows": [
            row
            for row in rows
            if not row.item.is_proposal and row.item.status != RoadmapItem.Status.DROPPED
        ],
        "proposals": sum(1 for row in rows if row.item.is_proposal),
    }


def logo_png(logo) -> bytes | None:
    """A logo as PNG for python-pptx, which places raster images only. An SVG is converted
    with cairosvg where that is installed; otherwise it is left out (the name stays as text)."""
    if logo is None or not logo.data:
        return None
    if logo.content_type == "image/png":
        return logo.data
    try:
        import cairosvg
    except ImportError:
        return None
    return cairosvg.svg2png(bytestring=logo.data, output_height=400)


def assessment_deck(assessment: Assessment, language: str) -> bytes:
    """The deck of `assessment` in `language`, as the bytes of a .pptx file."""
    with translation.override(language):
        catalogue, results = assessment_results(assessment)
        summary = assessment_summary(assessment, catalogue=catalogue, results=results)
        benchmark = report_benchmark(assessment, results)
        earlier = earlier_measurements(assessment)
        brand = brand_for(assessment.organisation)
        top_level = catalogue.levels[-1].number if catalogue.levels else 5
        client = assessment.organisation.name
        day = date_format(assessment.assessed_on, "DATE_FORMAT")
        canvas = Canvas(
            accent=brand.accent,
            footer=f"{client} · {_('Social Media Growth maturity')} · {day}",
            draft=not assessment.is_final,
            language=language,
        )
        slides.title_slide(
            canvas,
            client=client,
            kind_and_date=f"{assessment.get_kind_display().capitalize()} · {day}",
            consultancy=brand.consultancy_name,
            consultancy_logo=logo_png(brand.consultancy_logo),
            client_logo=logo_png(brand.client_logo),
        )
        slides.summary_slide(canvas, summary)
        slides.radar_slide(
            canvas,
            processes=[process_label(item) for item in results],
            series=radar_series(results, assessment, earlier, benchmark),
            top_level=top_level,
        )
        heatmap = heatmap_data(catalogue, results)
        slides.heatmap_slides(
            canvas, rows=heatmap["rows"], dimensions=heatmap["dimensions"], top_level=top_level
        )
        rows, notes = gap_table(results)
        slides.gaps_slides(canvas, rows=rows, notes=notes)
        if benchmark is not None:
            slides.benchmark_slides(
                canvas,
                group=benchmark.group.label if benchmark.group else _("All peers"),
                rows=[
                    [
                        row.name,
                        slides.level_text(row.own_level),
                        *(
                            [number(f.median), number(f.lower), number(f.upper)]
                            if (f := row.figures)
                            else ["", "", ""]
                        ),
                    ]
                    for row in benchmark.rows
                ]
                if benchmark.any_shown
                else [],
            )
        slides.roadmap_slides(canvas, roadmap=roadmap_of(assessment))
        previous = next((m for m in earlier if m.assessment.pk == assessment.previous_id), None)
        if previous is not None:
            now = measurement(assessment, results)
            keys = [*now.names, *(key for key in previous.names if key not in now.names)]
            slides.comparison_slides(
                canvas,
                earlier=previous.label,
                now=now.label,
                processes=[now.names.get(key) or previous.names[key] for key in keys],
                before=[previous.levels.get(key) for key in keys],
                after=[now.levels.get(key) for key in keys],
                changes=[
                    [c.process, slides.level_text(c.before), slides.level_text(c.now)]
                    for c in summary.changes
                ],
                top_level=top_level,
            )
        properties = canvas.presentation.core_properties
        properties.title = f"{client} · {_('Social Media Growth maturity')}"
        properties.author = brand.consultancy_name
        properties.language = language
        return canvas.save()
