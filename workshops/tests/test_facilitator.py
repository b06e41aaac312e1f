"""The consultant's screen: one URL and one form per action, no anchoring before the reveal,
the consensus in the consultant's words, and the workshop feeding the grid."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment, ProcessScore
from assessments.selectors import catalogue_for
from assessments.services import score_save
from workshops import services
from workshops.models import WorkshopSession


@pytest.fixture
def session(baseline, alice):
    return services.session_start(assessment=baseline, by=alice)


@pytest.fixture
def consultant(client, alice):
    client.force_login(alice)
    return client


def fresh(session) -> WorkshopSession:
    return WorkshopSession.objects.get(pk=session.pk)


def state(session) -> tuple:
    row = fresh(session)
    return (row.revision, row.current_id, row.voting_open, row.revealed, row.show_names)


def url(name, session) -> str:
    return reverse(f"workshops:{name}", args=[session.pk])


def phones_vote(session, *levels):
    """One phone per level, each joining and voting on the process under discussion."""
    for index, level in enumerate(levels):
        phone = Client()
        phone.post(
            reverse("workshops:join"),
            {"code": session.code, "name": f"P{index}"},
            REMOTE_ADDR=f"10.0.3.{index}",
        )
        response = phone.post(
            reverse("workshops:vote", args=[session.code]),
            {"level": level, "score": fresh(session).current_id},
        )
        assert response.status_code == 200


def facilitator_screen(consultant, session) -> str:
    response = consultant.get(reverse("workshops:facilitate", args=[session.assessment_id]))
    assert response.status_code == 200
    return response.content.decode()


# --- one URL per action --------------------------------------------------------------------


def test_each_action_changes_what_it_names(consultant, session):
    first = session.current_id
    second = session.assessment.scores.order_by("order", "id")[1].pk
    steps = [
        ("close_voting", {"score": first}, {"voting_open": False}),
        ("open_voting", {"score": first}, {"voting_open": True}),
        ("reveal", {"score": first}, {"revealed": True, "voting_open": False}),
        ("hide", {"score": first}, {"revealed": False}),
        ("names", {"show": "on"}, {"show_names": True}),
        ("names", {"show": "off"}, {"show_names": False}),
        ("next", {"score": first}, {"current_id": second, "voting_open": True}),
        ("select", {"score": first}, {"current_id": first}),
    ]
    for name, data, expected in steps:
        revision = fresh(session).revision
        response = consultant.post(url(name, session), data)
        assert response.status_code == 302, name
        assert response.url == reverse("workshops:facilitate", args=[session.assessment_id])
        row = fresh(session)
        assert {field: getattr(row, field) for field in expected} == expected, name
        assert row.revision == revision + 1, name


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("select", {}, "Choose a process of this assessment."),
        ("select", {"score": "x"}, "Choose a process of this assessment."),
        ("next", {}, "No process was shown."),
        ("open_voting", {"score": "x"}, "No process was shown."),
        ("close_voting", {"score": "-1"}, "No process was shown."),
        ("reveal", {}, "No process was shown."),
        ("hide", {"score": ""}, "No process was shown."),
        ("names", {"show": "maybe"}, "Select a valid choice."),
        ("names", {}, "Say whether to show the names."),
        ("consensus", {"level": 2, "reason": "R"}, "No process was shown."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(
    consultant, session, name, data, message
):
    before = state(session)
    response = consultant.post(url(name, session), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert 'data-testid="current-process"' in response.content.decode()  # the screen as it is
    assert state(session) == before


def test_a_process_of_another_assessment_cannot_be_put_under_discussion(
    consultant, session, alice, organisation, smg_version
):
    from assessments.services import assessment_start

    other = assessment_start(organisation=organisation, version=smg_version, by=alice)
    before = state(session)
    response = consultant.post(url("select", session), {"score": other.scores.first().pk})
    assert response.status_code == 422
    assert "Choose a process of this assessment." in response.content.decode()
    assert state(session) == before


@pytest.mark.parametrize("name", ["next", "open_voting", "close_voting", "reveal", "hide"])
def test_an_action_meant_for_a_process_no_longer_under_discussion_is_refused(
    consultant, session, name
):
    """A second tab moved on: the button of the first still names the process it showed."""
    shown = session.current_id
    services.session_next(session=session, score_id=shown)
    before = state(session)
    response = consultant.post(url(name, session), {"score": shown})
    assert response.status_code == 422
    assert "The process under discussion changed meanwhile" in response.content.decode()
    assert state(session) == before


def test_next_clicked_twice_on_one_screen_moves_on_once(consultant, session):
    scores = list(session.assessment.scores.order_by("order", "id").values_list("pk", flat=True))
    for _click in range(2):
        consultant.post(url("next", session), {"score": scores[0]})
    assert fresh(session).current_id == scores[1]


def test_next_after_the_last_process_says_so(consultant, session):
    last = session.assessment.scores.order_by("order", "id").last()
    services.session_select(session=session, score=last)
    response = consultant.post(url("next", session), {"score": last.pk})
    assert response.status_code == 422
    assert "This was the last process." in response.content.decode()


def test_closing_ends_the_workshop_and_actions_after_it_are_refused(consultant, session):
    response = consultant.post(url("close", session))
    assert response.status_code == 302
    assert response.url == reverse("assessments:grid", args=[session.assessment_id])
    assert fresh(session).closed_at is not None
    before = state(session)
    response = consultant.post(url("reveal", session), {"score": session.current_id}, follow=True)
    assert "This workshop is closed." in response.content.decode()
    assert "Open a live session" in response.content.decode()  # the screen offers a new one
    response = consultant.post(url("close", session), follow=True)
    assert "This workshop is closed." in response.content.decode()
    assert state(session) == before


def test_the_panel_asks_the_screen_to_reload_when_the_workshop_changed_elsewhere(
    consultant, session
):
    revision = session.revision
    assert consultant.get(url("panel", session), {"r": revision}).status_code == 200
    services.session_next(session=session, score_id=session.current_id)
    response = consultant.get(url("panel", session), {"r": revision})
    assert response.headers["HX-Refresh"] == "true"


# --- no anchoring before the reveal -------------------------------------------------------


def test_before_the_reveal_the_screen_shows_only_how_many_voted(consultant, session):
    phones_vote(session, 2, 4)
    html = facilitator_screen(consultant, session)
    assert 'data-testid="vote-count">2 votes<' in html
    assert "Computed from the criteria" not in html
    assert 'data-testid="consensus"' not in html
    assert "Set the consensus" not in html
    assert 'data-testid="vote-chart"' not in html
    assert 'data-testid="voters"' not in html  # names are off: not even who voted
    panel = consultant.get(url("panel", session)).content.decode()
    assert "Computed from the criteria" not in panel
    assert 'data-testid="median"' not in panel


def test_before_the_reveal_with_names_on_the_screen_shows_who_voted_but_not_how(
    consultant, session
):
    services.session_names_set(session=session, show=True)
    phones_vote(session, 2, 4)
    panel = consultant.get(url("panel", session)).content.decode()
    assert 'data-testid="voters">P0, P1<' in panel
    assert 'data-testid="named-votes"' not in panel
    assert "P0: 2" not in panel


def test_after_the_reveal_the_computed_level_and_a_consensus_form_with_a_suggestion_show(
    consultant, session
):
    phones_vote(session, 2, 3, 3)
    consultant.post(url("reveal", session), {"score": session.current_id})
    html = facilitator_screen(consultant, session)
    assert "Computed from the criteria: level 1" in html
    assert 'data-testid="consensus"' in html
    assert 'for="consensus_reason"' in html  # the reason field has its label
    assert re.search(r">\s*Workshop consensus \(3 votes, median 3\).</textarea>", html)
    assert "(computed)" in html
    assert 'data-testid="vote-chart"' in html


# --- the consensus in the consultant's words ---------------------------------------------


def reveal(consultant, session):
    response = consultant.post(url("reveal", session), {"score": fresh(session).current_id})
    assert response.status_code == 302


def test_a_consensus_that_differs_keeps_the_consultants_reason(consultant, session):
    phones_vote(session, 2, 3)
    reveal(consultant, session)
    response = consultant.post(
        url("consensus", session),
        {"score": session.current_id, "level": 3, "reason": "  Campaigns run on a plan.  "},
    )
    assert response.status_code == 302
    score = ProcessScore.objects.get(pk=session.current_id)
    assert (score.override_level, score.override_reason) == (3, "Campaigns run on a plan.")
    assert score.scored_at is not None
    page = consultant.get(response.url).content.decode()
    assert "Consensus for Marketing: level 3." in page


def test_a_consensus_that_differs_without_a_reason_is_refused_beside_the_field(consultant, session):
    reveal(consultant, session)
    revision = ProcessScore.objects.get(pk=session.current_id).revision
    response = consultant.post(
        url("consensus", session), {"score": session.current_id, "level": 4, "reason": "   "}
    )
    assert response.status_code == 422
    html = response.content.decode()
    # Beside the reason field, which names it; the chosen level is still chosen.
    assert 'aria-describedby="consensus_reason_helptext consensus_reason_error"' in html
    error = html.index('id="consensus_reason_error"')
    assert "Level 4 differs from the level the criteria give (1)" in html[error : error + 300]
    assert re.search(r'<input type="radio" name="level" value="4"[^>]* checked>', html)
    assert "Level 4 differs" not in html[: html.index('data-testid="consensus"')]  # not on top
    assert re.search(r'<textarea[^>]* autofocus[^>]*id="consensus_reason"', html)
    score = ProcessScore.objects.get(pk=session.current_id)
    assert (score.override_level, score.override_reason, score.revision) == (None, "", revision)


def test_a_refused_consensus_keeps_the_typed_reason(consultant, session):
    reveal(consultant, session)
    response = consultant.post(
        url("consensus", session), {"score": session.current_id, "level": 9, "reason": "Mine"}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert re.search(r">\s*Mine</textarea>", html)
    assert 'id="consensus_level_error"' in html


def test_confirming_the_computed_level_needs_no_reason_and_clears_an_override(
    consultant, session, alice
):
    score_save(
        assessment_id=session.assessment_id,
        score_id=session.current_id,
        by=alice,
        values={"override_level": 4, "override_reason": "Earlier"},
    )
    reveal(consultant, session)
    html = facilitator_screen(consultant, session)
    assert "consensus so far: level 4" in html
    # The consensus's own reason, not the suggestion:
    assert re.search(r">\s*Earlier</textarea>", html)
    response = consultant.post(
        url("consensus", session), {"score": session.current_id, "level": 1, "reason": ""}
    )
    assert response.status_code == 302
    score = ProcessScore.objects.get(pk=session.current_id)
    assert (score.override_level, score.override_reason) == (None, "")


def test_a_consensus_before_the_reveal_is_refused(consultant, session):
    before = state(session)
    response = consultant.post(
        url("consensus", session), {"score": session.current_id, "level": 3, "reason": "R"}
    )
    assert response.status_code == 422
    assert "Reveal the votes before setting the consensus." in response.content.decode()
    assert ProcessScore.objects.get(pk=session.current_id).override_level is None
    assert state(session) == before


def test_a_consensus_on_a_final_assessment_is_refused(consultant, session):
    reveal(consultant, session)
    Assessment.objects.filter(pk=session.assessment_id).update(
        status=Assessment.Status.FINAL, finalised_at=timezone.now()
    )
    response = consultant.post(
        url("consensus", session), {"score": session.current_id, "level": 3, "reason": "R"}
    )
    assert response.status_code == 422
    assert "final and read-only" in response.content.decode()


def test_the_computed_level_counts_criteria_that_do_not_apply_neither_way(
    consultant, session, alice
):
    from workshops.selectors import computed_level

    score = ProcessScore.objects.select_related("process").get(pk=session.current_id)
    version = session.assessment.version
    level_two = [
        c for c in catalogue_for(version).applicable_to(score.process_id) if c.level.number == 2
    ]
    score_save(
        assessment_id=session.assessment_id,
        score_id=score.pk,
        by=alice,
        values={
            "criteria": {c.pk for c in level_two[1:]},
            "not_applicable": {level_two[0].pk: "We have no such channel"},
        },
        scored=True,
    )
    assert computed_level(score, catalogue_for(version)) == 2
    reveal(consultant, session)
    assert "Computed from the criteria: level 2" in facilitator_screen(consultant, session)


# --- the workshop feeds the grid ---------------------------------------------------------


def test_the_reveal_puts_the_teams_vote_on_the_score_and_the_grid_row_shows_it(consultant, session):
    phones_vote(session, 2, 3, 4)
    revision = Assessment.objects.get(pk=session.assessment_id).revision
    reveal(consultant, session)
    score = ProcessScore.objects.get(pk=session.current_id)
    assert score.team_vote == {
        "count": 3,
        "median": 3,
        "spread": 2,
        "wide": True,
        "distribution": {"1": 0, "2": 1, "3": 1, "4": 1, "5": 0},
    }
    assert score.history.first().team_vote == score.team_vote  # recorded in the trail
    assert Assessment.objects.get(pk=session.assessment_id).revision == revision + 1
    grid = consultant.get(reverse("assessments:grid", args=[session.assessment_id]))
    assert "team 3 ± 2" in grid.content.decode()
    form = consultant.get(
        reverse("assessments:score_form", args=[session.assessment_id, score.pk])
    ).content.decode()
    assert "3 votes, median 3, spread 2" in form


def test_a_reveal_without_votes_leaves_an_earlier_teams_vote(consultant, session, alice):
    earlier = {"count": 2, "median": 4, "spread": 0, "wide": False, "distribution": {"4": 2}}
    score_save(
        assessment_id=session.assessment_id,
        score_id=session.current_id,
        by=alice,
        values={"team_vote": earlier},
    )
    reveal(consultant, session)
    assert ProcessScore.objects.get(pk=session.current_id).team_vote == earlier


def test_opening_voting_again_after_the_reveal_hides_the_votes_until_the_next_reveal(
    consultant, session
):
    phones_vote(session, 2)
    reveal(consultant, session)
    consultant.post(url("open_voting", session), {"score": session.current_id})
    assert (fresh(session).voting_open, fresh(session).revealed) == (True, False)
    phones_vote(session, 4)  # a second round
    html = facilitator_screen(consultant, session)
    assert 'data-testid="vote-chart"' not in html
    assert "Computed from the criteria" not in html
    reveal(consultant, session)
    team = ProcessScore.objects.get(pk=session.current_id).team_vote
    assert (team["count"], team["median"], team["spread"]) == (2, 3, 2)


def test_the_consensus_brings_the_teams_vote_up_to_date(consultant, session):
    from workshops.models import Participant, Vote

    phones_vote(session, 2)
    reveal(consultant, session)
    # A vote the score does not show yet (cast before the reveal wrote the team's vote).
    late = Participant.objects.create(session=session, display_name="Late")
    Vote.objects.create(session=session, participant=late, score_id=session.current_id, level=4)
    consultant.post(
        url("consensus", session), {"score": session.current_id, "level": 3, "reason": "R"}
    )
    team = ProcessScore.objects.get(pk=session.current_id).team_vote
    assert (team["count"], team["median"], team["spread"]) == (2, 3, 2)


def test_the_screen_links_to_the_process_row_in_the_grid_and_the_grid_back(consultant, session):
    html = facilitator_screen(consultant, session)
    row = f"/assessments/{session.assessment_id}/#score-{session.current_id}"
    assert f'href="{row}" data-testid="grid-link"' in html
    grid = consultant.get(reverse("assessments:grid", args=[session.assessment_id]))
    assert reverse("workshops:facilitate", args=[session.assessment_id]) in grid.content.decode()
    assert f'id="score-{session.current_id}-body"' in grid.content.decode()  # the row to open


def test_the_process_under_discussion_is_the_presenter_screens_focus(consultant, session):
    assessment = Assessment.objects.get(pk=session.assessment_id)
    assert assessment.focus_id == session.current_id  # from the start
    consultant.post(url("next", session), {"score": session.current_id})
    assessment.refresh_from_db()
    assert assessment.focus_id == fresh(session).current_id != session.current_id
    last = session.assessment.scores.order_by("order", "id").last()
    consultant.post(url("select", session), {"score": last.pk})
    assessment.refresh_from_db()
    assert assessment.focus_id == last.pk
    presenter = consultant.get(reverse("assessments:present", args=[assessment.pk]))
    assert last.display_name in presenter.content.decode()


# --- queries ----------------------------------------------------------------------------


def test_the_panel_poll_is_a_small_constant_number_of_queries(
    consultant, session, django_assert_max_num_queries
):
    phones_vote(session, 1, 2, 3, 4, 5)
    services.session_names_set(session=session, show=True)
    shown = {"r": fresh(session).revision}
    with django_assert_max_num_queries(7):
        before = consultant.get(url("panel", session), shown)
    assert 'data-testid="voters">P0, P1, P2, P3, P4<' in before.content.decode()
    reveal(consultant, session)
    shown = {"r": fresh(session).revision}
    with django_assert_max_num_queries(7):
        after = consultant.get(url("panel", session), shown)
    html = after.content.decode()
    assert 'data-testid="median">3' in html
    assert 'data-testid="wide-spread"' in html


@pytest.mark.parametrize(
    ("name", "data", "queries"),
    [
        ("select", "second", 10),
        ("next", "shown", 13),
        ("open_voting", "shown", 8),
        ("close_voting", "shown", 8),
        ("reveal", "shown", 20),  # with the team's vote onto the score, its history, its revision
        ("hide", "shown", 8),
        ("names", {"show": "on"}, 8),
        ("consensus", "consensus", 25),  # besides loading the model version's catalogue once
        ("close", {}, 8),
    ],
)
def test_each_action_is_a_bounded_number_of_queries(
    consultant, session, django_assert_max_num_queries, name, data, queries
):
    phones_vote(session, 2, 3, 3, 4)
    shown = session.current_id
    if name in {"consensus", "hide"}:
        services.session_reveal(session=session, score_id=shown, by=session.created_by)
    if isinstance(data, str):
        data = {
            "second": {"score": session.assessment.scores.order_by("order", "id")[1].pk},
            "shown": {"score": shown},
            "consensus": {"score": shown, "level": 3, "reason": "Agreed"},
        }[data]
    catalogue_for(session.assessment.version)  # as a running app server has it
    with django_assert_max_num_queries(queries):
        response = consultant.post(url(name, session), data)
    assert response.status_code == 302


def test_a_consensus_set_in_the_grid_meanwhile_is_shown_and_not_overwritten_unseen(
    consultant, session
):
    from assessments.services import score_save

    phones_vote(session, 2, 3)
    reveal(consultant, session)
    shown = ProcessScore.objects.get(pk=session.current_id)
    score_save(  # in the grid, after the facilitator's screen showed the process
        assessment_id=session.assessment_id,
        score_id=shown.pk,
        by=session.created_by,
        values={"override_level": 2, "override_reason": "Agreed in the grid"},
    )
    data = {"score": shown.pk, "level": 4, "reason": "The room says 4", "revision": shown.revision}
    response = consultant.post(url("consensus", session), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "The consensus was set in the grid meanwhile: level 2, “Agreed in the grid”" in html
    score = ProcessScore.objects.get(pk=shown.pk)
    assert (score.override_level, score.override_reason) == (2, "Agreed in the grid")
    # The screen now knows the grid's consensus: setting it again overwrites it knowingly.
    revision = re.search(r'name="revision" value="(\d+)"', html).group(1)
    assert int(revision) == score.revision
    response = consultant.post(url("consensus", session), {**data, "revision": revision})
    assert response.status_code == 302
    score.refresh_from_db()
    assert (score.override_level, score.override_reason) == (4, "The room says 4")
