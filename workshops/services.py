"""Writes of a live workshop. Every state change bumps the session's revision, which the
participants' screens poll for."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import limits
from assessments.models import Assessment, Level, ProcessScore
from assessments.selectors import catalogue_for
from assessments.services import (
    FinalAssessmentError,
    assessment_focus,
    bump_revision,
    score_save,
)

from .models import Participant, Vote, WorkshopSession, new_code
from .selectors import computed_level, team_stats
from .stats import team_vote


class JoinRefused(Exception):
    def __init__(self, message: str, *, rate_limited: bool = False):
        super().__init__(message)
        self.message = message
        self.rate_limited = rate_limited


class VoteRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _bump(session: WorkshopSession, **changes) -> WorkshopSession:
    WorkshopSession.objects.filter(pk=session.pk).update(revision=F("revision") + 1, **changes)
    session.refresh_from_db()
    return session


def _open_locked(session: WorkshopSession) -> WorkshopSession:
    """The session as stored, locked until the transaction ends, if it is still open."""
    locked = (
        WorkshopSession.objects.select_for_update(of=("self",))
        .select_related("assessment__version")
        .get(pk=session.pk)
    )
    if not locked.is_open:
        raise ValidationError(_("This workshop is closed."))
    return locked


def _locked(session: WorkshopSession, score_id: int | None) -> WorkshopSession:
    """The open session, locked, if `score_id` (the process the consultant's screen shows)
    is still under discussion: an action meant for one process never lands on another (a
    second tab moved on, a double click on "Next")."""
    locked = _open_locked(session)
    if score_id is None or locked.current_id != score_id:
        raise ValidationError(
            _("The process under discussion changed meanwhile; this screen now shows it.")
        )
    return locked


@transaction.atomic
def session_start(*, assessment: Assessment, by) -> WorkshopSession:
    """The open session of the assessment, or a new one with a fresh random code."""
    if assessment.is_final:
        raise ValidationError(_("A final assessment cannot be scored in a workshop."))
    existing = WorkshopSession.objects.open().filter(assessment=assessment).first()
    if existing is not None:
        return existing
    first = assessment.scores.order_by("order", "id").first()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                session = WorkshopSession.objects.create(
                    assessment=assessment,
                    code=new_code(),
                    current=first,
                    voting_open=first is not None,
                    created_by=by,
                )
        except IntegrityError:  # the code was taken: draw another
            continue
        assessment_focus(assessment=assessment, score=first)
        return session
    raise ValidationError(_("No free join code was found; try again."))


@transaction.atomic
def session_close(*, session: WorkshopSession) -> WorkshopSession:
    """End the workshop: its code stops working and the phones show that it ended."""
    session = _open_locked(session)
    return _bump(session, closed_at=timezone.now(), voting_open=False)


@transaction.atomic
def session_select(*, session: WorkshopSession, score: ProcessScore) -> WorkshopSession:
    """Put a process under discussion: its voting opens, earlier votes stay hidden, and the
    assessment's presenter screen shows it too."""
    if score.assessment_id != session.assessment_id:
        raise ValidationError(_("That process is not part of this assessment."))
    _open_locked(session)
    assessment_focus(assessment=session.assessment, score=score)
    return _bump(session, current=score, voting_open=True, revealed=False)


@transaction.atomic
def session_next(*, session: WorkshopSession, score_id: int) -> WorkshopSession:
    """The process after `score_id`, the one the consultant's screen shows."""
    session = _locked(session, score_id)
    scores = list(session.assessment.scores.order_by("order", "id"))
    index = next((i for i, s in enumerate(scores) if s.pk == score_id), -1)
    if index + 1 >= len(scores):
        raise ValidationError(_("This was the last process."))
    return session_select(session=session, score=scores[index + 1])


@transaction.atomic
def session_voting_set(*, session: WorkshopSession, score_id: int, open: bool) -> WorkshopSession:
    """Open or close voting on the process under discussion. Opening is a new round: the
    votes are hidden again until the next reveal, so a late vote never follows the chart."""
    session = _locked(session, score_id)
    if open:
        return _bump(session, voting_open=True, revealed=False)
    return _bump(session, voting_open=False)


@transaction.atomic
def session_reveal(*, session: WorkshopSession, score_id: int, by) -> WorkshopSession:
    """Show the votes to the room; voting closes, and the team's vote goes onto the score
    (the grid row shows its median and spread)."""
    session = _locked(session, score_id)
    _save_team_vote(session, by=by)
    return _bump(session, revealed=True, voting_open=False)


@transaction.atomic
def session_hide(*, session: WorkshopSession, score_id: int) -> WorkshopSession:
    session = _locked(session, score_id)
    return _bump(session, revealed=False)


@transaction.atomic
def session_names_set(*, session: WorkshopSession, show: bool) -> WorkshopSession:
    """Show the participants' names with the votes, or keep the votes anonymous."""
    session = _open_locked(session)
    return _bump(session, show_names=show)


def _score_save(values: dict, session: WorkshopSession, *, by, base_revision=None) -> None:
    """`values` onto the score of the process under discussion; with `base_revision`, the
    revision the consultant's screen showed (a change of the same fields since is refused
    with `ScoreConflict`)."""
    try:
        score_save(
            assessment_id=session.assessment_id,
            score_id=session.current_id,
            by=by,
            values=values,
            base_revision=base_revision,
            scored="override_level" in values,
        )
    except FinalAssessmentError as error:
        raise ValidationError(
            _("This assessment is final and read-only; nothing was saved.")
        ) from error


def _save_team_vote(session: WorkshopSession, *, by) -> dict:
    """The team's vote on the process under discussion onto its score; no votes, no change
    (a reveal with nobody voting leaves an earlier workshop's vote standing)."""
    stats = team_stats(session, session.current_id)
    if stats["count"]:
        _score_save({"team_vote": team_vote(stats)}, session, by=by)
    return stats


@transaction.atomic
def consensus_set(
    *,
    session: WorkshopSession,
    score_id: int,
    level: int,
    reason: str,
    by,
    base_revision: int | None = None,
):
    """Write the team's consensus on the process under discussion: the override with the
    consultant's reason, or none when the team confirms the computed level; the team's vote
    goes along. Through the one write path of a score (merged with whatever the grid saved
    meanwhile)."""
    session = _locked(session, score_id)
    if not session.revealed:
        raise ValidationError(_("Reveal the votes before setting the consensus."))
    catalogue = catalogue_for(session.assessment.version)
    if level not in catalogue.level_numbers:
        raise ValidationError(
            {"level": _("%(level)s is not a level of this model.") % {"level": level}}
        )
    score = ProcessScore.objects.select_related("process").get(pk=score_id)
    computed = computed_level(score, catalogue)
    reason = reason.strip()
    if level != computed and not reason:
        raise ValidationError(
            {
                "reason": _(
                    "Level %(level)s differs from the level the criteria give (%(computed)s): "
                    "say why the team chose it."
                )
                % {"level": level, "computed": computed}
            }
        )
    stats = team_stats(session, score, catalogue.levels)
    values = {"override_level": None, "override_reason": ""}
    if level != computed:
        values = {"override_level": level, "override_reason": reason}
    if stats["count"]:
        values["team_vote"] = team_vote(stats)
    _score_save(values, session, by=by, base_revision=base_revision)
    return _bump(session, voting_open=False)


def _code_key(block: str) -> str:
    return f"workshop-code:{block}"


def refused_message() -> str:
    minutes = max(1, settings.WORKSHOP_WRONG_CODES_WINDOW // 60)
    return ngettext(
        "Too many wrong codes from this address; wait a minute and try again.",
        "Too many wrong codes from this address; wait %(minutes)d minutes and try again.",
        minutes,
    ) % {"minutes": minutes}


def code_guess(block: str, lookup):
    """`lookup()` (the workshop a code names, or None) under the limit on wrong codes: at
    most `WORKSHOP_WRONG_CODES` per address block (an IPv6 /64) and window, on the join page
    and every participant URL alike, counted before the look-up so that parallel guesses are
    evaluated at most that often (accounts/limits.py). A right code is not counted."""
    try:
        return limits.guess(
            _code_key(block),
            limit=settings.WORKSHOP_WRONG_CODES,
            seconds=settings.WORKSHOP_WRONG_CODES_WINDOW,
            check=lookup,
        )
    except limits.Limited:
        raise JoinRefused(refused_message(), rate_limited=True) from None


def join(*, code: str, name: str, block: str, joined: dict | None = None) -> Participant:
    """`block`: the address block the request came from (dvo_portal.network.client_block).

    `joined`: the participants this browser joined as before (workshop id -> participant id,
    see `access.remember_participant`). Joining the same workshop again under the same name
    (or none) gives the same participant, so its votes are not counted twice; another name is
    another person on a shared device, who joins as a participant of their own."""
    code = code.strip().upper()
    session = code_guess(block, lambda: WorkshopSession.objects.open().filter(code=code).first())
    if session is None:
        raise JoinRefused(
            _("This code does not belong to an open workshop. Check it and try again.")
        )
    known = (joined or {}).get(str(session.pk))
    before = Participant.objects.filter(pk=known, session=session).first() if known else None
    if before is not None and name.strip() in ("", before.display_name):
        return before
    participant = Participant(session=session, display_name=name.strip())
    participant.full_clean()
    participant.save()
    return participant


@transaction.atomic
def vote_cast(
    *, participant: Participant, session: WorkshopSession, level: int, score_id: int
) -> Vote:
    """`score_id`: the process the participant saw; a vote for another one is refused."""
    if participant.session_id != session.pk:
        raise VoteRefused(_("You can vote only in the workshop you joined."))
    session = (
        WorkshopSession.objects.select_for_update(of=("self",))
        .select_related("assessment")
        .get(pk=session.pk)
    )
    if not session.is_open:
        raise VoteRefused(_("This workshop is closed; votes are no longer accepted."))
    if session.assessment.is_final:  # its results, the team's view included, are kept as they are
        raise VoteRefused(_("This assessment is final; votes are no longer accepted."))
    if session.current_id is None or not session.voting_open:
        raise VoteRefused(_("Voting on this process is closed."))
    if score_id != session.current_id:
        raise VoteRefused(
            _("The consultant moved on to another process; your vote was not counted. Vote again.")
        )
    levels = set(
        Level.objects.filter(version=session.assessment.version_id).values_list("number", flat=True)
    )
    if level not in levels:
        raise VoteRefused(_("%(level)s is not a level of this model.") % {"level": level})
    vote = Vote.objects.filter(participant=participant, score_id=session.current_id).first()
    if vote is not None and vote.level == level:
        return vote  # the same vote again (a second tap): nothing changed
    if vote is None:
        vote = Vote(participant=participant, score_id=session.current_id, session=session)
    vote.level = level
    vote.save()
    # The report shows the team's votes and is cached by the assessment's revision.
    bump_revision(session.assessment_id)
    return vote
