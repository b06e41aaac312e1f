"""Maturity reports: a real PDF (WeasyPrint) read back with pypdf, the HTML page, safety. The
download view queues the PDF for a background worker (reports/tasks.py, tested there); these
tests render it as the worker does, with `assessment_pdf`."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from assessments.models import AspectCheck, Assessment, DvoAspect, Membership
from assessments.selectors import assessment_results
from reports.fetcher import StaticOnlyFetcher
from reports.pdf import assessment_pdf, cached_assessment_pdf, report_filename


def pdf_text(content: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(text.split()), reader


@pytest.fixture
def demo(demo_data):
    assessment = Assessment.objects.select_related("organisation").get()
    AspectCheck.objects.create(
        assessment=assessment,
        aspect=DvoAspect.DATA_ESCROW,
        status=AspectCheck.Status.MISSING,
        note="No agreement with the platform yet",
    )
    return assessment


@pytest.fixture
def manager_client(client, demo):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="manager"))
    return client


def test_pdf_of_the_scored_demo_holds_every_process_condition_and_aspect(demo):
    assert report_filename(demo, "en") == "dvo-report-demo-retail-bv-2026-10-15-en.pdf"
    text, reader = pdf_text(assessment_pdf(demo, "en"))
    assert len(reader.pages) > 1
    assert "Demo Retail BV" in text
    _catalogue, results = assessment_results(demo)
    for item in results:
        ambition = str(item.ambition) if item.ambition else "—"
        if item.is_scored:
            row = f"{item.score.display_name} {item.level} {item.result.progress:.1f} {ambition}"
        else:  # never level 1
            row = f"{item.score.display_name} not scored — {ambition}"
        assert row in text, row
    assert "Not scored yet: Production, Internal collaboration." in text
    for label in ("Policy", "Platforms", "Training"):
        assert label in text
    assert "described, communicated, periodically measured and adjusted" in text
    for aspect in DvoAspect:
        assert str(aspect.label) in text
    assert "Not in place No agreement with the platform yet" in text
    assert "Largest gaps" in text
    assert "Business process Level now Ambition Gap Innovation 1 4 3" in text


def test_dutch_pdf_is_dutch(demo):
    text, _reader = pdf_text(assessment_pdf(demo, "nl"))
    for dutch in ("Samenvatting", "Resultaten per proces", "3. Gestructureerd", "Beleid"):
        assert dutch in text, dutch
    assert "beschreven, uitgedragen, periodiek gemeten" in text
    assert "Data-escrow" in text
    assert "Summary" not in text


def test_html_report_shows_the_same_sections(manager_client, demo):
    html = manager_client.get(reverse("reports:page", args=[demo.pk]), {"lang": "en"}).content
    html = html.decode()
    for section in ("Summary", "Results per process", "Level-3 baseline", "The five DVO aspects"):
        assert section in html
    assert 'data-figure="report-radar-figure"' in html
    assert 'id="report-radar-figure"' in html
    assert "Download PDF" in html
    assert "Mark final" not in html


@pytest.mark.parametrize(("language", "date"), [("en", "Oct. 15, 2026"), ("nl", "15 oktober 2026")])
def test_page_and_pdf_show_the_date_in_the_report_language(manager_client, demo, language, date):
    page = manager_client.get(reverse("reports:page", args=[demo.pk]), {"lang": language})
    html = page.content.decode()
    with translation.override(language):
        cover = f"{demo.get_kind_display().capitalize()}, {date}"
    assert cover in html
    text, _reader = pdf_text(assessment_pdf(demo, language))
    assert cover in text  # on the cover and in every page's header
    assert text.count(date) >= 3
    for other in ("2026-10-15", "10/15/2026", "15-10-2026"):
        assert other not in html
        assert other not in text


MALICIOUS = (
    '<img src="file:///etc/passwd"> <link rel="attachment" href="file:///etc/passwd"> '
    '<img src="http://127.0.0.1:9/tracker.png"> <script>alert(1)</script>'
)


def test_a_malicious_note_is_text_and_fetches_nothing(manager_client, demo):
    demo.scores.filter(process__key="marketing").update(notes=MALICIOUS)
    html = manager_client.get(reverse("reports:page", args=[demo.pk]), {"lang": "en"}).content
    assert b"&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html
    assert b'<img src="file:///etc/passwd">' not in html
    assert b"<script>alert(1)</script>" not in html

    fetcher = StaticOnlyFetcher()
    content = assessment_pdf(demo, "en", fetcher)
    text, reader = pdf_text(content)
    assert '<img src="file:///etc/passwd">' in text  # shown as the text it is
    assert "root:" not in text
    assert fetcher.refused == []  # escaped: nothing was even tried
    assert reader.attachments == {}


TINY_SVG = "PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciLz4="


def test_the_fetcher_refuses_everything_but_data_and_our_static_files(settings, tmp_path):
    from weasyprint import HTML

    fetcher = StaticOnlyFetcher()
    static = settings.STATICFILES_DIRS[0]
    outside = f"file://{static}/../manage.py"
    html = (
        '<img src="file:///etc/passwd"><link rel="attachment" href="file:///etc/passwd">'
        f'<img src="http://127.0.0.1:9/x.png"><link rel="stylesheet" href="{outside}">'
        '<img src="https://example.org/logo.png">'
        f'<img src="file://{static}/favicon.svg">'
        f'<img src="data:image/svg+xml;base64,{TINY_SVG}">'
    )
    content = HTML(string=html, url_fetcher=fetcher).write_pdf()
    reader = PdfReader(io.BytesIO(content))
    assert reader.attachments == {}
    assert sorted(fetcher.refused) == sorted(
        [
            "file:///etc/passwd",
            "file:///etc/passwd",
            "http://127.0.0.1:9/x.png",
            outside,
            "https://example.org/logo.png",
        ]
    )


def test_both_renderings_draw_the_same_chart_data(demo):
    from assessments.charts import radar_data, radar_figure
    from reports import svg

    catalogue, results = assessment_results(demo)
    data = radar_data(demo, catalogue, results, previous={"marketing": 2.0})
    plotly = radar_figure(data)
    matplotlib = svg.radar_figure(data)
    ax = matplotlib.axes[0]
    lines = {line.get_gid(): line for line in ax.get_lines()}
    assert [trace["meta"] for trace in plotly["data"]] == ["previous", "current", "ambition"]
    for series, trace in zip(data["series"], plotly["data"], strict=True):
        values = series["values"]
        assert trace["r"][:-1] == values
        assert trace["name"] == series["name"]
        assert trace["line"]["color"] == series["colour"]
        line = lines[series["key"]]
        drawn = [None if value != value else value for value in line.get_ydata()[:-1]]
        assert drawn == values
        assert line.get_label() == series["name"]
        assert line.get_color() == series["colour"]
    labels = [label.get_text().replace("\n", " ") for label in ax.get_xticklabels()]
    plotly_labels = [theta.replace("<br>", " ") for theta in plotly["data"][0]["theta"][:-1]]
    assert labels == data["axes"] == [re.sub("&amp;", "&", t) for t in plotly_labels]
    assert list(ax.get_ylim()) == plotly["layout"]["polar"]["radialaxis"]["range"] == data["range"]


def test_manager_start_page_shows_radar_and_download_without_edit_controls(manager_client, demo):
    html = manager_client.get("/").content.decode()
    assert 'data-testid="home-radar"' in html
    assert reverse("reports:pdf", args=[demo.pk]) in html
    for control in ("New organisation", "Mark final", "Delete draft", "Start a baseline"):
        assert control not in html


def test_aspects_are_saved_and_refused_when_bad(client, alice, baseline):
    client.force_login(alice)
    url = reverse("assessments:aspects", args=[baseline.pk])
    data = {f"{aspect.value}-status": "not-assessed" for aspect in DvoAspect}
    data.update({f"{aspect.value}-revision": 0 for aspect in DvoAspect})
    data.update({"privacy-ip-status": "partial", "privacy-ip-note": "DPIA running"})
    assert client.post(url, data).status_code == 302
    check = AspectCheck.objects.get(assessment=baseline, aspect="privacy-ip")
    assert (check.status, check.note, check.updated_by) == ("partial", "DPIA running", alice)

    bad = {**data, "privacy-ip-status": "perfect", "privacy-ip-note": "x" * 2001}
    response = client.post(url, bad)
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert "at most 2000 characters" in response.content.decode()
    check.refresh_from_db()
    assert (check.status, check.note) == ("partial", "DPIA running")


@pytest.mark.parametrize("processes", [3, 30])
def test_report_page_queries_do_not_grow_with_processes(
    client, make_big_assessment, django_assert_max_num_queries, processes
):
    assessment = make_big_assessment(processes)
    client.force_login(assessment.created_by)
    # The brand (consultancy and client, two queries) and the site's brand in the page's head;
    # whether the organisation takes part in the peer benchmark (one).
    with django_assert_max_num_queries(18):
        response = client.get(reverse("reports:page", args=[assessment.pk]))
    assert response.content.decode().count('class="report-process"') == processes


def test_a_manager_of_another_organisation_gets_404_for_reports(client, demo):
    from django.contrib.auth import get_user_model

    from assessments.services import organisation_create

    other = organisation_create(name="Other", report_language="en", processes=[])
    outsider = get_user_model().objects.create_user("frank", password="pw")
    Membership.objects.create(organisation=other, user=outsider, role="manager")
    client.force_login(outsider)
    for name in ("reports:page",):
        assert client.get(reverse(name, args=[demo.pk])).status_code == 404


def test_the_pdf_of_an_assessment_with_a_roadmap_has_the_roadmap_section(demo, manager_client):
    from roadmaps.quarters import Quarter
    from roadmaps.services import roadmap_create, roadmap_draft

    roadmap = roadmap_create(assessment=demo, start=Quarter.of(2027, 1))
    roadmap_draft(roadmap=roadmap, by=demo.created_by)
    item = roadmap.items.order_by("start_quarter", "pk").first()
    item.title, item.owner, item.status, item.is_proposal = (
        "Publish the social media policy",
        "Marketing lead",
        "done",
        False,
    )
    item.save()
    text, _reader = pdf_text(assessment_pdf(demo, "en"))
    assert "Roadmap" in text
    assert "year 1 and year 2: 2027 Q1 – 2028 Q4" in text
    assert "2027 Q1 Publish the social media policy Marketing lead · Done" in text
    for quarter in ("2027 Q1", "2027 Q4", "2028 Q4"):
        assert quarter in text
    page = manager_client.get(reverse("reports:page", args=[demo.pk]), {"lang": "en"})
    html = page.content.decode()
    assert "At a glance: deliverables running per quarter" in html  # the quarter grid
    assert "Publish the social media policy" in html
    assert "Publish the social media policy" in page.content.decode()


def test_the_excel_export_has_scores_criteria_and_roadmap_and_no_formulas(manager_client, demo):
    from openpyxl import load_workbook

    from roadmaps.quarters import Quarter
    from roadmaps.services import roadmap_create, roadmap_draft

    demo.scores.filter(process__key="marketing").update(notes="=SUM(A1:A9)")
    roadmap_draft(roadmap=roadmap_create(assessment=demo, start=Quarter.of(2027, 1)), by=None)
    response = manager_client.get(reverse("reports:xlsx", args=[demo.pk]), {"lang": "en"})
    assert response["Content-Disposition"] == (
        'attachment; filename="dvo-assessment-demo-retail-bv-2026-10-15-en.xlsx"'
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Scores", "Criteria", "Roadmap"]
    scores = list(workbook["Scores"].values)
    assert scores[0][:3] == ("Business process", "Level", "Progress score")
    _catalogue, results = assessment_results(demo)
    assert [row[0] for row in scores[1:]] == [item.score.display_name for item in results]
    marketing = next(row for row in scores if row[0] == "Marketing")
    assert marketing[10] == "'=SUM(A1:A9)"
    criteria = list(workbook["Criteria"].values)
    assert len(criteria) - 1 == sum(
        len(_catalogue.applicable_to(i.score.process_id)) for i in results
    )
    met = sum(1 for row in criteria[1:] if row[6] == "yes")
    assert met == sum(len(item.met_ids) for item in results)
    assert workbook["Roadmap"].max_row == demo.roadmap.items.count() + 1


def test_a_pdf_is_reused_until_something_it_shows_changes(demo, django_assert_max_num_queries):
    from assessments.services import score_save

    first = cached_assessment_pdf(demo, "en")
    # the revisions, the peer benchmark's, the brand (two), the cache
    with django_assert_max_num_queries(5):
        again = cached_assessment_pdf(demo, "en")
    assert again == first

    sales = demo.scores.get(process__key="sales")
    consultant = demo.organisation.memberships.get(role="consultant").user
    score_save(
        assessment_id=demo.pk,
        score_id=sales.pk,
        by=consultant,
        values={"notes": "A brand new observation"},
    )
    demo.refresh_from_db()
    changed = cached_assessment_pdf(demo, "en")
    assert changed != first
    assert "A brand new observation" in pdf_text(changed)[0]
    dutch = cached_assessment_pdf(demo, "nl")
    assert dutch != changed

    # The roadmap shows in the report too: a new one, then a change of it.
    from roadmaps.quarters import Quarter
    from roadmaps.services import item_create, item_save, roadmap_create

    roadmap = roadmap_create(assessment=demo, start=Quarter.of(2027, 1))
    item = item_create(
        roadmap=roadmap,
        values={
            "title": "A first deliverable",
            "start_quarter": roadmap.start_quarter,
            "end_quarter": roadmap.start_quarter,
        },
        by=consultant,
    )
    assert "A first deliverable" in pdf_text(cached_assessment_pdf(demo, "en"))[0]
    item_save(
        item=item,
        values={"title": "A renamed deliverable"},
        base_revision=item.revision,
        by=consultant,
    )
    text = pdf_text(cached_assessment_pdf(demo, "en"))[0]
    assert "A renamed deliverable" in text


def test_finalising_drops_the_draft_mark_and_odd_names_render(demo):
    from assessments.services import assessment_finalise, bump_revision

    draft = pdf_text(assessment_pdf(demo, "en"))[0]
    assert "Draft — not final" in draft
    demo = assessment_finalise(assessment=demo)
    final = pdf_text(assessment_pdf(demo, "en"))[0]
    assert "Draft — not final" not in final
    assert "Status Final" in final

    sales = demo.scores.get(process__key="sales")
    sales.custom_name = "Sales $\\x$ _team <b>"  # TeX, a hidden-label underscore, markup
    sales.save()
    bump_revision(demo.pk)
    demo.refresh_from_db()
    text = pdf_text(assessment_pdf(demo, "en"))[0]
    assert "Sales $\\x$ _team <b>" in text


def test_criteria_that_do_not_apply_show_in_the_report_and_the_export(manager_client, demo):
    """Sales: the level-3 policy condition does not apply (with its reason), and every
    level-5 criterion is excluded, so level 5 has nothing left to meet: the report says so."""
    from assessments.services import score_save

    sales = demo.scores.get(process__key="sales")
    version = demo.version
    policy = version.criteria.get(key="l3-policy")
    level_five = [
        c
        for c in version.criteria.filter(level__number=5)
        if c.process_id in (None, sales.process_id)
    ]
    consultant = demo.organisation.memberships.get(role="consultant").user
    score_save(
        assessment_id=demo.pk,
        score_id=sales.pk,
        by=consultant,
        values={
            "not_applicable": {
                policy.pk: "Group policy covers it",
                **{c.pk: "Out of scope here" for c in level_five},
            }
        },
    )
    html = manager_client.get(reverse("reports:page", args=[demo.pk]), {"lang": "en"}).content
    html = html.decode()
    assert "Group policy covers it" in html
    assert 'data-testid="report-empty-level"' in html
    assert "Level 5 has no applicable criterion left for this process" in html
    baseline_rows = html[html.index('data-testid="report-baseline"') :]
    assert ">does not apply</td>" in baseline_rows

    text, _reader = pdf_text(assessment_pdf(demo, "en"))
    assert "Does not apply:" in text
    assert "Group policy covers it" in text

    from openpyxl import load_workbook

    response = manager_client.get(reverse("reports:xlsx", args=[demo.pk]), {"lang": "en"})
    criteria = list(load_workbook(io.BytesIO(response.content))["Criteria"].values)
    row = next(r for r in criteria if r[0] == "Sales" and r[3] == "l3-policy")
    assert row[6:8] == ("does not apply", "Group policy covers it")
