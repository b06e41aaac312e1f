"""The consultant's screen, projected to the room: one view per action, each with its form.

An action refused (bad input, the workshop moved on meanwhile) shows why on the screen as it
now is, with status 422, and changes nothing."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh

from assessments.access import get_assessment_for
from assessments.selectors import catalogue_for
from assessments.services import ScoreConflict

from .. import services
from ..access import get_workshop_for
from ..forms import ConsensusForm, NamesForm, SelectForm, ShownProcessForm
from ..models import WorkshopSession
from ..selectors import computed_level, levels_of, panel_context, reason_suggestion


def _page(request, session: WorkshopSession, *, consensus=None, status: int = 200):
    """The facilitator's screen. The computed level and the consensus controls show only once
    the votes are revealed: before, the room sees how many voted, nothing to anchor on."""
    assessment = session.assessment
    join_url = request.build_absolute_uri(reverse("workshops:join")) + f"?code={session.code}"
    context = panel_context(session)
    computed = None
    if context["score"] is not None and session.revealed:
        computed = computed_level(context["score"], catalogue_for(assessment.version))
    return render(
        request,
        "workshops/facilitate.html",
        {
            **context,
            "assessment": assessment,
            "join_url": join_url,
            "qr_svg": segno.make(join_url, error="m").svg_inline(scale=5, dark="#1f4e79"),
            "select_form": SelectForm(assessment=assessment, initial={"score": session.current_id}),
            "computed": computed,
            "consensus": _consensus_form(request, context, computed, refused=consensus),
        },
        status=status,
    )


def consensus_changed(score) -> str:
    if score.override_level is None:
        return _(
            "The consensus was cleared in the grid meanwhile. Look again and set it once "
            "more to keep yours."
        )
    return _(
        "The consensus was set in the grid meanwhile: level %(level)s, “%(reason)s”. Look "
        "again and set it once more to keep yours."
    ) % {"level": score.override_level, "reason": score.override_reason}


def _consensus_form(request, context: dict, computed: int | None, *, refused=None):
    """The consensus form once the votes are revealed: the refused one with its input and
    errors, or a new one with the consensus so far or a suggested reason."""
    score, session = context["score"], context["session"]
    shown = getattr(refused, "cleaned_data", {}).get("score")
    if refused is not None and (computed is None or shown != score.pk):
        # Refused, but not for the process this screen shows now: say why at the top.
        for name, errors in refused.errors.items():
            if name not in {"score", NON_FIELD_ERRORS}:
                for message in errors:
                    messages.error(request, message)
        refused = None
    if refused is not None:
        # The first field in error takes the focus, and the browser scrolls it into view.
        name = next((name for name in refused.fields if name in refused.errors), None)
        if name is not None:
            refused.fields[name].widget.attrs["autofocus"] = True
        return refused
    if computed is None or not session.revealed:
        return None
    overridden = score.override_level is not None
    return ConsensusForm(
        levels=context["levels"],
        initial={
            "score": score.pk,
            "revision": score.revision,
            "level": score.override_level if overridden else computed,
            "reason": score.override_reason if overridden else reason_suggestion(context["stats"]),
        },
    )


def _refused(request, session: WorkshopSession, errors, *, consensus=None):
    """Say why an action was refused (`errors`: a ValidationError, a form's errors or a list
    of messages) on the screen as it now is. The consensus form keeps its input and shows its
    own field errors beside its fields."""
    if isinstance(errors, ValidationError):
        errors = errors.messages
    elif isinstance(errors, dict):
        errors = [message for field_errors in errors.values() for message in field_errors]
    for message in errors:
        messages.error(request, message)
    session.refresh_from_db()
    if not session.is_open:
        return redirect("workshops:facilitate", pk=session.assessment_id)
    return _page(request, session, consensus=consensus, status=422)


def _done(session: WorkshopSession):
    return redirect("workshops:facilitate", pk=session.assessment_id)


@login_required
@require_GET
def facilitate(request, pk: int):
    assessment = get_assessment_for(request.user, pk, write=True)
    session = WorkshopSession.objects.open().filter(assessment=assessment).first()
    if session is None:
        return render(request, "workshops/start.html", {"assessment": assessment})
    session.assessment = assessment
    return _page(request, session)


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
    """Polled (settings.POLL_MS) by the consultant's screen. `?r=`: the workshop's revision the
    screen shows; changed elsewhere (another tab, a colleague), the whole screen reloads."""
    session = get_workshop_for(request.user, pk, write=True)
    if request.GET.get("r", str(session.revision)) != str(session.revision):
        return HttpResponseClientRefresh()
    return render(request, "workshops/_panel.html", panel_context(session))


@login_required
@require_POST
def select(request, pk: int):
    session = get_workshop_for(request.user, pk, write=True)
    form = SelectForm(request.POST, assessment=session.assessment)
    if not form.is_valid():
        return _refused(request, session, form.errors)
    try:
        services.session_select(session=session, score=form.cleaned_data["score"])
    except ValidationError as error:
        return _refused(request, session, error)
    return _done(session)


@login_required
@require_POST
def next_process(request, pk: int):
    session = get_workshop_for(request.user, pk, write=True)
    form = ShownProcessForm(request.POST)
    if not form.is_valid():
        return _refused(request, session, form.errors)
    try:
        services.session_next(session=session, score_id=form.cleaned_data["score"])
    except ValidationError as error:
        return _refused(request, session, error)
    return _done(session)


def _voting(request, pk: int, *, open: bool):
    session = get_workshop_for(request.user, pk, write=True)
    form = ShownProcessForm(request.POST)
    if not form.is_valid():
        return _refused(request, session, form.errors)
    try:
        services.session_voting_set(session=session, score_id=form.cleaned_data["score"], open=open)
    except ValidationError as error:
        return _refused(request, session, error)
    return _done(session)


@login_required
@require_POST
def open_voting(request, pk: int):
    return _voting(request, pk, open=True)


@login_required
@require_POST
def close_voting(request, pk: int):
    return _voting(request, pk, open=False)


@login_required
@require_POST
def reveal(request, pk: int):
    """Show the votes to the room and put the team's vote on the process's score."""
    session = get_workshop_for(request.user, pk, write=True)
    form = ShownProcessForm(request.POST)
    if not form.is_valid():
        return _refused(request, session, form.errors)
    try:
        services.session_reveal(
            session=session, score_id=form.cleaned_data["score"], by=request.user
        )
    except ValidationError as error:
        return _refused(request, session, error)
    return _done(session)


@login_required
@require_POST
def hide(request, pk: int):
    session = get_workshop_for(request.user, pk, write=True)
    form = ShownProcessForm(request.POST)
    if not form.is_valid():
        return _refused(request, session, form.errors)
    try:
        services.session_hide(session=session, score_id=form.cleaned_data["score"])
    except ValidationError as error:
        return _refused(request, session, error)
    return _done(session)


@login_required
@require_POST
def names(request, pk: int):
    """Show the participants' names with the votes, or keep them anonymous."""
    session = get_workshop_for(request.user, pk, write=True)
    form = NamesForm(request.POST)
    if not form.is_valid():
        return _refused(request, session, form.errors)
    try:
        services.session_names_set(session=session, show=form.cleaned_data["show"])
    except ValidationError as error:
        return _refused(request, session, error)
    return _done(session)


