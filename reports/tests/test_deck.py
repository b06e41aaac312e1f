"""The PowerPoint deck: read back with python-pptx as a consultant's PowerPoint would open it
(slides found by their titles, charts as native chart objects with their data), and once
rendered by LibreOffice.

The demo baseline (load_demo), level (ambition): Marketing 3 (4), Sales 2 (3), Werving &
selectie 3 (3), Innovation 1 (4), Service & maintenance 3 (4); Production and Internal
collaboration are not scored.
"""

import hashlib
import importlib.util
import io
import shutil
import subprocess
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.formats import date_format
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.dml import MSO_FILL
from pptx.util import Emu

from assessments.selectors import assessment_results
from reports.deck import assessment_deck
from reports.summary import assessment_summary
from reports.tests.test_summary import demo, remeasure

__all__ = ["demo"]  # the fixture, used by name

BASELINE_TITLES = [
    "",  # the title slide: the client's name, no title placeholder
    "Summary",
    "Maturity per process",
    "Level per dimension",
    "Gaps to ambition",
    "Roadmap",
]


def english_date(day) -> str:
    with translation.override("en"):
        return date_format(day, "DATE_FORMAT")


def open_deck(assessment, language="en"):
    return Presentation(io.BytesIO(assessment_deck(assessment, language)))


def titles(deck) -> list[str]:
    return [slide.shapes.title.text if slide.shapes.title else "" for slide in deck.slides]


def slide_titled(deck, title: str):
    return next(
        slide for slide in deck.slides if slide.shapes.title and slide.shapes.title.text == title
    )


def texts(slide) -> list[str]:
    """Every paragraph of the slide's text boxes and table cells."""
    found = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            found += [paragraph.text for paragraph in shape.text_frame.paragraphs]
        if shape.has_table:
            for row in shape.table.rows:
                found += [cell.text for cell in row.cells]
    return found


def table_rows(slide, skip: int = 1) -> list[list[str]]:
    table = next(shape.table for shape in slide.shapes if shape.has_table)
    return [[cell.text for cell in row.cells] for row in list(table.rows)[skip:]]


def charts(slide) -> list:
    return [shape.chart for shape in slide.shapes if shape.has_chart]


def plotted(chart) -> dict[str, list]:
    return {series.name: list(series.values) for series in chart.plots[0].series}


def test_the_deck_has_its_slides_in_order_in_16_9(demo):
    deck = open_deck(demo)
    assert titles(deck) == BASELINE_TITLES  # no comparison: there is no previous measurement
    assert Emu(deck.slide_width).inches / Emu(deck.slide_height).inches == pytest.approx(
        16 / 9, 0.01
    )
    cover = texts(deck.slides[0])
    for text in ("Demo Retail BV", "Social Media Growth maturity", "Baseline · Oct. 15, 2026"):
        assert text in cover
    assert "DVO Portal" in cover  # the installation's name while no brand is set
    assert "Draft — not final" in cover  # a draft, and every slide says so
    assert all("Draft — not final" in texts(slide) for slide in deck.slides)


def test_the_summary_slide_carries_the_executive_summary(demo):
    deck = open_deck(demo)
    summary = assessment_summary(demo)
    shown = texts(slide_titled(deck, "Summary"))
    assert summary.headline in shown
    assert "Innovation: level 1, ambition 4 (gap 3)" in shown
    assert "Level-3 baseline still needs" in shown
    assert all(line in shown for line in summary.baseline_missing)
    assert "This is the first measurement." in shown


