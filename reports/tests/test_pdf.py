"""The PDF as a manager reads it: tagged (PDF/UA-1) with its language and title, numbered pages
and a table of contents, a draft mark on every page of a draft, text that pdftotext reads (the
headline, every process, the accepted roadmap items and no unreviewed proposal), the brand,
generated text in the report's language, and the radar drawn once per revision.

The demo (load_demo): seven processes, five of them scored; its organisation's reports are
Dutch, so drafted roadmap items are stored with Dutch titles."""

import datetime
import io
import re
import subprocess

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import pgettext
from pypdf import PdfReader

from assessments.models import Assessment
from assessments.selectors import assessment_results
from assessments.services import (
    assessment_finalise,
    bump_revision,
    reassessment_start,
    score_save,
)
from branding.brand import brand_for
from branding.models import ConsultancyBrand
from reports.pdf import assessment_pdf, radar_key, render_report_pdf_html, warm_up
from reports.summary import assessment_summary
from reports.templatetags.report_css import css_string
from roadmaps.quarters import Quarter
from roadmaps.services import item_accept, item_save, roadmap_create, roadmap_draft


def pdftotext(content: bytes) -> str:
    """What poppler's pdftotext reads in the PDF, whitespace folded."""
    result = subprocess.run(
        ["pdftotext", "-", "-"],  # noqa: S607 - poppler-utils, a system dependency
        input=content,
        capture_output=True,
        check=True,
    )
    return " ".join(result.stdout.decode().split())


def page_texts(content: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(content))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


@pytest.fixture
def demo(demo_data):
    return Assessment.objects.select_related("organisation", "version").get()


@pytest.fixture
def consultant(demo):
    return get_user_model().objects.get(username="consultant")


@pytest.fixture
def planned(demo, consultant):
    """The demo's roadmap, drafted from its gaps: every third proposal accepted, one of them
    retitled with an owner and under way; the rest left as unreviewed proposals."""
    roadmap = roadmap_create(assessment=demo, start=Quarter.of(2027, 1))
    roadmap_draft(roadmap=roadmap, by=consultant)
    items = list(roadmap.items.order_by("pk"))
    for item in items[::3]:
        item_accept(item=item, by=consultant)
    first = roadmap.items.get(pk=items[0].pk)
    item_save(
        item=first,
        values={"title": "Publish the social media policy", "owner": "Marketing lead"},
        base_revision=first.revision,
        by=consultant,
    )
    demo.refresh_from_db()
    return roadmap


def structure_types(reader: PdfReader) -> set[str]:
    """Every structure element type (/S) in the PDF's structure tree."""
    seen, stack = set(), [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop().get_object()
        if hasattr(node, "get") and node.get("/S"):
            seen.add(str(node["/S"]))
        kids = node.get("/K") if hasattr(node, "get") else None
        if kids is None:
            continue
        for kid in kids if isinstance(kids, list) else [kids]:
            if hasattr(kid, "get_object") and hasattr(kid.get_object(), "get"):
                stack.append(kid)
    return seen


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("en", "Social Media Growth maturity report · Demo Retail BV"),
        ("nl", "Social Media Growth-volwassenheidsrapport · Demo Retail BV"),
    ],
)
def test_the_pdf_is_tagged_with_its_language_title_and_numbered_pages(demo, language, title):
    content = assessment_pdf(demo, language)
    reader = PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == language
    assert reader.metadata.title == title
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/Figure", "/P", "/L"} <= structure_types(reader)

    pages = page_texts(content)
    with translation.override(language):
        word, of = pgettext("page X of Y", "Page"), pgettext("page X of Y", "of")
    for number, text in enumerate(pages, start=1):
        assert f"{word} {number} {of} {len(pages)}" in text


def test_the_contents_give_each_section_its_page(demo, planned):
    pages = page_texts(assessment_pdf(demo, "en"))
    cover = pages[0]
    for heading, starts in [
        ("Summary", "Summary Median level"),
        ("Results per process", "Results per process Business process"),
        ("Level-3 baseline", "Level-3 baseline From level 3 on"),
        ("Roadmap", "Roadmap The deliverables"),
    ]:
        listed = re.search(r"(\d+) " + re.escape(heading), cover)  # the page, then the title
        assert listed, heading
        page = next(n for n, text in enumerate(pages, start=1) if starts in text)
        assert int(listed[1]) == page, heading