@login_required
@require_POST
def consensus(request, pk: int):
    """The level the team agreed on, with the consultant's reason when it differs from the
    computed one; refused, the form shows why beside its fields and keeps what was typed."""
    session = get_workshop_for(request.user, pk, write=True)
    form = ConsensusForm(request.POST, levels=levels_of(session))
    if form.is_valid():
        try:
            services.consensus_set(
                session=session,
                score_id=form.cleaned_data["score"],
                level=form.cleaned_data["level"],
                reason=form.cleaned_data["reason"],
                by=request.user,
                base_revision=form.cleaned_data["revision"],
            )
        except ScoreConflict as conflict:
            # Set in the grid meanwhile: shown, and the next try overwrites it knowingly.
            data = request.POST.copy()
            data["revision"] = conflict.current.revision
            form = ConsensusForm(data, levels=levels_of(session))
            form.is_valid()
            form.add_error(None, consensus_changed(conflict.current))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            score = session.current  # the process the consensus was set on
            messages.success(
                request,
                _("Consensus for %(process)s: level %(level)s.")
                % {"process": score.display_name, "level": form.cleaned_data["level"]},
            )
            return _done(session)
    # The hidden field's errors have no place beside a field: at the top with the others.
    errors = [*form.non_field_errors(), *form.errors.get("score", [])]
    return _refused(request, session, errors, consensus=form)


@login_required
@require_POST
def close(request, pk: int):
    """End the workshop; every phone shows that it ended at its next poll."""
    session = get_workshop_for(request.user, pk, write=True)
    try:
        services.session_close(session=session)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.info(request, _("The workshop is closed; its code no longer works."))
    return redirect("assessments:grid", pk=session.assessment_id)
