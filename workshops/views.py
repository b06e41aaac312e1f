import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessments.access import get_assessment_for
from dvo_portal.network import client_address

from . import services
from .access import PARTICIPANT_KEY, get_workshop_for, participant_for, remember_participant
from .forms import JoinForm
from .models import Vote, WorkshopSession
from .selectors import computed_level, current_score, levels_of, panel_context

# --- the consultant's screen -----------------------------------------------------------------


@login_required
@require_GET
def facilitate(request, pk: int):
    assessment = get_assessment_for(request.user, pk, write=True)
    session = WorkshopSession.objects.open().filter(assessment=assessment).first()
    if session is None:
        return render(request, "workshops/start.html", {"assessment": assessment})
    join_url = request.build_absolute_uri(reverse("workshops:join")) + f"?code={session.code}"
    context = panel_context(session)
    return render(
        request,
        "workshops/facilitate.html",
        {
            **context,
            "assessment": assessment,
            "join_url": join_url,
            "qr_svg": segno.make(join_url, error="m").svg_inline(scale=5, dark="#1f4e79"),
            "scores": assessment.scores.select_related("process").order_by("order", "id"),
            "computed": computed_level(context["score"]) if context["score"] else None,
        },
    )


@login_required
@require_POST
def start(request, pk: int):
    assessment = get_assessment_for(request.user, pk, write=True)
    try:
        services.session_start(assessment=assessment, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assessments:grid", pk=assessment.pk)
    return redirect("workshops:facilitate", pk=assessment.pk)


@login_required
@require_GET
def panel(request, pk: int):
    """Polled every two seconds by the consultant's screen."""
    session = get_workshop_for(request.user, pk, write=True)
    return render(request, "workshops/_panel.html", panel_context(session))


@login_required
@require_POST
def control(request, pk: int):
    session = get_workshop_for(request.user, pk, write=True)
    action = request.POST.get("action", "")
    try:
        if action == "select":
            score = get_object_or_404(session.assessment.scores, pk=request.POST.get("score") or 0)
            services.session_select(session=session, score=score)
        elif action == "next":
            services.session_next(session=session)
        elif action in {"open", "close-voting", "reveal", "hide", "names", "anonymous"}:
            changes = {
                "open": {"voting_open": True},
                "close-voting": {"voting_open": False},
                "reveal": {"revealed": True, "voting_open": False},
                "hide": {"revealed": False},
                "names": {"show_names": True},
                "anonymous": {"show_names": False},
            }[action]
            services.session_set(session=session, **changes)
        elif action == "consensus":
            context = panel_context(session)
            score = current_score(session)
            level = int(request.POST.get("level", "0"))
            if score is None or str(score.pk) != request.POST.get("score"):
                raise ValidationError(
                    _("The process under discussion changed; set the consensus again.")
                )
            services.consensus_set(
                session=session,
                level=level,
                computed=computed_level(score) if score else 0,
                votes=context["stats"],
                by=request.user,
            )
            messages.success(
                request,
                _("Consensus for %(process)s: level %(level)s.")
                % {"process": score.display_name, "level": level},
            )
        elif action == "close":
            services.session_close(session=session)
            messages.info(request, _("The workshop is closed; its code no longer works."))
            return redirect("assessments:grid", pk=session.assessment_id)
        else:
            messages.error(request, _("Unknown action."))
    except (ValidationError, ValueError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect("workshops:facilitate", pk=session.assessment_id)


# --- the participants' screens (no account) --------------------------------------------------


def join(request):
    form = JoinForm(
        request.POST if request.method == "POST" else None,
        initial={"code": request.GET.get("code", "")[:12]},
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            participant = services.join(
                code=form.cleaned_data["code"],
                name=form.cleaned_data["name"],
                address=client_address(request),
                joined=request.session.get(PARTICIPANT_KEY, {}),
            )
        except services.JoinRefused as refused:
            form.add_error("code", refused.message)
            status = 429 if refused.rate_limited else 404
        else:
            remember_participant(request, participant)
            return redirect("workshops:participant", code=participant.session.code)
    return render(request, "workshops/join.html", {"form": form}, status=status)


def _open_session(code: str) -> WorkshopSession:
    return get_object_or_404(
        WorkshopSession.objects.open().select_related("assessment__version"), code=code.upper()
    )


def _participant_context(session, participant, error=""):
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


@require_GET
def participant(request, code: str):
    session = _open_session(code)
    person = participant_for(request, session)
    if person is None:
        return redirect(reverse("workshops:join") + f"?code={session.code}")
    return render(request, "workshops/participant.html", _participant_context(session, person))


@require_GET
def participant_state(request, code: str):
    """Polled every two seconds; 204 while nothing changed for this screen."""
    session = _open_session(code)
    person = participant_for(request, session)
    if person is None:
        return HttpResponse(status=403)
    if request.GET.get("r") == str(session.revision):
        return HttpResponse(status=204)
    return render(
        request, "workshops/_participant_panel.html", _participant_context(session, person)
    )


@require_POST
def vote(request, code: str):
    session = WorkshopSession.objects.filter(code=code.upper()).select_related("assessment").first()
    person = participant_for(request, session) if session else None
    if session is None or person is None:
        return HttpResponse(_("Join the workshop first."), status=403)
    try:
        level = int(request.POST.get("level", ""))
        shown = int(request.POST.get("score", ""))
    except ValueError:
        level, shown = 0, 0
    try:
        services.vote_cast(participant=person, session=session, level=level, score_id=shown)
    except services.VoteRefused as refused:
        session.refresh_from_db()
        return render(
            request,
            "workshops/_participant_panel.html",
            _participant_context(session, person, refused.message),
            status=409,
        )
    return render(
        request, "workshops/_participant_panel.html", _participant_context(session, person)
    )
