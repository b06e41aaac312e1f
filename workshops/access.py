from django.shortcuts import get_object_or_404

from assessments.access import require, role_of
from assessments.models import Assessment

from .models import WorkshopSession


def get_workshop_for(user, pk: int, *, write: bool = False) -> WorkshopSession:
    queryset = (
        WorkshopSession.objects.filter(assessment__in=Assessment.objects.visible_to(user))
        .select_related("assessment__organisation", "assessment__version")
        .annotate(my_role=role_of(user, "assessment__organisation"))
    )
    return require(get_object_or_404(queryset, pk=pk), write)


PARTICIPANT_KEY = "workshop_participants"


def participant_for(request, session: WorkshopSession):
    """The participant this browser joined `session` as, or None."""
    from .models import Participant

    participant_id = request.session.get(PARTICIPANT_KEY, {}).get(str(session.pk))
    if participant_id is None:
        return None
    return Participant.objects.filter(pk=participant_id, session=session).first()


def remember_participant(request, participant) -> None:
    joined = dict(request.session.get(PARTICIPANT_KEY, {}))
    joined[str(participant.session_id)] = participant.pk
    request.session[PARTICIPANT_KEY] = joined
