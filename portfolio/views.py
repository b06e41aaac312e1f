from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from assessments import views as assessment_views
from assessments.access import get_organisation_for
from assessments.models import Organisation
from dvo_portal.responses import form_status

from . import services
from .forms import CadenceForm, DashboardForm, ReminderPreferenceForm
from .models import Cadence, ReminderPreference
from .selectors import attach_figures, dashboard_rows, due_dates, portfolio_of

PAGE_SIZE = 20


@login_required
@require_GET
def start(request):
    """The start page. A consultant's is the portfolio dashboard: every client with its latest
    assessment, figures and due date. Whoever consults no organisation (a manager) gets the
    organisations' page (`assessments.views.home`), as does `?view=organisations`."""
    if request.GET.get("view") == "organisations":
        return assessment_views.home(request)
    portfolio = portfolio_of(request.user)
    if not portfolio.clients:
        return assessment_views.home(request)
    form = DashboardForm(request.GET, portfolio.sectors)
    shown = dashboard_rows(portfolio.clients, **form.values())
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    attach_figures([row for row in page if row.figures is None])
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portfolio/dashboard.html",
        {
            "page": page,
            "form": form,
            "clients": len(portfolio.clients),
            "managed": portfolio.managed,
            "query": query.urlencode(),
            "soon_weeks": settings.PORTFOLIO_DUE_SOON_WEEKS,
            "default_months": settings.PORTFOLIO_DEFAULT_CADENCE_MONTHS,
        },
    )


@login_required
def cadence_edit(request, pk: int):
    """The organisation's re-assessment rhythm or fixed date (consultants only)."""
    organisation = get_organisation_for(request.user, pk, write=True)
    cadence = Cadence.objects.filter(organisation=organisation).first()
    form = CadenceForm(
        request.POST if request.method == "POST" else None,
        instance=cadence or Cadence(organisation=organisation),
    )
    if request.method == "POST" and form.is_valid():
        services.cadence_save(
            organisation=organisation,
            months=form.cleaned_data["months"],
            due_on=form.cleaned_data["due_on"],
            by=request.user,
        )
        messages.success(request, _("The re-assessment cadence was saved."))
        return redirect("assessments:organisation", pk=organisation.pk)
    due = due_dates([organisation.pk], timezone.localdate())[organisation.pk]
    return render(
        request,
        "portfolio/cadence_form.html",
        {
            "form": form,
            "organisation": organisation,
            "due": due,
            "default_months": settings.PORTFOLIO_DEFAULT_CADENCE_MONTHS,
        },
        status=form_status(request, form),
    )


@login_required
def reminder_settings(request):
    """The signed-in person's own reminder switches (nobody else's: there is no id to pass)."""
    preference = ReminderPreference.objects.filter(user=request.user).first()
    form = ReminderPreferenceForm(
        request.POST if request.method == "POST" else None,
        instance=preference or ReminderPreference(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        services.preference_save(
            user=request.user,
            measurement=form.cleaned_data["measurement_reminders"],
            roadmap=form.cleaned_data["roadmap_reminders"],
        )
        messages.success(request, _("Your reminder settings were saved."))
        return redirect("portfolio:reminders")
    organisations = (
        Organisation.objects.filter(Q(memberships__user=request.user))
        .order_by("name")
        .values("name")
    )
    return render(
        request,
        "portfolio/reminder_settings.html",
        {
            "form": form,
            "organisations": [row["name"] for row in organisations],
            "has_email": bool(request.user.email),
            "soon_weeks": settings.PORTFOLIO_DUE_SOON_WEEKS,
        },
        status=form_status(request, form),
    )
