"""What the consultant sees: the results page, the grid's figures and order, the export; the
group minimum; query counts that do not grow with the respondents."""

import io
import re

import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse

from surveys.models import SurveyGroup
from surveys.selectors import survey_results

from .conftest import answer, make_responses


@pytest.fixture
def scores(baseline):
    return list(baseline.scores.select_related("process").order_by("order", "id"))


def groups(survey):
    return {g.name: g for g in SurveyGroup.objects.filter(survey=survey)}


def answered_in_two_groups(survey, scores):
    """Management sees 4 for the first process, staff see 2; everyone agrees on 3 for the
    second process."""
    first, second = scores[0].pk, scores[1].pk
    make_responses(survey, 3, lambda i: {first: 4, second: 3}, group=groups(survey)["management"])
    make_responses(survey, 3, lambda i: {first: 2, second: 3}, group=groups(survey)["staff"])


def test_results_show_distribution_median_spread_n_and_the_perception_gap(
    client, alice, survey, scores
):
    answered_in_two_groups(survey, scores)
    first = dict(survey_results(survey).processes)[scores[0]]
    assert (first.overall.n, first.overall.median, first.overall.distribution) == (
        6,
        3,
        {2: 3, 4: 3},
    )
    assert first.gap.size == 2
    assert (first.gap.high_group, first.gap.low_group) == ("management", "staff")
    client.force_login(alice)
    page = client.get(reverse("surveys:results", args=[survey.pk])).content.decode()
    assert "management 4" in page
    assert "staff 2" in page


def test_a_group_below_the_minimum_shows_no_figures(client, bob, survey, scores):
    first = scores[0].pk
    make_responses(survey, 3, lambda i: {first: 4}, group=groups(survey)["management"])
    make_responses(survey, 2, lambda i: {first: 1}, group=groups(survey)["staff"])
    result = dict(survey_results(survey).processes)[scores[0]]
    by_group = dict(result.groups)
    assert by_group["management"].shown
    assert by_group["management"].median == 4
    assert not by_group["staff"].shown
    assert by_group["staff"].median is None
    assert result.gap is None  # no gap with a group that shows nothing
    client.force_login(bob)  # the client's manager: figures only, never an answer
    page = client.get(reverse("surveys:results", args=[survey.pk])).content.decode()
    assert "too few to show" in page
    assert "surveys:export" not in page
    assert "export.xlsx" not in page
    assert client.get(reverse("surveys:export", args=[survey.pk])).status_code == 403


def test_a_survey_asks_at_least_three_per_group(baseline, alice):
    from django.core.exceptions import ValidationError

    from surveys.services import survey_open

    with pytest.raises(ValidationError):
        survey_open(assessment=baseline, groups=[], min_group=2, open_link=True, by=alice)


def test_the_grid_shows_the_figures_and_orders_rows_by_disagreement(client, alice, survey, scores):
    answered_in_two_groups(survey, scores)
    client.force_login(alice)
    url = reverse("assessments:grid", args=[survey.assessment_id])
    page = client.get(url).content.decode()
    assert 'data-testid="survey-median"' in page
    assert "perception gap 2" in page
    # Ties (the agreed second process, the unanswered ones) keep the model's order.
    ordered = client.get(url + "?order=disagreement").content.decode()
    assert ordered.index(f'id="score-{scores[0].pk}"') < ordered.index(f'id="score-{scores[1].pk}"')
    # A contested last process moves ahead of the agreed second one.
    last = scores[-1].pk
    make_responses(survey, 4, lambda i: {last: 1 if i % 2 else 5})
    ordered = client.get(url + "?order=disagreement").content.decode()
    assert ordered.index(f'id="score-{last}"') < ordered.index(f'id="score-{scores[1].pk}"')
    plain = client.get(url).content.decode()
    assert plain.index(f'id="score-{scores[1].pk}"') < plain.index(f'id="score-{last}"')


def test_the_grid_figures_follow_every_answer(client, alice, survey, scores):
    """The rows are kept under the assessment's revision; the figures are not stale."""
    from .conftest import answer

    client.force_login(alice)
    url = reverse("assessments:grid", args=[survey.assessment_id])
    first = scores[0].pk
    for level in (2, 2, 2):
        answer(survey, {first: level})
    assert "median 2" in client.get(url).content.decode().replace("Md 2", "median 2")
    for level in (5, 5, 5, 5):
        answer(survey, {first: level})
    assert "Md 5" in client.get(url).content.decode()
    # The rows' figures are kept rendered: per language, never the last reader's.
    client.post(reverse("set_language"), {"language": "nl", "next": url})
    dutch = client.get(url).content.decode()
    assert 'data-testid="survey-row"' in dutch
    assert "Enquête:" in dutch
    assert "Survey:" not in dutch


