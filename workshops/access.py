from django.http import Http404
from django.shortcuts import get_object_or_404

from assessments.access import MAX_ID, member_of, narrowed, require

from .models import Participant, WorkshopSession


def get_workshop_for(user, pk: int, *, write: bool = False) -> WorkshopSession:
    """Workshop `pk` if the user is a member of its assessment's organisation (one query);
    writing (every action of the consultant's screen) needs the consultant role."""
    if not 0 < pk <= MAX_ID:
        raise Http404
    queryset = member_of(WorkshopSession.objects.all(), user, "assessment__organisation")
    queryset = narrowed(queryset, user, "assessment")
    queryset = queryset.select_related("assessment__organisation", "assessment__version")
    return require(get_object_or_404(queryset, pk=pk), write)


PARTICIPANT_KEY = "workshop_participants"


def participant_for(request, code: str) -> Participant | None:
    """The participant this browser joined the workshop of `code` as, with the workshop and
    its assessment, or None (never joined, the browser's session gone, another code): one
    query besides the session's. The workshop may have ended (`participant.session.is_open`)."""
    joined = request.session.get(PARTICIPANT_KEY, {})
    if not joined:
        return None
    return (
        Participant.objects.select_related("session__assessment")
        .filter(pk__in=list(joined.values()), session__code=code.upper()[:12])
        .first()
    )


def remember_participant(request, participant) -> None:
    joined = dict(request.session.get(PARTICIPANT_KEY, {}))
    joined[str(participant.session_id)] = participant.pk
    request.session[PARTICIPANT_KEY] = joined