def test_pdftotext_reads_the_headline_every_process_and_the_plan_but_no_proposal(demo, planned):
    with translation.override("en"):
        summary = assessment_summary(demo)
        _catalogue, results = assessment_results(demo)
        criteria = {criterion.pk: criterion for criterion in _catalogue.criteria}
    text = pdftotext(assessment_pdf(demo, "en"))
    assert summary.headline in text
    assert summary.headline.startswith("Median level 3; the processes range from 1 (")
    for item in results:
        assert item.score.display_name in text

    items = list(planned.items.all())
    accepted = [item for item in items if not item.is_proposal]
    proposals = [item for item in items if item.is_proposal]
    assert accepted
    assert proposals
    # A planned item shows its owner; its status only once work on it has started.
    assert "2027 Q1 Publish the social media policy Marketing lead 2027" in text

    def english(item):  # a drafted title in the report's language (stored in Dutch)
        if item.title == "Publish the social media policy":
            return item.title
        return criteria[item.criterion_id].text("text", "en")[:60]

    accepted_titles = {english(item) for item in accepted}
    roadmap = text[text.rindex("Roadmap The deliverables") :]
    for item in accepted:
        assert english(item) in roadmap
    for item in proposals:
        if english(item) in accepted_titles:  # the same criterion, accepted for another process
            continue
        assert english(item) not in roadmap
        if not item.criterion.is_baseline:  # the baseline's conditions are listed as such
            assert english(item) not in text
    assert f"{len(proposals)} drafted proposals are not reviewed yet" in roadmap
    assert "Planned" not in roadmap

    first = next(item for item in accepted if item.title == "Publish the social media policy")
    first.status = "in-progress"
    first.save()
    text = pdftotext(assessment_pdf(demo, "en"))
    assert "2027 Q1 Publish the social media policy Marketing lead · In progress" in text


def test_every_page_of_a_draft_says_so_and_a_final_one_does_not(demo):
    pages = page_texts(assessment_pdf(demo, "en"))
    assert all("Draft — not final" in text for text in pages)
    final = assessment_finalise(assessment=demo)
    assert not any("Draft — not final" in text for text in page_texts(assessment_pdf(final, "en")))


def test_drafted_deliverables_come_out_in_the_language_of_the_report(demo, planned):
    item = planned.items.filter(is_proposal=False, criterion__isnull=False).last()
    criterion = item.criterion
    assert item.title == criterion.text("text", "nl")[:200] or item.title.endswith("…")
    english = pdftotext(assessment_pdf(demo, "en"))
    dutch = pdftotext(assessment_pdf(demo, "nl"))
    assert criterion.text("text", "en")[:60] in english
    assert criterion.text("text", "nl")[:60] not in english
    assert criterion.text("text", "nl")[:60] in dutch
    # A title the consultant wrote stays theirs in both.
    assert "Publish the social media policy" in english
    assert "Publish the social media policy" in dutch


def remeasure(demo, consultant, levels: dict[str, int], reason: str):
    """Finalise the demo and measure again, half a year on, with consensus levels."""
    demo = assessment_finalise(assessment=demo)
    again = reassessment_start(
        previous=demo,
        version=demo.version,
        copy_answers=True,
        by=consultant,
        assessed_on=datetime.date(2027, 4, 20),
    )
    for score in again.scores.select_related("process"):
        if score.process.key in levels:
            score_save(
                score_id=score.pk,
                assessment_id=again.pk,
                by=consultant,
                values={
                    "override_level": levels[score.process.key],
                    "override_reason": reason,
                    "change_explanation": "A new team.",
                },
                scored=True,
            )
    return Assessment.objects.select_related("organisation").get(pk=again.pk)


def test_a_reassessment_shows_what_changed_and_a_trend_per_process(demo, consultant):
    again = remeasure(demo, consultant, {"sales": 4}, "The team agreed on it.")
    text = pdftotext(assessment_pdf(again, "en"))
    assert "Re-assessment, April 20, 2027" in text
    assert "What changed since Oct. 15, 2026 • Sales: level 2 → level 4" in text
    assert "Compared with the previous assessment" in text
    # One small chart per process, each with its first and last progress score (pdftotext
    # reads the grid of charts row by row: four names, then their four figures).
    trend = text[text.rindex("Trend The progress score") :]
    assert "Marketing Sales Werving & selectie Innovation 3.4 → 3.4 (0.0) · ambition 4 " in trend
    assert "2.5 → 4.0 (+1.5) · ambition 3" in trend


