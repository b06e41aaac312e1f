"""Live voting: codes, votes, closing, guessing, and what participants can see."""

import pytest
from django.urls import reverse

from accounts.models import Counter
from reports.tests.test_downloads import download
from workshops import services
from workshops.models import Participant, Vote
from workshops.stats import vote_stats


@pytest.fixture
def session(baseline, alice):
    baseline.scores.filter(process__key="marketing").update(notes="Secret consultant note")
    return services.session_start(assessment=baseline, by=alice)


def join(client, code, name="Pat", address="10.0.0.1"):
    return client.post(reverse("workshops:join"), {"code": code, "name": name}, REMOTE_ADDR=address)


def vote(client, session, level, score=None):
    """A vote on the process the participant's screen shows (the current one by default)."""
    if score is None:
        score = type(session).objects.get(pk=session.pk).current_id
    return client.post(
        reverse("workshops:vote", args=[session.code]), {"level": level, "score": score}
    )


@pytest.mark.parametrize(
    ("levels", "median", "spread", "wide"),
    [
        ([], None, None, False),
        ([3], 3, 0, False),
        ([2, 3, 3], 3, 1, False),
        ([1, 4], 2.5, 3, True),
        ([2, 4], 3, 2, True),  # level 3, not "3.0"
    ],
)
def test_vote_stats(levels, median, spread, wide):
    stats = vote_stats(levels, [1, 2, 3, 4, 5])
    assert (stats["median"], stats["spread"], stats["wide"], stats["count"]) == (
        median,
        spread,
        wide,
        len(levels),
    )
    assert sum(stats["distribution"].values()) == len(levels)
    assert type(stats["median"]) is (float if median == 2.5 else type(median))


def test_join_codes_are_random_and_unique_per_session(baseline, alice, organisation, smg_version):
    from assessments.services import assessment_start

    first = services.session_start(assessment=baseline, by=alice)
    assert services.session_start(assessment=baseline, by=alice) == first  # one open session
    other = services.session_start(
        assessment=assessment_start(organisation=organisation, version=smg_version, by=alice),
        by=alice,
    )
    assert first.code != other.code
    assert len(first.code) == 6


def test_participant_joins_without_account_and_votes(client, session):
    response = join(client, session.code.lower())
    assert response.status_code == 302
    assert response.url == reverse("workshops:participant", args=[session.code])
    page = client.get(response.url).content.decode()
    assert "Marketing" in page
    assert "3. Structured" in page
    assert "Secret consultant note" not in page
    assert vote(client, session, 3).status_code == 200
    assert Vote.objects.get().level == 3


def test_joining_again_from_the_same_browser_keeps_one_participant_and_one_vote(client, session):
    join(client, session.code, name="Pat")
    vote(client, session, 2)
    join(client, session.code, name="Pat")  # a reload of the join page, a second tap...
    join(client, session.code, name="")
    vote(client, session, 4)
    participants = Participant.objects.filter(session=session)
    assert [p.display_name for p in participants] == ["Pat"]
    assert list(Vote.objects.filter(session=session).values_list("level", flat=True)) == [4]


def test_a_shared_device_joined_under_another_name_adds_a_participant(client, session):
    """A tablet passed round the table: each person joins under their own name and votes."""
    join(client, session.code, name="Pat")
    vote(client, session, 2)
    join(client, session.code, name="Sam")
    vote(client, session, 4)
    votes = Vote.objects.filter(session=session).order_by("participant__joined_at", "pk")
    assert [(v.participant.display_name, v.level) for v in votes] == [("Pat", 2), ("Sam", 4)]


def test_another_browser_joins_as_another_participant(client, session):
    from django.test import Client

    join(client, session.code, name="Pat")
    join(Client(), session.code, name="Pat")
    assert Participant.objects.filter(session=session).count() == 2


def test_changing_a_vote_replaces_it(client, session):
    join(client, session.code)
    vote(client, session, 2)
    vote(client, session, 4)
    assert list(Vote.objects.values_list("level", flat=True)) == [4]


@pytest.mark.parametrize("code", ["WRONG1", "", "A" * 11])
def test_a_wrong_code_is_refused_with_a_message(client, session, code):
    response = join(client, code)
    assert response.status_code in {422, 404}
    assert Participant.objects.count() == 0
    if code:
        assert "does not belong to an open workshop" in response.content.decode() or (
            "at most" in response.content.decode()
        )


