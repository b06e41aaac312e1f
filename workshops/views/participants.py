"""The participants' screens: phones, no account. A participant is known by the browser's
session (`access.participant_for`); a phone whose session died, or a code that is not theirs,
gets the same answer whether the code exists or not (no hint for someone guessing codes), and
a code that names no workshop counts against the address's limit on wrong codes on every one
of these URLs, as on the join page (`services.code_guess`): once refused, 429 everywhere."""

from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dvo_portal.network import client_block
from dvo_portal.responses import form_status

from .. import services
from ..access import PARTICIPANT_KEY, participant_for, remember_participant
from ..forms import JoinForm, VoteForm
from ..models import Participant, Vote, WorkshopSession
from ..selectors import current_score, levels_of

# htmx stops polling on this status (and swaps what came with it).
STOP_POLLING = 286
PANEL = "workshops/_participant_panel.html"


def join(request):
    form = JoinForm(
        request.POST if request.method == "POST" else None,
        initial={"code": request.GET.get("code", "")[:12]},
    )
    status = form_status(request, form)
    if request.method == "POST" and form.is_valid():
        try:
            participant = services.join(
                code=form.cleaned_data["code"],
                name=form.cleaned_data["name"],
                block=client_block(request),
                joined=request.session.get(PARTICIPANT_KEY, {}),
            )
        except services.JoinRefused as refused:
            form.add_error("code", refused.message)
            status = 429 if refused.rate_limited else 404
        else:
            remember_participant(request, participant)
            return redirect("workshops:participant", code=participant.session.code)
    return render(request, "workshops/join.html", {"form": form}, status=status)


def _join_url(code: str) -> str:
    return reverse("workshops:join") + "?" + urlencode({"code": code[:12]})


def _context(participant: Participant, error: str = "") -> dict:
    session = participant.session
    if not session.is_open:
        return {"session": session, "participant": participant, "ended": True}
    score = current_score(session)
    own = (
        Vote.objects.filter(participant=participant, score=score)
        .values_list("level", flat=True)
        .first()
        if score
        else None
    )
    return {
        "session": session,
        "participant": participant,
        "score": score,
        "levels": levels_of(session),
        "own_vote": own,
        "error": error,
    }


def _gone(request, code: str, status: int):
    """This browser is not (or no longer) a participant of the workshop of `code`."""
    return render(request, PANEL, {"gone": True, "join_url": _join_url(code)}, status=status)


def _refused(request, code: str) -> HttpResponse | None:
    """For a browser that is no participant of `code`'s workshop: None once the code has been
    counted (a wrong one) or found (a right one), a 429 if the address is refused."""
    code = code.upper()[:12]
    try:
        services.code_guess(
            client_block(request),
            lambda: WorkshopSession.objects.filter(code=code).values_list("pk", flat=True).first(),
        )
    except services.JoinRefused as refused:
        form = JoinForm(initial={"code": code})
        return render(
            request, "workshops/join.html", {"form": form, "refused": refused.message}, status=429
        )
    return None


@require_GET
def participant(request, code: str):
    person = participant_for(request, code)
    if person is None:  # the join page says whether the code is open
        return _refused(request, code) or redirect(_join_url(code))
    return render(request, "workshops/participant.html", _context(person))


@require_GET
def participant_state(request, code: str):
    """Polled (settings.POLL_MS): 204 while nothing changed for this screen (`?r=`, the
    workshop's revision it shows); once the workshop ended, or this browser is no longer in
    it, the last screen and the end of polling."""
    person = participant_for(request, code)
    if person is None:
        return _refused(request, code) or _gone(request, code, STOP_POLLING)
    session = person.session
    if not session.is_open:
        return render(request, PANEL, _context(person), status=STOP_POLLING)
    if request.GET.get("r") == str(session.revision):
        return HttpResponse(status=204)
    return render(request, PANEL, _context(person))


@require_POST
def vote(request, code: str):
    person = participant_for(request, code)
    if person is None:
        return _refused(request, code) or _gone(request, code, 409)
    form = VoteForm(request.POST)
    if not form.is_valid():
        return render(request, PANEL, _context(person, _("Pick one of the levels.")), status=422)
    try:
        services.vote_cast(
            participant=person,
            session=person.session,
            level=form.cleaned_data["level"],
            score_id=form.cleaned_data["score"],
        )
    except services.VoteRefused as refused:
        person.session.refresh_from_db()
        return render(request, PANEL, _context(person, refused.message), status=409)
    return render(request, PANEL, _context(person))
