"""Writes of a live workshop. Every state change bumps the session's revision, which the
participants' screens poll for."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Assessment, Level, ProcessScore
from assessments.services import FinalAssessmentError, score_save

from .models import JoinAttempt, Participant, Vote, WorkshopSession, new_code

MAX_FAILED_JOINS = 10
FAILED_JOIN_WINDOW = datetime.timedelta(minutes=10)


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
                return WorkshopSession.objects.create(
                    assessment=assessment,
                    code=new_code(),
                    current=first,
                    voting_open=first is not None,
                    created_by=by,
                )
        except IntegrityError:  # the code was taken: draw another
            continue
    raise ValidationError(_("No free join code was found; try again."))


@transaction.atomic
def session_close(*, session: WorkshopSession) -> WorkshopSession:
    return _bump(session, closed_at=timezone.now(), voting_open=False)


def session_select(*, session: WorkshopSession, score: ProcessScore) -> WorkshopSession:
    """Put a process under discussion: its voting opens, earlier votes stay hidden."""
    if score.assessment_id != session.assessment_id:
        raise ValidationError(_("That process is not part of this assessment."))
    return _bump(session, current=score, voting_open=True, revealed=False)


def session_next(*, session: WorkshopSession) -> WorkshopSession:
    scores = list(session.assessment.scores.order_by("order", "id"))
    index = next((i for i, s in enumerate(scores) if s.pk == session.current_id), -1)
    if index + 1 >= len(scores):
        raise ValidationError(_("This was the last process."))
    return session_select(session=session, score=scores[index + 1])


def session_set(*, session: WorkshopSession, **changes) -> WorkshopSession:
    allowed = {"voting_open", "revealed", "show_names"}
    if set(changes) - allowed:
        raise ValueError(f"cannot set {set(changes) - allowed}")
    return _bump(session, **changes)


@transaction.atomic
def consensus_set(*, session: WorkshopSession, level: int, computed: int, votes: dict, by):
    """Write the team's consensus on the process under discussion: the override with its
    reason, or none when the team confirms the computed level. Through the one write path of
    a score (merged with whatever the grid saved meanwhile)."""
    if session.current_id is None:
        raise ValidationError(_("No process is under discussion."))
    levels = set(
        Level.objects.filter(version=session.assessment.version_id).values_list("number", flat=True)
    )
    if level not in levels:
        raise ValidationError(_("%(level)s is not a level of this model.") % {"level": level})
    if level == computed:
        override, reason = None, ""
    else:
        override = level
        reason = _("Workshop consensus (%(count)s votes, median %(median)s).") % {
            "count": votes["count"],
            "median": votes["median"] if votes["median"] is not None else "—",
        }
    try:
        score_save(
            assessment_id=session.assessment_id,
            score_id=session.current_id,
            by=by,
            values={"override_level": override, "override_reason": reason},
            scored=True,
        )
    except FinalAssessmentError as error:
        raise ValidationError(
            _("This assessment is final and read-only; nothing was saved.")
        ) from error
    _bump(session, voting_open=False)


def join(*, code: str, name: str, address: str, joined: dict | None = None) -> Participant:
    """Not atomic on purpose: a failed attempt must stay recorded when the refusal is raised.

    `joined`: the participants this browser joined as before (workshop id -> participant id,
    see `access.remember_participant`). Joining the same workshop again under the same name
    (or none) gives the same participant, so its votes are not counted twice; another name is
    another person on a shared device, who joins as a participant of their own."""
    since = timezone.now() - FAILED_JOIN_WINDOW
    if (
        JoinAttempt.objects.filter(address=address, failed_at__gte=since).count()
        >= MAX_FAILED_JOINS
    ):
        raise JoinRefused(
            _("Too many wrong codes from this address; wait ten minutes and try again."),
            rate_limited=True,
        )
    session = WorkshopSession.objects.open().filter(code=code.strip().upper()).first()
    if session is None:
        JoinAttempt.objects.create(address=address)
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
    session = WorkshopSession.objects.select_for_update().get(pk=session.pk)
    if not session.is_open:
        raise VoteRefused(_("This workshop is closed; votes are no longer accepted."))
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
    vote, _created = Vote.objects.update_or_create(
        participant=participant,
        score_id=session.current_id,
        defaults={"session": session, "level": level},
    )
    return vote