def test_the_radar_is_a_native_chart_of_the_levels_and_ambitions(demo):
    deck = open_deck(demo)
    (radar,) = charts(slide_titled(deck, "Maturity per process"))
    assert radar.chart_type == XL_CHART_TYPE.RADAR_MARKERS
    _catalogue, results = assessment_results(demo)
    assert list(radar.plots[0].categories) == [
        item.score.display_name + ("" if item.is_scored else " (not scored)") for item in results
    ]
    # One series for the one measurement, one for the ambition; a process not scored is a gap
    # in the line, never level 1.
    assert plotted(radar) == {
        "Baseline, Oct. 15, 2026": [
            item.level.number if item.is_scored else None for item in results
        ],
        "Ambition": [item.result.ambition for item in results],
    }
    assert plotted(radar)["Baseline, Oct. 15, 2026"] == [3, 2, 3, 1, None, 3, None]
    assert (radar.value_axis.minimum_scale, radar.value_axis.maximum_scale) == (0, 5)


def test_the_heatmap_is_a_native_bar_chart_of_the_level_per_dimension(demo):
    deck = open_deck(demo)
    (heatmap,) = charts(slide_titled(deck, "Level per dimension"))
    assert heatmap.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    catalogue, results = assessment_results(demo)
    assert list(heatmap.plots[0].categories)[:2] == ["Marketing", "Sales"]
    assert plotted(heatmap) == {
        dimension.name: [
            item.result.dimension_levels[dimension.key] if item.is_scored else None
            for item in results
        ]
        for dimension in catalogue.dimensions
    }


def test_the_gaps_come_largest_first(demo):
    deck = open_deck(demo)
    slide = slide_titled(deck, "Gaps to ambition")
    assert table_rows(slide, skip=0) == [
        ["Process", "Level", "Ambition", "Gap"],
        ["Innovation", "1", "4", "3"],
        ["Sales", "2", "3", "1"],  # of equal gaps, the one further from its next level first
        ["Service & maintenance", "3", "4", "1"],
        ["Marketing", "3", "4", "1"],
    ]
    assert "At or above ambition: Werving & selectie." in texts(slide)
    assert "Not scored yet: Production and Internal collaboration." in texts(slide)


def test_only_accepted_roadmap_items_are_on_the_roadmap_slides(demo):
    from roadmaps.quarters import Quarter
    from roadmaps.services import item_accept, roadmap_create, roadmap_draft

    consultant = get_user_model().objects.get(username="consultant")
    roadmap = roadmap_create(assessment=demo, start=Quarter.of(2027, 1))
    roadmap_draft(roadmap=roadmap, by=consultant)
    accepted, dropped, *proposals = roadmap.items.order_by("start_quarter", "pk")
    accepted.title, accepted.owner = "Publish the social media policy", "Marketing lead"
    accepted.start_quarter, accepted.end_quarter = (
        Quarter.of(2027, 2).index,
        Quarter.of(2027, 4).index,
    )
    accepted.save()
    item_accept(item=accepted, by=consultant)
    dropped.title, dropped.status, dropped.is_proposal = "Dropped deliverable", "dropped", False
    dropped.save()
    deck = open_deck(demo)
    roadmap_slides = [
        slide
        for slide in deck.slides
        if slide.shapes.title and slide.shapes.title.text.startswith("Roadmap")
    ]
    assert len(roadmap_slides) == 1
    (slide,) = roadmap_slides
    header, quarters, *rows = table_rows(slide, skip=0)
    assert header[:4] == ["Deliverable", "Process", "Owner", "Year 1"]
    assert quarters[3:] == ["Q1", "Q2", "Q3", "Q4"] * 2
    assert "Year 1 and year 2: 2027 Q1 – 2028 Q4. Accepted items only." in texts(slide)
    assert [row[:3] for row in rows] == [
        ["Publish the social media policy", "Sales", "Marketing lead"]
    ]
    # Its span, 2027 Q2 to Q4, filled in the accent colour; the other quarters are not.
    table = next(shape.table for shape in slide.shapes if shape.has_table)
    cells = [table.cell(2, column) for column in range(3, 11)]
    filled = [cell.fill.type == MSO_FILL.SOLID for cell in cells]
    assert filled == [False, True, True, True, *[False] * 4]
    assert str(cells[1].fill.fore_color.rgb) == "1F4E79"  # the portal's accent: no brand set
    everything = " ".join(text for s in deck.slides for text in texts(s))
    assert "Dropped deliverable" not in everything
    for proposal in proposals:
        assert proposal.title not in everything
    assert f"{len(proposals)} proposals not yet accepted are left out." in texts(slide)


