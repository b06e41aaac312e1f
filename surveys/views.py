"""The consultant's survey pages (members of the organisation; consultants change) and the
respondents' phone pages (no account). An unknown link and an unknown invitation count
against the address's limit on wrong links, on every respondent URL."""

import smtplib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from assessments.access import get_assessment_for
from assessments.selectors import catalogue_for
from dvo_portal.errors import as_htmx_error
from dvo_portal.network import client_block
from dvo_portal.responses import form_status

from . import services
from .access import (
    LinkRefused,
    get_survey_for,
    invitation_by_token,
    respondent_of,
    survey_by_link,
)
from .exports import survey_xlsx
from .forms import AnswerForm, InviteForm, SurveyOpenForm
from .models import SurveyInvitation, SurveyResponse
from .selectors import criteria_seen, scope_of, survey_results

FIGURES_TIMEOUT = 3600

# The results page's count of personal links sent, read with the survey (on a refused
# invitation: as it was before it).
INVITATIONS_SENT = {
    "invitations_sent": Coalesce(
        Subquery(
            SurveyInvitation.objects.filter(survey=OuterRef("pk"))
            .values("survey")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )
}

CONSULTANT = "consultant"


# --- the consultant's pages -------------------------------------------------------------------


def _overview(request, assessment, form=None, status=200):
    surveys = list(assessment.surveys.all())
    can_open = (
        assessment.my_role == CONSULTANT
        and not assessment.is_final
        and not any(s.is_open for s in surveys)
    )
    return render(
        request,
        "surveys/survey_overview.html",
        {
            "assessment": assessment,
            "surveys": surveys,
            "form": (form or SurveyOpenForm()) if can_open else None,
        },
        status=status,
    )


@login_required
@require_GET
def overview(request, pk: int):
    return _overview(request, get_assessment_for(request.user, pk))


@login_required
@require_POST
def open_survey(request, pk: int):
    assessment = get_assessment_for(request.user, pk, write=True)
    form = SurveyOpenForm(request.POST)
    if form.is_valid():
        try:
            survey = services.survey_open(
                assessment=assessment,
                groups=form.cleaned_data["groups"],
                min_group=form.cleaned_data["min_group"],
                open_link=form.cleaned_data["open_link"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("surveys:results", pk=survey.pk)
    return _overview(request, assessment, form, status=422)


def _figures_key(survey) -> str:
    """The key of the survey's figures and of their table on the results page: one per state
    of the survey (every answer bumps its revision) and of its assessment (the processes'
    names), per language."""
    parts = (survey.pk, survey.revision, survey.assessment.cache_key(), translation.get_language())
    return ":".join(["survey-figures", *map(str, parts)])


def _figures(survey, key: str):
    """The survey's figures and the criteria seen met, counted once per `key`: a consultant
    who looks again between answers gets them from this process's cache."""

    def count():
        results = survey_results(survey)
        return results, criteria_seen(survey, results)

    return caches["local"].get_or_set(key, count, FIGURES_TIMEOUT)


def _results(request, survey, *, invite_form=None, status=200):
    link = request.build_absolute_uri(reverse("surveys:respond", args=[survey.token]))
    key = _figures_key(survey)
    results, seen = _figures(survey, key)
    return render(
        request,
        "surveys/survey_results.html",
        {
            "survey": survey,
            "assessment": survey.assessment,
            "results": results,
            "figures_key": key,  # the table is rendered once per key too
            "figures_timeout": FIGURES_TIMEOUT,
            "rows": [
                (score, figures, seen.get(score.pk, [])) for score, figures in results.processes
            ],
            "is_consultant": survey.my_role == CONSULTANT,
            "link": link if survey.open_link else "",
            "invite_form": invite_form or InviteForm(),
            "invitations": survey.invitations_sent,
        },
        status=status,
    )


@login_required
@require_GET
def results(request, pk: int):
    return _results(request, get_survey_for(request.user, pk, annotations=INVITATIONS_SENT))


@login_required
@require_POST
def close(request, pk: int):
    survey = get_survey_for(request.user, pk, write=True)
    services.survey_close(survey=survey)
    messages.success(request, _("The survey is closed; its answers can no longer change."))
    return redirect("surveys:results", pk=survey.pk)


@login_required
@require_POST
def invite(request, pk: int):
    """Mail a personal link to every address; the addresses are not kept."""
    survey = get_survey_for(request.user, pk, write=True, annotations=INVITATIONS_SENT)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _results(request, survey, invite_form=form, status=422)
    try:
        tokens = services.invitations_create(survey=survey, number=len(form.cleaned_data["emails"]))
    except services.SurveyRefused as refused:
        form.add_error(None, refused.message)
        return _results(request, survey, invite_form=form, status=409)
    context = {"assessment": survey.assessment, "organisation": survey.assessment.organisation}
    subject = " ".join(render_to_string("surveys/mail/invitation_subject.txt", context).split())
    mails = [
        (
            subject,
            render_to_string(
                "surveys/mail/invitation_body.txt",
                {
                    **context,
                    "link": request.build_absolute_uri(reverse("surveys:invited", args=[token])),
                },
            ),
            None,
            [address],
        )
        for token, address in zip(tokens, form.cleaned_data["emails"], strict=True)
    ]
    try:
        send_mass_mail(mails)
    except (smtplib.SMTPException, OSError):
        form.add_error(None, _("The invitation mails could not be sent. Try again later."))
        return _results(request, survey, invite_form=form, status=503)
    count = len(mails)
    messages.success(
        request,
        ngettext("%(count)d personal link was sent.", "%(count)d personal links were sent.", count)
        % {"count": count},
    )
    return redirect("surveys:results", pk=survey.pk)


@login_required
@require_GET
def export(request, pk: int):
    survey = get_survey_for(request.user, pk, write=True)  # answers: the consultants' only
    response = HttpResponse(
        survey_xlsx(survey),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = slugify(survey.assessment.organisation.name) or "survey"
    response["Content-Disposition"] = f'attachment; filename="dvo-survey-{name}.xlsx"'
    return response


# --- the respondents' pages -------------------------------------------------------------------


def _message_page(request, kind: str, status: int, text: str):
    """The page that says why; to a phone saving through htmx, the same as one line beside
    its form (which keeps what was typed)."""
    response = render(request, "surveys/respond_message.html", {kind: True}, status=status)
    return as_htmx_error(response, text) if request.htmx else response


def _refused(request):
    text = _("Too many wrong links from this address; wait a few minutes and try again.")
    return _message_page(request, "refused", 429, text)


def _unknown(request):
    text = _("This link does not belong to a survey. Check the link you were sent.")
    return _message_page(request, "unknown", 404, text)


def _closed(request, survey):
    text = _("This survey is closed; answers can no longer be given or changed.")
    return _message_page(request, "closed", 410, text)


def _answer(request, survey, *, respondent, invitation=None):
    scores = list(scope_of(survey))
    catalogue = catalogue_for(survey.assessment.version)
    groups = list(survey.groups.all())
    # The respondent's earlier answers fill the form they are shown; a POST is checked and
    # saved from what was sent (a refusal shows that again), so it reads none of them.
    existing = (
        SurveyResponse.objects.filter(survey=survey, respondent=respondent)
        .prefetch_related("answers__criteria")
        .first()
        if respondent and request.method != "POST"
        else None
    )
    initial = {}
    if existing is not None:
        initial["group"] = existing.group_id
        for answer in existing.answers.all():
            initial[f"level_{answer.score_id}"] = answer.level
            initial[f"criteria_{answer.score_id}"] = [c.pk for c in answer.criteria.all()]
    form = AnswerForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        scores=scores,
        levels=catalogue.levels,
        criteria={s.process_id: catalogue.applicable_to(s.process_id) for s in scores},
        groups=groups,
    )
    status = form_status(request, form)
    saved = False
    if request.method == "POST" and form.is_valid():
        group_id = form.cleaned_data.get("group")
        try:
            services.survey_answer(
                survey=survey,
                respondent=respondent,
                group=next((g for g in groups if g.pk == group_id), None),
                answers=form.answers(),
                invitation=invitation,
                block=client_block(request),
            )
        except services.SurveyRefused as refused:
            form.add_error(None, refused.message)
            status = refused.status
        else:
            saved = True
    context = {
        "survey": survey,
        "form": form,
        "levels": catalogue.levels,
        "saved": saved,
        "answered": saved or existing is not None,
    }
    if request.htmx and request.method == "POST":
        if saved:  # the phone's form is the answer: only the status changes
            return render(request, "surveys/_respond_status.html", context)
        # Refused: the form again, with its messages and what was typed (409, 422); a limit
        # or the like as one line beside the form as it is (htmx swaps no other 4xx).
        response = render(request, "surveys/_respond_answer.html", context, status=status)
        if status not in (409, 422):
            return as_htmx_error(response, " ".join(form.non_field_errors()))
        return reswap(retarget(response, "#survey-answer"), "outerHTML")
    return render(request, "surveys/respond.html", context, status=status)


@require_http_methods(["GET", "POST"])
def respond(request, token: str):
    try:
        survey = survey_by_link(token, client_block(request))
    except LinkRefused:
        return _refused(request)
    if survey is None or not survey.open_link:
        return _unknown(request)
    if not survey.is_open:
        return _closed(request, survey)
    respondent = respondent_of(request, survey, create=request.method == "POST")
    return _answer(request, survey, respondent=respondent)


@require_http_methods(["GET", "POST"])
def invited(request, token: str):
    try:
        invitation = invitation_by_token(token, client_block(request))
    except LinkRefused:
        return _refused(request)
    if invitation is None:
        return _unknown(request)
    if not invitation.survey.is_open:
        return _closed(request, invitation.survey)
    return _answer(
        request, invitation.survey, respondent=invitation.token_hash, invitation=invitation
    )