def test_a_closed_session_code_expires_and_accepts_nothing(client, session):
    join(client, session.code)
    services.session_close(session=session)
    response = vote(client, session, 3)
    assert response.status_code == 409
    assert "This workshop has ended" in response.content.decode()
    assert not Vote.objects.exists()
    other = type(client)()
    assert "does not belong to an open workshop" in join(other, session.code).content.decode()
    # The participant's page says it ended; a stranger is sent to the join page, as for any code.
    page = client.get(reverse("workshops:participant", args=[session.code]))
    assert page.status_code == 200
    assert "This workshop has ended" in page.content.decode()
    assert 'hx-trigger="every' not in page.content.decode()
    stranger = other.get(reverse("workshops:participant", args=[session.code]))
    assert stranger.status_code == 302
    assert stranger.url == reverse("workshops:join") + f"?code={session.code}"


def test_closing_ends_every_phone_at_its_next_poll_and_stops_its_polling(client, session):
    phones = [type(client)() for _ in range(2)]
    for index, phone in enumerate(phones):
        join(phone, session.code, name=f"P{index}", address=f"10.0.4.{index}")
    shown = session.revision
    services.session_close(session=session)
    for phone in phones:
        response = phone.get(
            reverse("workshops:participant_state", args=[session.code]), {"r": shown}
        )
        assert response.status_code == 286  # htmx: stop polling
        html = response.content.decode()
        assert "This workshop has ended" in html
        assert "hx-get" not in html


@pytest.mark.parametrize("how", ["cookie gone", "never joined", "unknown code"])
def test_a_phone_no_longer_in_the_workshop_is_told_to_join_again(client, session, how):
    """The same answer whether the code exists or not: nothing to learn by guessing codes."""
    code = "ZZZZZZ" if how == "unknown code" else session.code
    if how == "cookie gone":
        join(client, session.code)
        client.cookies.clear()
    state = client.get(reverse("workshops:participant_state", args=[code]), {"r": 1})
    assert state.status_code == 286
    html = state.content.decode()
    assert "You are no longer in this workshop — join again with the code." in html
    assert f'href="{reverse("workshops:join")}?code={code}"' in html
    assert "hx-get" not in html
    response = client.post(
        reverse("workshops:vote", args=[code]), {"level": 3, "score": session.current_id}
    )
    assert response.status_code == 409  # htmx swaps it in
    assert response.content.decode() == html
    assert not Vote.objects.exists()


def test_a_vote_for_a_process_no_longer_under_discussion_is_refused(client, session):
    join(client, session.code)
    shown = session.current_id
    services.session_next(session=session, score_id=shown)
    response = vote(client, session, 3, score=shown)
    assert response.status_code == 409
    assert "moved on to another process" in response.content.decode()
    assert not Vote.objects.exists()


def test_votes_after_voting_closes_are_refused(client, session):
    join(client, session.code)
    services.session_voting_set(session=session, score_id=session.current_id, open=False)
    response = vote(client, session, 3)
    assert response.status_code == 409
    assert "Voting on this process is closed" in response.content.decode()
    assert not Vote.objects.exists()


def test_a_participant_votes_only_in_the_session_they_joined(
    client, session, organisation, smg_version, alice
):
    from assessments.services import assessment_start

    join(client, session.code)
    other = services.session_start(
        assessment=assessment_start(organisation=organisation, version=smg_version, by=alice),
        by=alice,
    )
    response = vote(client, other, 3)
    assert response.status_code == 409
    assert "You are no longer in this workshop" in response.content.decode()
    assert not Vote.objects.exists()


@pytest.mark.parametrize(("level", "status"), [(0, 422), (6, 409), ("x", 422), ("", 422)])
def test_a_level_outside_the_model_is_refused(client, session, level, status):
    join(client, session.code)
    response = vote(client, session, level)
    assert response.status_code == status
    assert 'role="alert"' in response.content.decode()
    assert not Vote.objects.exists()


def test_a_cast_or_changed_vote_bumps_the_assessments_revision(client, session):
    """The report shows the team's votes and is cached by the assessment's revision."""
    from assessments.models import Assessment

    def revision():
        return Assessment.objects.get(pk=session.assessment_id).revision

    join(client, session.code)
    before = revision()
    vote(client, session, 2)
    assert revision() == before + 1
    vote(client, session, 2)  # the same vote again: nothing changed
    assert revision() == before + 1
    vote(client, session, 4)
    assert revision() == before + 2