def test_a_roadmap_of_proposals_only_says_nothing_is_accepted_yet(demo):
    from roadmaps.quarters import Quarter
    from roadmaps.services import roadmap_create, roadmap_draft

    roadmap = roadmap_create(assessment=demo, start=Quarter.of(2027, 1))
    drafted = roadmap_draft(roadmap=roadmap, by=demo.created_by)
    shown = texts(slide_titled(open_deck(demo), "Roadmap"))
    assert "No roadmap item is accepted yet." in shown
    assert f"{drafted} proposals not yet accepted are left out." in shown


def test_a_baseline_nobody_scored_yet_has_every_slide(baseline):
    deck = open_deck(baseline)
    assert titles(deck) == BASELINE_TITLES
    (radar,) = charts(deck.slides[2])
    assert set(plotted(radar)[f"Baseline, {english_date(baseline.assessed_on)}"]) == {None}
    assert "No scored process is below its ambition." in texts(deck.slides[4])


def test_a_reassessment_plots_every_measurement_and_compares_with_the_previous(demo):
    _catalogue, before = assessment_results(demo)
    again = remeasure(demo, {"marketing": 4, "innovation": 2, "production": 2})
    deck = open_deck(again)
    assert titles(deck) == [*BASELINE_TITLES, "Comparison with the previous assessment"]
    (radar,) = charts(slide_titled(deck, "Maturity per process"))
    _catalogue, now = assessment_results(again)
    assert plotted(radar) == {
        "Baseline, Oct. 15, 2026": [
            item.result.level if item.is_scored else None for item in before
        ],
        f"Re-assessment, {english_date(again.assessed_on)}": [
            item.result.level if item.is_scored else None for item in now
        ],
        "Ambition": [item.result.ambition for item in now],
    }
    comparison = slide_titled(deck, "Comparison with the previous assessment")
    (bars,) = charts(comparison)
    assert bars.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    # Every process is scored again (the answers were copied): Internal collaboration too.
    assert list(plotted(bars).items()) == [
        ("Baseline, Oct. 15, 2026", [3, 2, 3, 1, None, 3, None]),
        (f"Re-assessment, {english_date(again.assessed_on)}", [4, 2, 3, 2, 2, 3, 1]),
    ]
    assert table_rows(comparison) == [
        ["Marketing", "3", "4"],
        ["Innovation", "1", "2"],
        ["Production", "not scored", "2"],
        ["Internal collaboration", "not scored", "1"],
    ]
    # The baseline is final now: its deck carries no draft mark; the re-assessment's does.
    demo.refresh_from_db()
    final = open_deck(demo)
    assert not any("Draft — not final" in texts(slide) for slide in final.slides)
    assert "Draft — not final" in texts(deck.slides[0])


def test_in_dutch_the_deck_is_dutch(demo):
    deck = open_deck(demo, "nl")
    assert titles(deck) == [
        "",
        "Samenvatting",
        "Volwassenheid per proces",
        "Niveau per dimensie",
        "Verschillen met de ambitie",
        "Roadmap",
    ]
    assert "Nulmeting · 15 oktober 2026" in texts(deck.slides[0])
    assert "Concept — niet definitief" in texts(deck.slides[0])
    (radar,) = charts(deck.slides[2])
    assert [series.name for series in radar.plots[0].series] == [
        "Nulmeting, 15 oktober 2026",
        "Ambitie",
    ]
    assert "Innovatie" in list(radar.plots[0].categories)
    assert deck.core_properties.language == "nl"


def png(width: int, height: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 60, 20)).save(out, "PNG")
    return out.getvalue()


