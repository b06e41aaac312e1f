"""The respondents' pages: open link and personal invitation, bad input, closed and unknown
surveys, limits."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from assessments.models import Criterion, Level
from surveys.models import SurveyAnswer, SurveyInvitation, SurveyResponse
from surveys.services import invitations_create, survey_close

from .conftest import answer, groups_of


@pytest.fixture
def scores(baseline):
    return list(baseline.scores.select_related("process").order_by("order", "id"))


def test_the_page_shows_every_process_with_the_level_descriptions_in_the_language(
    client, survey, scores
):
    url = reverse("surveys:respond", args=[survey.token])
    page = client.get(url).content.decode()
    assert page.count('data-testid="survey-process"') == len(scores)
    level = Level.objects.filter(version=survey.assessment.version).order_by("number").first()
    assert level.description_en in page
    client.post(reverse("set_language"), {"language": "nl", "next": url})
    if level.description_nl:
        assert level.description_nl in client.get(url).content.decode()


def test_an_answer_is_saved_and_can_be_changed_until_the_survey_closes(survey, scores):
    browser = Client()
    first = scores[0]
    assert answer(survey, {first.pk: 2}, group="staff", client=browser).status_code == 200
    response = answer(survey, {first.pk: 3}, group="management", client=browser)
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    stored = SurveyResponse.objects.get(survey=survey)  # one response, the answer replaced
    assert stored.group.name == "management"
    assert list(stored.answers.values_list("level", flat=True)) == [3]
    survey_close(survey=survey)
    closed = answer(survey, {first.pk: 5}, client=browser)
    assert closed.status_code == 410
    assert "This survey is closed" in closed.content.decode()
    assert list(stored.answers.values_list("level", flat=True)) == [3]


def test_criteria_seen_met_are_kept_with_the_answer(survey, scores):
    first = scores[0]
    own = Criterion.objects.filter(version=survey.assessment.version, process=first.process)
    generic = Criterion.objects.filter(version=survey.assessment.version, process__isnull=True)
    ticked = [c.pk for c in (list(own[:1]) + list(generic[:1]))]
    assert answer(survey, {first.pk: 3}, criteria={first.pk: ticked}).status_code == 200
    saved = SurveyAnswer.objects.get(response__survey=survey)
    assert sorted(saved.criteria.values_list("pk", flat=True)) == sorted(ticked)


@pytest.mark.parametrize("bad", ["level", "criterion", "process", "nothing", "group"])
def test_bad_input_is_refused_with_a_message_and_nothing_saved(survey, scores, bad):
    first, second = scores[0], scores[1]
    data = {f"level_{first.pk}": 3}
    if bad == "level":
        data[f"level_{first.pk}"] = 99
    elif bad == "criterion":  # a criterion of another process
        other = Criterion.objects.filter(
            version=survey.assessment.version, process=second.process
        ).first()
        data[f"criteria_{first.pk}"] = [other.pk]
    elif bad == "process":  # a process that is not in scope
        data[f"level_{first.pk + 10_000}"] = 3
    elif bad == "nothing":
        data = {}
    elif bad == "group":
        data["group"] = max(groups_of(survey).values()) + 100
    response = Client().post(reverse("surveys:respond", args=[survey.token]), data)
    assert response.status_code == 422
    assert "alert" in response.content.decode() or "text-danger" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_an_unknown_link_says_so_and_wrong_links_are_rate_limited(db, settings):
    settings.WORKSHOP_WRONG_CODES = 3
    client = Client()
    for _ in range(3):
        response = client.get(reverse("surveys:respond", args=["no-such-survey"]))
        assert response.status_code == 404
        assert "Survey not found" in response.content.decode()
    assert client.get(reverse("surveys:respond", args=["again"])).status_code == 429
    assert client.get(reverse("surveys:invited", args=["x" * 43])).status_code == 429


def test_new_answers_through_the_open_link_are_limited_per_address(survey, scores, settings):
    settings.SURVEY_NEW_RESPONSES = 2
    first = scores[0]
    assert answer(survey, {first.pk: 2}).status_code == 200
    browser = Client()
    assert answer(survey, {first.pk: 3}, client=browser).status_code == 200
    refused = answer(survey, {first.pk: 4})
    assert refused.status_code == 429
    assert "Too many new answers" in refused.content.decode()
    assert answer(survey, {first.pk: 4}, client=browser).status_code == 200  # a change: fine
    assert SurveyResponse.objects.filter(survey=survey).count() == 2


def test_without_an_open_link_only_invitations_answer(survey, scores):
    survey.open_link = False
    survey.save(update_fields=["open_link"])
    assert answer(survey, {scores[0].pk: 2}).status_code == 404


def test_a_reused_invitation_link_cannot_answer_twice(survey, scores):
    (token,) = invitations_create(survey=survey, number=1)
    url = reverse("surveys:invited", args=[token])
    first = scores[0]
    assert Client().post(url, {f"level_{first.pk}": 2}).status_code == 200
    # Another browser, the same link: the same response, replaced, never a second one.
    assert Client().post(url, {f"level_{first.pk}": 4}).status_code == 200
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    response = SurveyResponse.objects.get(survey=survey)
    assert response.invitation == SurveyInvitation.objects.get()
    assert list(response.answers.values_list("level", flat=True)) == [4]
    survey_close(survey=survey)
    assert Client().post(url, {f"level_{first.pk}": 1}).status_code == 410


def test_the_consultant_mails_personal_links_and_keeps_no_address(client, alice, survey):
    client.force_login(alice)
    page = reverse("surveys:results", args=[survey.pk])
    assert "0 links sent so far." in client.get(page).content.decode()
    response = client.post(
        reverse("surveys:invite", args=[survey.pk]),
        {"emails": "dora@example.org, eve@example.org"},
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    assert {m.to[0] for m in mail.outbox} == {"dora@example.org", "eve@example.org"}
    link = next(line for line in mail.outbox[0].body.splitlines() if "/s/i/" in line)
    assert Client().get(link.strip()).status_code == 200
    assert SurveyInvitation.objects.filter(survey=survey).count() == 2
    assert "example.org" not in str(list(SurveyInvitation.objects.values()))
    assert "2 links sent so far." in client.get(page).content.decode()


def test_a_bad_address_is_refused(client, alice, survey):
    client.force_login(alice)
    invitations_create(survey=survey, number=1)
    response = client.post(reverse("surveys:invite", args=[survey.pk]), {"emails": "nope"})
    assert response.status_code == 422
    assert "1 link sent so far." in response.content.decode()  # the page as it was
    assert SurveyInvitation.objects.count() == 1


def test_a_phone_saving_through_htmx_gets_the_status_only_and_a_refusal_its_form_back(
    survey, scores
):
    import json
    import re

    first, second = scores[0], scores[1]
    phone = Client(headers={"HX-Request": "true"})
    url = reverse("surveys:respond", args=[survey.token])
    saved = phone.post(url, {f"level_{first.pk}": 4})
    assert saved.status_code == 200
    body = saved.content.decode()
    assert 'data-testid="survey-saved"' in body
    assert 'data-testid="survey-process"' not in body  # the phone's form stays as it is
    # Criteria ticked without a level: refused, the whole form back with what was typed.
    own = Criterion.objects.filter(version=survey.assessment.version, process=second.process)
    ticked = own.first().pk
    refused = phone.post(url, {f"level_{first.pk}": 5, f"criteria_{second.pk}": [ticked]})
    assert refused.status_code == 422
    assert refused["HX-Retarget"] == "#survey-answer"
    form = refused.content.decode()
    assert "Pick a level for the criteria you ticked." in form
    assert re.search(rf'name="criteria_{second.pk}" value="{ticked}" id="[^"]+" checked', form)
    assert 'value="5" checked' in form
    stored = SurveyAnswer.objects.get(response__survey=survey)
    assert stored.level == 4  # nothing of the refused answer was saved
    survey_close(survey=survey)
    closed = phone.post(url, {f"level_{first.pk}": 2})
    assert closed.status_code == 410
    event = json.loads(closed["HX-Trigger"])["app:error"]
    assert "This survey is closed" in event["message"]
    assert closed["HX-Reswap"] == "none"  # the form stays, with what the phone typed


def test_a_changed_answer_keeps_what_stays_and_replaces_the_rest(survey, scores):
    first, second, third = scores[0], scores[1], scores[2]
    own = list(
        Criterion.objects.filter(version=survey.assessment.version, process=first.process)[:2]
    )
    phone = Client()
    answer(survey, {first.pk: 2, second.pk: 3}, client=phone, criteria={first.pk: [own[0].pk]})
    kept = SurveyAnswer.objects.get(response__survey=survey, score=first)
    # Changed: the first's level and criteria, the second left out, the third new.
    answer(survey, {first.pk: 4, third.pk: 1}, client=phone, criteria={first.pk: [own[1].pk]})
    stored = SurveyResponse.objects.get(survey=survey)
    assert dict(stored.answers.values_list("score_id", "level")) == {first.pk: 4, third.pk: 1}
    assert SurveyAnswer.objects.get(pk=kept.pk).level == 4  # the same row, its level changed
    assert list(kept.criteria.values_list("pk", flat=True)) == [own[1].pk]
    assert not SurveyAnswer.criteria.through.objects.exclude(surveyanswer=kept).exists()


def test_an_answer_costs_as_many_queries_for_one_process_as_for_all(
    survey, scores, django_assert_max_num_queries
):
    def levels(run, count):
        return {score.pk: 1 + (run + n) % 5 for n, score in enumerate(scores[:count])}

    generic = Criterion.objects.filter(
        version=survey.assessment.version, process__isnull=True
    ).first()

    def ticked(count):
        return {score.pk: [generic.pk] for score in scores[:count]}

    phone = Client(headers={"HX-Request": "true"})
    answer(survey, levels(0, len(scores)), client=phone, criteria=ticked(len(scores)))
    for run, count in ((1, 1), (2, len(scores)), (3, len(scores))):
        # The link, the session, the form's scope and groups; the transaction, the checked
        # bump, the response, its answers read, replaced and their criteria written (and the
        # left-out ones deleted, three statements however many): never one per process.
        with django_assert_max_num_queries(17):
            response = answer(survey, levels(run, count), client=phone, criteria=ticked(count))
        assert response.status_code == 200
    assert dict(SurveyResponse.objects.get().answers.values_list("score_id", "level")) == levels(
        3, len(scores)
    )


def test_an_address_over_its_limit_of_wrong_links_is_refused_a_right_link_too(
    survey, scores, settings
):
    settings.WORKSHOP_WRONG_CODES = 2
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(2):
        assert guesser.get(reverse("surveys:respond", args=["wrong-link"])).status_code == 404
    right = reverse("surveys:respond", args=[survey.token])
    assert guesser.get(right).status_code == 429
    assert answer(survey, {scores[0].pk: 3}, client=guesser).status_code == 429
    assert not SurveyResponse.objects.exists()
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")  # another address is not held up
    assert elsewhere.get(right).status_code == 200