def test_guessing_codes_is_rate_limited_per_address(client, session, settings):
    for attempt in range(settings.WORKSHOP_WRONG_CODES):
        assert join(client, f"BAD{attempt:03}").status_code == 404
    response = join(client, session.code)  # even the right code, while locked
    assert response.status_code == 429
    assert "Too many wrong codes" in response.content.decode()
    assert not Participant.objects.exists()
    assert join(client, session.code, address="10.0.0.2").status_code == 302  # another address
    assert Counter.objects.get(key="workshop-code:10.0.0.1").count == settings.WORKSHOP_WRONG_CODES


def test_behind_a_proxy_a_forged_forwarded_address_does_not_escape_the_join_limit(
    client, session, settings
):
    """The proxy appends the address it saw to X-Forwarded-For; what stands left of it is the
    client's own say, different on every guess here, and does not count."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1

    def join_via_proxy(code, *, forged, real):
        return client.post(
            reverse("workshops:join"),
            {"code": code, "name": "Pat"},
            REMOTE_ADDR="10.9.0.1",  # the proxy
            HTTP_X_FORWARDED_FOR=f"{forged}, {real}",
        )

    for attempt in range(settings.WORKSHOP_WRONG_CODES):
        guess = join_via_proxy(
            f"BAD{attempt:03}", forged=f"198.51.100.{attempt}", real="203.0.113.5"
        )
        assert guess.status_code == 404
    assert join_via_proxy(session.code, forged="203.0.113.6", real="203.0.113.5").status_code == 429
    # Another client behind the same proxy is not refused: the proxy's address is not counted.
    assert join_via_proxy(session.code, forged="203.0.113.5", real="203.0.113.6").status_code == 302
    counted = Counter.objects.filter(count__gt=0).values_list("key", flat=True)
    assert set(counted) == {"workshop-code:203.0.113.5"}


def test_polling_is_a_small_constant_number_of_queries(
    client, session, django_assert_max_num_queries
):
    join(client, session.code)
    url = reverse("workshops:participant_state", args=[session.code])
    with django_assert_max_num_queries(2):  # the browser's session, the participant
        assert client.get(url, {"r": session.revision}).status_code == 204
    with django_assert_max_num_queries(5):
        assert client.get(url, {"r": 0}).status_code == 200
    with django_assert_max_num_queries(12):
        assert vote(client, session, 3, score=session.current_id).status_code == 200
    services.session_close(session=session)
    with django_assert_max_num_queries(2):
        assert client.get(url, {"r": session.revision}).status_code == 286
    client.cookies.clear()
    # No participant: the code is counted against the address's wrong-code limit (and, being
    # right, taken back) in the counter's transaction.
    with django_assert_max_num_queries(12):
        assert client.get(url, {"r": session.revision}).status_code == 286


def test_participants_follow_the_consultant_to_the_next_process(client, session):
    join(client, session.code)
    url = reverse("workshops:participant_state", args=[session.code])
    revision = session.revision
    services.session_next(session=session, score_id=session.current_id)
    html = client.get(url, {"r": revision}).content.decode()
    assert "Sales" in html


def test_the_report_shows_the_team_view(client, session, alice):
    for index, level in enumerate((2, 3, 3)):
        phone = type(client)()
        join(phone, session.code, name=f"P{index}", address=f"10.0.2.{index}")
        vote(phone, session, level)
    client.force_login(alice)
    html = client.get(
        reverse("reports:page", args=[session.assessment_id]), {"lang": "en"}
    ).content.decode()
    assert "Team view" in html
    assert (
        '1: 0</span> · <span class="vote-cell">2: 1</span> · <span class="vote-cell">3: 2' in html
    )
    import io

    from pypdf import PdfReader

    pdf = download(client, reverse("reports:pdf", args=[session.assessment_id]), {"lang": "en"})
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split()
    )
    assert "Team view" in text
    assert "Marketing 1: 0 · 2: 1 · 3: 2 · 4: 0 · 5: 0 3 1" in text


def test_a_final_assessment_takes_no_more_votes(client, session):
    from assessments.models import Assessment
    from assessments.services import assessment_finalise

    join(client, session.code)
    assert vote(client, session, 2).status_code == 200
    assessment_finalise(assessment=Assessment.objects.get(pk=session.assessment_id))
    response = vote(client, session, 4)
    assert response.status_code == 409
    assert "This assessment is final; votes are no longer accepted." in response.content.decode()
    assert list(Vote.objects.values_list("level", flat=True)) == [2]
