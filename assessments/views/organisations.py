import statistics
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Prefetch, Subquery, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dvo_portal.responses import form_status

from .. import services
from ..access import (
    MAX_ID,
    assessments_for,
    can_create_organisation,
    default_scope,
    filtered,
    get_organisation_for,
    scope_labels,
)
from ..charts import radar_data, radar_figure
from ..forms import InvitationForm, OrganisationCreateForm, OrganisationForm, ScopeForm
from ..home_extensions import home_badges
from ..models import (
    Assessment,
    BusinessProcess,
    Invitation,
    Membership,
    ModelVersion,
    Organisation,
    OrganisationProcess,
)
from ..selectors import Catalogue, ScoredProcess, catalogue_for, results_of_many

PAGE_SIZE = 20
MAX_RADARS = 3
GAPS = 3  # the largest gaps a manager's start page lists


def _latest_catalogue():
    version = ModelVersion.objects.published().order_by("-published_at").first()
    if version is None:
        return BusinessProcess.objects.none()
    return BusinessProcess.objects.filter(version=version).order_by("order")


def _count_of(model):
    """The number of `model` rows of each organisation, as an annotation."""
    rows = model.objects.filter(organisation=OuterRef("pk")).order_by().values("organisation")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)


@dataclass(frozen=True)
class LevelChange:
    process: str
    before: int | None  # None: not scored (or not in scope) then
    now: int | None


@dataclass
class Standing:
    """What a manager's start page shows of one organisation: its latest final assessment (or
    the draft its consultant shares), against the measurement before it."""

    assessment: Assessment
    catalogue: Catalogue
    results: list[ScoredProcess]
    before: list[ScoredProcess] | None  # the previous measurement's results, if any
    radar: dict | None = None

    @property
    def previous(self) -> Assessment | None:
        return self.assessment.previous

    @property
    def changes(self) -> list[LevelChange]:
        """The processes whose level differs, matched by key (model versions may differ)."""
        if self.before is None:
            return []
        then = {item.score.process.key: item for item in self.before}
        now = {item.score.process.key: item for item in self.results}
        changes = []
        for key in [*now, *(key for key in then if key not in now)]:
            old, new = _level(then.get(key)), _level(now.get(key))
            if old != new:
                name = (now.get(key) or then[key]).score.display_name
                changes.append(LevelChange(name, old, new))
        return changes

    @property
    def median_before(self) -> float | None:
        return _median(self.before) if self.before is not None else None

    @property
    def median_now(self) -> float | None:
        return _median(self.results)

    @property
    def gaps(self) -> list[ScoredProcess]:
        """The largest ambition - level gaps, largest first. An unscored process has no level,
        so no gap; among equal gaps the model's order stays."""
        open_gaps = [i for i in self.results if i.is_scored and (i.result.gap or 0) > 0]
        return sorted(open_gaps, key=lambda item: -item.result.gap)[:GAPS]

    @property
    def not_scored(self) -> list[str]:
        return [item.score.display_name for item in self.results if not item.is_scored]

    @property
    def radar_id(self) -> str:
        return f"radar-{self.assessment.organisation_id}"

    def radar_figure(self) -> dict:
        previous = None
        if self.before is not None:
            previous = {item.score.process.key: item.result.progress for item in self.before}
        return radar_figure(radar_data(self.assessment, self.catalogue, self.results, previous))


def _level(item: ScoredProcess | None) -> int | None:
    return item.result.level if item is not None and item.is_scored else None


def _median(results: list[ScoredProcess]) -> float | None:
    levels = [item.result.level for item in results if item.is_scored]
    return statistics.median(levels) if levels else None


