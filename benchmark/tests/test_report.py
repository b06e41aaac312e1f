"""The peer benchmark in the report: a column of the results table, a band on the radar and a
section of the PDF, a slide of the deck; the cached files follow every consent."""

import io
import os
import subprocess

import pytest
from django.utils import translation
from django.utils.translation import gettext
from pptx import Presentation

from benchmark.demo import criteria_up_to
from benchmark.services import consent_withdraw, profile_save
from reports.deck import assessment_deck
from reports.pdf import assessment_pdf, radar_key, render_report_pdf_html, report_key
from reports.tests.test_pdf import page_texts


def png_of(content: bytes, page: int, path: str) -> None:
    """Page `page` of the PDF as `path`-N.png at 60 dpi, to look at."""
    command = ["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page), "-", path]
    subprocess.run(command, input=content, check=True)  # noqa: S603 - poppler-utils


@pytest.fixture
def compared(baseline, lists, make_peers):
    """The baseline scored to level 2 everywhere, of a Retail organisation, with 5 peers at
    levels 1..5."""
    (retail, *_), (small, *_) = lists
    criteria_up_to(baseline, lambda key: 2)
    profile_save(organisation=baseline.organisation, sector=retail, size_class=small)
    return make_peers(5, level=lambda i: i + 1)


def test_the_pdf_has_a_benchmark_page_with_the_figures(compared, baseline, artifacts_dir):
    content = assessment_pdf(baseline, "en")
    pages = page_texts(content)
    number, text = next((i, t) for i, t in enumerate(pages, 1) if t.startswith("Peer benchmark"))
    assert "Compared with: All peers" in text
    assert "Peers: median Lower quartile Upper quartile" in text
    row = text[text.index("Marketing") :]
    assert row.startswith("Marketing 2 3 2 4")
    assert "Peer 1" not in " ".join(pages)  # no peer is named anywhere
    processes = next(t for t in pages if t.startswith("Results per process"))
    assert "Peers: median" in processes  # the column of the results table
    path = os.path.join(artifacts_dir, "benchmark-pdf-page")
    png_of(content, number, path)
    png_of(
        content,
        next(i for i, t in enumerate(pages, 1) if t.startswith("Progress")),
        path + "-radar",
    )


def test_the_radar_of_the_pdf_has_the_peer_band(compared, baseline):
    html = render_report_pdf_html(baseline, "en")
    import base64
    import re

    uri = re.search(r'class="report-radar" src="data:image/svg\+xml;base64,([^"]+)"', html)
    svg = base64.b64decode(uri.group(1)).decode()
    assert 'id="peer-band"' in svg
    assert 'id="peer-median"' in svg
    assert "Peers: middle half" in html  # in the legend beside it


def test_with_4_peers_the_pdf_says_too_few_and_has_no_column(baseline, lists, make_peers):
    (retail, *_), _sizes = lists
    profile_save(organisation=baseline.organisation, sector=retail, size_class=None)
    make_peers(4, level=3)
    html = render_report_pdf_html(baseline, "en")
    assert "Too few peers to compare yet." in html
    assert 'data-testid="report-peer-column"' not in html
    assert "peer-band" not in html


def test_an_organisation_without_the_benchmark_has_no_benchmark_section(baseline, make_peers):
    make_peers(5, level=3)
    html = render_report_pdf_html(baseline, "en")
    assert 'id="benchmark"' not in html


def test_a_withdrawn_consent_makes_the_cached_report_anew(compared, baseline, alice):
    before = report_key(baseline, "en"), radar_key(baseline, "en", _brand(baseline))
    consent_withdraw(organisation=compared[0], by=alice)
    after = report_key(baseline, "en"), radar_key(baseline, "en", _brand(baseline))
    assert before[0] != after[0]
    assert before[1] != after[1]
    assert "Too few peers to compare yet." in render_report_pdf_html(baseline, "en")


def _brand(assessment):
    from branding.brand import brand_for

    return brand_for(assessment.organisation)


def test_the_deck_has_a_benchmark_slide_and_the_median_on_its_radar(compared, baseline):
    deck = Presentation(io.BytesIO(assessment_deck(baseline, "en")))
    slide = next(
        s for s in deck.slides if s.shapes.title and s.shapes.title.text == "Peer benchmark"
    )
    table = next(shape.table for shape in slide.shapes if shape.has_table)
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["Process", "Level", "Peers: median", "Lower quartile", "Upper quartile"]
    assert ["Marketing", "2", "3", "2", "4"] in rows
    texts = [
        p.text
        for shape in slide.shapes
        if shape.has_text_frame
        for p in shape.text_frame.paragraphs
    ]
    assert "Compared with: All peers" in texts
    radar = next(
        shape.chart
        for s in deck.slides
        if s.shapes.title and s.shapes.title.text == "Maturity per process"
        for shape in s.shapes
        if shape.has_chart
    )
    series = {s.name: list(s.values) for s in radar.plots[0].series}
    assert set(series["Peers: median"]) == {3}


def test_in_dutch_the_benchmark_page_is_dutch(compared, baseline):
    with translation.override("nl"):
        if gettext("All peers") == "All peers":
            pytest.skip("the Dutch of /work/dbg/nl_benchmark.txt is not compiled in yet")
    html = render_report_pdf_html(baseline, "nl")
    assert "Vergelijking met andere organisaties" in html
    assert "Alle deelnemende organisaties" in html