def test_the_workshops_suggested_reason_comes_out_in_the_language_of_the_report(demo, consultant):
    with translation.override("en"):  # set by a consultant working in English
        suggested = "Workshop consensus (4 votes, median 4)."
    again = remeasure(demo, consultant, {"sales": 4}, suggested)
    dutch = pdftotext(assessment_pdf(again, "nl"))
    assert "Consensus in de workshop (4 stemmen, mediaan 4)." in dutch
    assert "Workshop consensus" not in dutch
    own = "Agreed after a long discussion."
    sales = again.scores.get(process__key="sales")
    score_save(
        score_id=sales.pk, assessment_id=again.pk, by=consultant, values={"override_reason": own}
    )
    again.refresh_from_db()
    assert own in pdftotext(assessment_pdf(again, "nl"))


def test_the_radar_is_drawn_once_per_revision(demo):
    brand = brand_for(demo.organisation)
    key = radar_key(demo, "en", brand)
    render_report_pdf_html(demo, "en")
    assert caches["default"].get(key, "").startswith("data:image/svg+xml;base64,")
    marker = "data:image/svg+xml;base64,S2VwdA=="  # what the cache holds is used as it is
    caches["default"].set(key, marker)
    assert marker in render_report_pdf_html(demo, "en")
    bump_revision(demo.pk)
    demo.refresh_from_db()
    assert marker not in render_report_pdf_html(demo, "en")


def test_the_brand_is_on_the_cover_and_every_footer(demo):
    call_command("load_demo_brand", stdout=io.StringIO())
    pages = page_texts(assessment_pdf(demo, "en"))
    assert pages[0].startswith("Koster & Partners SOCIAL MEDIA GROWTH MATURITY REPORT")
    assert all(
        text.endswith(f"Koster & Partners Page {n} of {len(pages)}")
        for n, text in enumerate(pages, start=1)
    )

    # A name that would end a CSS string or rule in the margin box is text there, no more.
    ConsultancyBrand.objects.update(consultancy_name='K & P "}; @page { x')
    demo.refresh_from_db()
    pages = page_texts(assessment_pdf(demo, "en"))
    assert 'K & P "}; @page { x' in pages[1]


def test_css_strings_escape_everything_that_could_end_them():
    assert str(css_string('Koster "&" P;}</style>')) == (
        '"Koster \\22 \\26 \\22  P\\3b \\7d \\3c \\2f style\\3e "'
    )


def test_warm_up_renders_once_and_never_raises():
    assert warm_up() >= 0


def test_the_timeline_counts_items_per_quarter_and_joins_quarters_without():
    """Sales: one done item over Q1–Q2, one planned in Q2; HR: one done over Q6–Q8."""
    from reports.selectors import timeline_rows
    from roadmaps.models import RoadmapItem
    from roadmaps.quarters import quarter_range
    from roadmaps.selectors import ItemRow

    quarters = quarter_range(Quarter.of(2027, 1))

    def row(process, start, end, status="planned"):
        item = RoadmapItem(
            title="x",
            start_quarter=quarters[start].index,
            end_quarter=quarters[end].index,
            status=status,
        )
        return ItemRow(item, process, overdue=False, achieved=False, no_effect=False)

    groups = timeline_rows(
        [row("Sales", 0, 1, "done"), row("Sales", 1, 1), row("HR", 5, 7, "done")], quarters
    )
    cells = [
        (g["process"], [(c["count"], c["done"], c["span"]) for c in g["cells"]]) for g in groups
    ]
    assert cells == [
        ("Sales", [(1, True, 1), (2, False, 1), (0, False, 6)]),
        ("HR", [(0, False, 5), (1, True, 1), (1, True, 1), (1, True, 1)]),
    ]
    assert [str(entry["end"]) for entry in groups[0]["entries"]] == ["2027 Q2", "2027 Q2"]


def test_the_teams_votes_are_in_the_pdf_where_a_workshop_ran(demo, consultant):
    from workshops.models import Participant, Vote
    from workshops.services import session_start

    session = session_start(assessment=demo, by=consultant)
    sales = demo.scores.get(process__key="sales")
    for index, level in enumerate((2, 3, 3)):
        participant = Participant.objects.create(session=session, display_name=f"P{index}")
        Vote.objects.create(session=session, participant=participant, score=sales, level=level)
    bump_revision(demo.pk)
    demo.refresh_from_db()
    text = pdftotext(assessment_pdf(demo, "en"))
    team = text[text.rindex("Team view") : text.rindex("Level-3 baseline")]
    assert "Sales 1: 0 · 2: 1 · 3: 2 · 4: 0 · 5: 0" in team  # votes per level
    assert "2. Experimenting" in team  # the level the team settled on