def _standings(ids: list[int]) -> dict[int, Standing]:
    """The standings of these assessments by id, in a fixed number of queries whatever their
    number: the assessments with their predecessors (one), the scores of both (three), the
    catalogues of the model versions involved (cached per app process)."""
    shown = list(
        Assessment.objects.filter(pk__in=ids).select_related("version", "previous__version")
    )
    measured = [*shown, *(assessment.previous for assessment in shown if assessment.previous_id)]
    catalogues = {a.version_id: catalogue_for(a.version) for a in measured}
    results = results_of_many(measured, catalogues)
    return {
        assessment.pk: Standing(
            assessment=assessment,
            catalogue=catalogues[assessment.version_id],
            results=results[assessment.pk],
            before=results[assessment.previous_id] if assessment.previous_id else None,
        )
        for assessment in shown
    }


@login_required
@require_GET
def home(request):
    """Start page: the organisations the user belongs to. Where the user is a manager, the
    latest final assessment (or the draft the consultant shares): its radar, what changed since
    the previous measurement and the largest gaps; where a consultant, every assessment."""
    # Through the access filters and of the default scope: the whole organisation's latest, or
    # for a manager limited to a unit, that unit's.
    latest_shown = (
        default_scope(filtered(Assessment.objects.shown_to_managers(), request.user), request.user)
        .filter(organisation=OuterRef("pk"))
        .order_by("-assessed_on", "-id")
        .values("pk")[:1]
    )
    organisations = (
        Organisation.objects.visible_to(request.user)
        .annotate(process_count=_count_of(OrganisationProcess), shown_id=Subquery(latest_shown))
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(user=request.user),
                to_attr="my_memberships",
            ),
        )
        .order_by("name")
    )
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    managed, consulted = [], []
    for organisation in page:
        organisation.is_manager = any(
            m.role == Membership.Role.MANAGER for m in organisation.my_memberships
        )
        (managed if organisation.is_manager else consulted).append(organisation)
    prefetch_related_objects(  # a consultant's list of every assessment
        consulted,
        Prefetch("assessments", queryset=Assessment.objects.select_related("version__model")),
    )
    badges = home_badges(page.object_list)  # e.g. when the next measurement is due
    for organisation in page:
        organisation.badges = badges.get(organisation.pk, [])
    standings = _standings([o.shown_id for o in managed if o.shown_id is not None])
    radars = 0
    for organisation in managed:
        organisation.standing = standing = standings.get(organisation.shown_id)
        if standing is not None and radars < MAX_RADARS:  # a few charts per page at most
            standing.radar = standing.radar_figure()
            radars += 1
    return render(
        request,
        "assessments/home.html",
        {"page": page, "can_create": can_create_organisation(request.user), "radars": radars},
    )


@login_required
@require_GET
def organisation_list(request):
    query = request.GET.get("q", "").strip()[:100]
    # Counted per row shown (subqueries), not joined and grouped over every organisation.
    organisations = (
        Organisation.objects.visible_to(request.user)
        .annotate(
            assessment_count=_count_of(Assessment),
            process_count=_count_of(OrganisationProcess),
        )
        .order_by("name")
    )
    if query:
        organisations = organisations.filter(name__icontains=query)
    paginator = Paginator(organisations, PAGE_SIZE)
    return render(
        request,
        "assessments/organisation_list.html",
        {
            "page": paginator.get_page(request.GET.get("page")),
            "query": query,
            "can_create": can_create_organisation(request.user),
        },
    )