@pytest.mark.parametrize("respondents", [10, 2000])
def test_query_counts_do_not_grow_with_the_respondents(
    client, alice, survey, scores, respondents, django_assert_num_queries
):
    staff = groups(survey)["staff"]
    pks = [s.pk for s in scores]
    make_responses(
        survey,
        respondents,
        lambda i: {pk: 1 + (i + n) % 5 for n, pk in enumerate(pks)},
        group=staff,
    )
    client.force_login(alice)
    grid = reverse("assessments:grid", args=[survey.assessment_id])
    results = reverse("surveys:results", args=[survey.pk])
    client.get(grid)  # the catalogue and the rows are kept from now on
    with django_assert_num_queries(4):  # session, user, assessment with its survey, brand
        assert client.get(grid).status_code == 200
    type(survey).objects.filter(pk=survey.pk).update(revision=F("revision") + 1)  # an answer
    with django_assert_num_queries(7):  # + the survey, its groups, the counted answers
        assert client.get(grid).status_code == 200
    with django_assert_num_queries(10):  # + the criteria seen met, counted
        assert client.get(results).status_code == 200
    with django_assert_num_queries(12):
        response = client.get(reverse("surveys:export", args=[survey.pk]))
    assert response.status_code == 200


def test_the_export_is_anonymous(client, alice, survey, scores):
    from openpyxl import load_workbook

    first = scores[0].pk
    make_responses(survey, 3, lambda i: {first: 3}, group=groups(survey)["management"])
    make_responses(survey, 2, lambda i: {first: 1}, group=groups(survey)["staff"])
    client.force_login(alice)
    response = client.get(reverse("surveys:export", args=[survey.pk]))
    sheet = load_workbook(io.BytesIO(response.content))["Answers"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 5
    assert {row[1] for row in rows} == {"management", None}  # staff (2) below the minimum
    respondents = {row[0] for row in rows}
    assert respondents == {1, 2, 3, 4, 5}
    assert not any("r0" in str(cell) for row in rows for cell in row)


def test_the_criteria_respondents_see_met_show_with_their_share_above_the_minimum(
    client, alice, survey, scores, django_assert_max_num_queries
):
    from django.utils.html import escape

    from surveys.models import SurveyAnswer

    first = scores[0]
    criteria = [
        c
        for c in first.assessment.version.criteria.all()
        if c.process_id in (None, first.process_id)
    ][:2]
    staff = groups(survey)["staff"]
    url = reverse("surveys:results", args=[survey.pk])
    client.force_login(alice)

    def tick(responses, chosen):
        for response in responses:
            answer = SurveyAnswer.objects.get(response=response, score=first)
            answer.criteria.set(chosen)

    two = make_responses(survey, 2, lambda i: {first.pk: 3}, group=staff)
    tick(two, criteria[:1])
    assert escape(criteria[0].statement) not in client.get(url).content.decode()  # 2 < 3
    more = make_responses(survey, 2, lambda i: {first.pk: 3}, group=staff)
    tick(more[:1], criteria)
    with django_assert_max_num_queries(15):  # as without criteria: one query counts them all
        html = client.get(url).content.decode()
    assert "75%" in html  # criterion 0: 3 of the 4 who answered
    assert "25%" in html  # criterion 1: 1 of 4
    first_seen, second_seen = (escape(c.statement) for c in criteria)
    assert html.index(first_seen) < html.index(second_seen)


def test_the_results_are_counted_once_per_answer_and_never_stale(
    client, alice, survey, scores, django_assert_max_num_queries
):
    first = scores[0]
    staff = groups(survey)["staff"]
    make_responses(survey, 3, lambda i: {first.pk: 2}, group=staff)
    client.force_login(alice)
    url = reverse("surveys:results", args=[survey.pk])
    assert "Md 2" in client.get(url).content.decode()
    with django_assert_max_num_queries(5):  # looked at again: nothing counted anew
        assert "Md 2" in client.get(url).content.decode()
    make_responses(survey, 4, lambda i: {first.pk: 5}, group=staff)  # bumps the revision
    assert "Md 5" in client.get(url).content.decode()


def test_an_admin_edit_of_the_minimum_shows_at_once(client, alice, make_user, survey, scores):
    first = scores[0].pk
    for _ in range(3):
        answer(survey, {first: 2}, group="staff")
    client.force_login(alice)
    page = reverse("surveys:results", args=[survey.pk])

    def staff_cell():  # the first process's cells: management, then staff
        return re.findall(r'data-testid="survey-group">(.*?)</td>', client.get(page).text)[1]

    assert "n=3" in staff_cell()
    admin = make_user("root", is_staff=True, is_superuser=True)
    admin_client = Client()
    admin_client.force_login(admin)
    groups = list(survey.groups.order_by("order"))
    data = {
        "assessment": survey.assessment_id,
        "open_link": "on",
        "min_group": 4,
        "groups-TOTAL_FORMS": len(groups),
        "groups-INITIAL_FORMS": len(groups),
        "groups-MIN_NUM_FORMS": 0,
        "groups-MAX_NUM_FORMS": 1000,
    }
    for n, group in enumerate(groups):
        data |= {
            f"groups-{n}-id": group.pk,
            f"groups-{n}-survey": survey.pk,
            f"groups-{n}-name": group.name,
            f"groups-{n}-order": group.order,
        }
    edited = admin_client.post(reverse("admin:surveys_survey_change", args=[survey.pk]), data)
    assert edited.status_code == 302, edited.content.decode()[:2000]
    # Three staff answers, a minimum of four now: the staff's figures no longer show.
    assert "too few to show" in staff_cell()
