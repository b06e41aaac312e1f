"""The report's survey section: the page and the PDF share it."""

import io

from django.urls import reverse
from pypdf import PdfReader

from reports.pdf import assessment_pdf, report_key

from .conftest import make_responses
from .test_results import answered_in_two_groups, groups


def test_the_report_has_no_survey_section_without_answers(client, alice, survey):
    client.force_login(alice)
    page = client.get(reverse("reports:page", args=[survey.assessment_id])).content.decode()
    assert 'data-testid="report-survey"' not in page


def test_the_report_page_and_pdf_show_the_survey_section(client, alice, survey, baseline):
    scores = list(baseline.scores.order_by("order", "id"))
    answered_in_two_groups(survey, scores)
    client.force_login(alice)
    page = client.get(reverse("reports:page", args=[baseline.pk])).content.decode()
    assert 'data-testid="report-survey"' in page
    assert "management 4, staff 2" in page
    assert "too few answers to show" in page  # the processes nobody answered
    pdf = assessment_pdf(baseline, "en")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Pre-workshop survey" in text
    assert "management 4, staff 2" in text


def test_a_new_answer_changes_the_pdfs_key(survey, baseline):
    before = report_key(baseline, "en")
    make_responses(
        survey, 1, lambda i: {baseline.scores.first().pk: 3}, group=groups(survey)["staff"]
    )
    assert report_key(baseline, "en") != before