def test_the_brand_gives_the_logos_and_the_accent(demo):
    from branding.models import ClientLogo, ConsultancyBrand

    logo = png(400, 100)
    ConsultancyBrand.objects.create(
        consultancy_name="Koster & Partners",
        accent="#00695c",
        logo_data=logo,
        logo_content_type="image/png",
        logo_sha256=hashlib.sha256(logo).hexdigest(),
    )
    client = png(300, 300)
    ClientLogo.objects.create(
        organisation=demo.organisation,
        data=client,
        content_type="image/png",
        sha256=hashlib.sha256(client).hexdigest(),
    )
    deck = open_deck(demo)
    cover = deck.slides[0]
    assert "Koster & Partners" in texts(cover)
    pictures = [shape for shape in cover.shapes if shape.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
    assert sorted(picture.image.blob for picture in pictures) == sorted([logo, client])
    wide = next(p for p in pictures if p.image.blob == logo)
    assert wide.width / wide.height == pytest.approx(4, 0.01)  # in its own proportions
    title = slide_titled(deck, "Summary").shapes.title.text_frame.paragraphs[0].runs[0]
    assert str(title.font.color.rgb) == "00695C"
    (radar,) = charts(slide_titled(deck, "Maturity per process"))
    assert str(radar.plots[0].series[0].format.line.color.rgb) == "00695C"


@pytest.mark.skipif(
    importlib.util.find_spec("cairosvg") is not None,
    reason="cairosvg is installed: the deck converts an SVG logo to PNG",
)
def test_an_svg_logo_leaves_the_name_as_text_without_cairosvg(demo):
    from branding.models import ConsultancyBrand

    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>'
    ConsultancyBrand.objects.create(
        consultancy_name="Koster & Partners",
        logo_data=svg,
        logo_content_type="image/svg+xml",
        logo_sha256=hashlib.sha256(svg).hexdigest(),
    )
    cover = open_deck(demo).slides[0]
    assert "Koster & Partners" in texts(cover)
    assert not [shape for shape in cover.shapes if shape.shape_type == 13]


def test_the_deck_reads_a_bounded_number_of_rows(
    make_big_assessment, django_assert_max_num_queries
):
    assessment = make_big_assessment(30)
    with django_assert_max_num_queries(15):
        deck = open_deck(assessment)
    # 30 processes: the bar charts and tables go on over more slides, at a readable size.
    assert titles(deck)[:5] == [
        "",
        "Summary",
        "Maturity per process",
        "Level per dimension",
        "Level per dimension (continued)",
    ]
    (radar,) = charts(deck.slides[2])
    assert len(list(radar.plots[0].categories)) == 30


SOFFICE, PDFINFO, PDFTOTEXT = (shutil.which(tool) for tool in ("soffice", "pdfinfo", "pdftotext"))


def run(*command: str, timeout: int = 60) -> str:
    done = subprocess.run(  # noqa: S603 - our own tools on our own files
        command, check=True, capture_output=True, text=True, timeout=timeout
    )
    return done.stdout


@pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed (scripts/system-deps installs libreoffice-impress)",
)
def test_libreoffice_renders_the_deck(demo, tmp_path):
    again = remeasure(demo, {"marketing": 4})
    path = tmp_path / "deck.pptx"
    path.write_bytes(assessment_deck(again, "en"))
    slides = len(Presentation(str(path)).slides)
    # A profile of its own: LibreOffices of parallel test workers would lock a shared one.
    profile = tmp_path / f"lo-{uuid.uuid4().hex}"
    run(
        SOFFICE,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(tmp_path),
        str(path),
        timeout=180,
    )
    shutil.rmtree(profile, ignore_errors=True)
    pdf = str(tmp_path / "deck.pdf")
    assert f"Pages:           {slides}" in run(PDFINFO, pdf)
    text = run(PDFTOTEXT, pdf, "-")
    for title in ("Summary", "Maturity per process", "Comparison with the previous assessment"):
        assert title in text
    assert "Werving & selectie" in text  # the charts' categories are drawn as text
