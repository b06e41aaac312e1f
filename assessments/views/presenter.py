"""The presenter screen: what the room sees on the projector while the consultant scores on a
laptop. It follows the assessment (the row the consultant opened, every saved change) by
polling: a cheap 204 while nothing changed."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..access import get_assessment_for
from ..selectors import presenter_context
from .rendering import rendered_grid


def _state(assessment) -> str:
    return f"{assessment.revision}-{assessment.focus_id or 0}"


def _context(assessment) -> dict:
    return {
        **presenter_context(assessment),
        "assessment": assessment,
        "grid": rendered_grid(assessment, rows=False),
        "state": _state(assessment),
    }


@login_required
@require_GET
def present(request, pk: int):
    assessment = get_assessment_for(request.user, pk)
    return render(request, "assessments/presenter.html", _context(assessment))


@login_required
@require_GET
def present_state(request, pk: int):
    """Polled by the presenter screen: 204 while its state (`?s=`) is current."""
    assessment = get_assessment_for(request.user, pk)
    if request.GET.get("s") == _state(assessment):
        return HttpResponse(status=204)
    return render(
        request, "assessments/_presenter_body.html", {**_context(assessment), "poll": True}
    )