@login_required
def organisation_create(request):
    if not can_create_organisation(request.user):
        raise PermissionDenied
    catalogue = _latest_catalogue()
    form = OrganisationCreateForm(
        request.POST if request.method == "POST" else None, catalogue=catalogue, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        organisation = services.organisation_create(
            name=form.cleaned_data["name"],
            report_language=form.cleaned_data["report_language"],
            processes=form.cleaned_data["processes"],
            consultant=request.user,
        )
        messages.success(request, _("%(name)s was created.") % {"name": organisation.name})
        return redirect("assessments:organisation", pk=organisation.pk)
    return render(
        request,
        "assessments/organisation_form.html",
        {"form": form},
        status=form_status(request, form),
    )


def _detail_page(request, organisation, *, invitation_form=None, status=200):
    """The organisation's page; after a refused invitation, with that form and its input."""
    # Through the access filters (a manager limited to a unit sees that unit's only), each
    # marked with its scope (a unit's name) where it is not of the whole organisation.
    assessments = list(
        assessments_for(request.user)
        .filter(organisation=organisation)
        .select_related("created_by")
        .order_by("-assessed_on", "-id")
    )
    labels = scope_labels([assessment.pk for assessment in assessments])
    for assessment in assessments:
        assessment.scope_label = labels.get(assessment.pk, "")
    is_consultant = organisation.my_role == Membership.Role.CONSULTANT
    return render(
        request,
        "assessments/organisation_detail.html",
        {
            "organisation": organisation,
            "is_consultant": is_consultant,
            "assessments": assessments,
            # What "Start a re-assessment" measures again: the whole organisation's (a unit
            # is measured again from the units page).
            "has_final": any(a.is_final and not a.scope_label for a in assessments),
            "scope": organisation.processes.select_related("process"),
            "members": organisation.memberships.select_related("user").order_by(
                "role", "user__username"
            ),
            "invitations": (
                organisation.invitations.pending().select_related("invited_by")
                if is_consultant
                else Invitation.objects.none()
            ),
            "invitation_form": invitation_form or InvitationForm(),
        },
        status=status,
    )


@login_required
@require_GET
def organisation_detail(request, pk: int):
    return _detail_page(request, get_organisation_for(request.user, pk))


@login_required
def organisation_edit(request, pk: int):
    organisation = get_organisation_for(request.user, pk, write=True)
    form = OrganisationForm(
        request.POST if request.method == "POST" else None,
        instance=organisation,
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("assessments:organisation", pk=organisation.pk)
    return render(
        request,
        "assessments/organisation_form.html",
        {"form": form, "organisation": organisation},
        status=form_status(request, form),
    )


@login_required
def organisation_scope(request, pk: int):
    organisation = get_organisation_for(request.user, pk, write=True)
    current = list(organisation.processes.select_related("process"))
    form = ScopeForm(
        request.POST if request.method == "POST" else None,
        catalogue=_latest_catalogue(),
        current=current,
    )
    if request.method == "POST" and form.is_valid():
        services.scope_update(organisation=organisation, selections=form.selections())
        messages.success(request, _("The processes in scope were saved."))
        return redirect("assessments:organisation", pk=organisation.pk)
    return render(
        request,
        "assessments/organisation_scope.html",
        {"form": form, "organisation": organisation},
        status=form_status(request, form),
    )


@login_required
@require_POST
def invitation_create(request, pk: int):
    """Invite an address. The answer is the same whether it has an account here or not."""
    organisation = get_organisation_for(request.user, pk, write=True)
    form = InvitationForm(request.POST, instance=Invitation(organisation=organisation))
    if form.is_valid():
        try:
            invitation = services.invitation_send(
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                by=request.user,
                link=lambda token: request.build_absolute_uri(
                    reverse("assessments:invitation", args=[token])
                ),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("An invitation was sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("assessments:organisation", pk=organisation.pk)
    return _detail_page(
        request, organisation, invitation_form=form, status=form_status(request, form)
    )


@login_required
@require_POST
def invitation_revoke(request, pk: int, invitation_pk: int):
    organisation = get_organisation_for(request.user, pk, write=True)
    if not 0 < invitation_pk <= MAX_ID:
        raise Http404
    invitation = get_object_or_404(organisation.invitations.pending(), pk=invitation_pk)
    services.invitation_revoke(invitation=invitation)
    messages.success(
        request, _("The invitation to %(email)s was revoked.") % {"email": invitation.email}
    )
    return redirect("assessments:organisation", pk=organisation.pk)


@login_required
@require_POST
def member_remove(request, pk: int, membership_pk: int):
    organisation = get_organisation_for(request.user, pk, write=True)
    membership = get_object_or_404(organisation.memberships, pk=membership_pk)
    try:
        services.member_remove(membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The member was removed."))
    return redirect("assessments:organisation", pk=organisation.pk)
