"""Reads of the portfolio: each client's due date, the latest assessment and its figures.

The dashboard reads every organisation of the user in one light query (a row per organisation:
name, sector, cadence, the dates of its latest and last final assessment, its overdue roadmap
items, each a subquery on the organisation, none joined and grouped over all organisations),
then sorts, filters and pages those rows in Python; only the page's clients get their figures
(median, spread, level-3 baseline, largest gap), from the cache or scored once per revision of
their assessment."""

import datetime
import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone, translation

from assessments.models import Assessment, Membership, Organisation
from assessments.selectors import ScoredProcess, catalogue_for, results_of_many
from benchmark.models import Sector
from roadmaps.models import Roadmap, RoadmapItem
from roadmaps.quarters import Quarter

from .cadence import Due, next_due

# The figures are kept in each app process's local cache (a write to the database cache costs
# queries per key), keyed by the assessment's revision: never stale, only cold.
FIGURES_TIMEOUT = 24 * 3600
FIGURES_CHUNK = 200  # assessments scored per round of queries when the cache is cold


def soon_days() -> int:
    return 7 * settings.PORTFOLIO_DUE_SOON_WEEKS


def organisation_wide():
    """Assessments of the whole organisation: a unit's (units.UnitAssessment) is no
    measurement of the organisation, so it moves neither the due date nor the dashboard."""
    return Assessment.objects.filter(unit_link__isnull=True)


def with_due_facts(organisations):
    """Annotate what the due date follows: the cadence (a join on the one-to-one) and the date
    of the last final assessment (a subquery)."""
    last_final = (
        organisation_wide()
        .final()
        .filter(organisation=OuterRef("pk"))
        .order_by("-assessed_on", "-id")
        .values("assessed_on")[:1]
    )
    return organisations.annotate(
        last_final_on=Subquery(last_final),
        cadence_months=Coalesce("cadence__months", settings.PORTFOLIO_DEFAULT_CADENCE_MONTHS),
        cadence_due_on=F("cadence__due_on"),
    )


def due_of(row, today: datetime.date) -> Due:
    """`row`: an organisation (or its values) annotated by `with_due_facts`."""
    get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
    return Due(
        on=next_due(
            fixed=get("cadence_due_on"),
            months=get("cadence_months"),
            last_final=get("last_final_on"),
            default_months=settings.PORTFOLIO_DEFAULT_CADENCE_MONTHS,
        ),
        today=today,
        soon_days=soon_days(),
    )


def due_dates(organisation_ids: Iterable[int], today: datetime.date) -> dict[int, Due]:
    """The due state of these organisations, in one query."""
    rows = with_due_facts(Organisation.objects.filter(pk__in=list(organisation_ids))).values(
        "pk", "last_final_on", "cadence_months", "cadence_due_on"
    )
    return {row["pk"]: due_of(row, today) for row in rows}


def latest_roadmap(organisation=None):
    """The assessment id of the roadmap of the organisation's latest assessment that has one
    (an older roadmap's open items were taken over by the newer measurement); `organisation`
    an outer reference (default: the outer query's pk)."""
    return (
        Roadmap.objects.filter(
            assessment__organisation=organisation or OuterRef("pk"),
            assessment__unit_link__isnull=True,
        )
        .order_by("-assessment__assessed_on", "-assessment_id")
        .values("assessment_id")[:1]
    )


def overdue_items(quarter: Quarter):
    """Items of a roadmap that are overdue in `quarter`: accepted, open, their end before it."""
    return RoadmapItem.objects.filter(
        is_proposal=False,
        status__in=[RoadmapItem.Status.PLANNED, RoadmapItem.Status.IN_PROGRESS],
        end_quarter__lt=quarter.index,
    )


@dataclass(frozen=True)
class Figures:
    """What the dashboard shows of one assessment's results (processes scored only)."""

    scored: int
    processes: int
    median: float | None
    lowest: int | None
    highest: int | None
    baseline_met: int  # (process, level-3 baseline condition) pairs met ...
    baseline_applicable: int  # ... of those that apply
    gap: int | None  # the largest ambition - level, if any process is below its ambition
    gap_process: str

    @property
    def spread(self) -> int | None:
        return None if self.lowest is None else self.highest - self.lowest


def figures_of(catalogue, results: list[ScoredProcess]) -> Figures:
    scored = [item for item in results if item.is_scored]
    levels = [item.result.level for item in scored]
    conditions = [criterion for criterion in catalogue.criteria if criterion.is_baseline]
    met = applicable = 0
    for item in scored:
        for condition in conditions:
            if condition.process_id not in (None, item.score.process_id):
                continue
            if condition.pk in item.not_applicable:
                continue
            applicable += 1
            met += condition.pk in item.met_ids
    gaps = [item for item in scored if (item.result.gap or 0) > 0]
    largest = max(gaps, key=lambda item: item.result.gap, default=None)  # first of equals
    return Figures(
        scored=len(scored),
        processes=len(results),
        median=statistics.median(levels) if levels else None,
        lowest=min(levels, default=None),
        highest=max(levels, default=None),
        baseline_met=met,
        baseline_applicable=applicable,
        gap=largest.result.gap if largest else None,
        gap_process=largest.score.display_name if largest else "",
    )


def _figures_key(assessment: Assessment) -> str:
    # The process names are in the active language.
    return assessment.cache_key("portfolio-figures", translation.get_language() or "")


def figures_for(assessments: list[Assessment]) -> dict[int, Figures]:
    """The figures of these assessments by id: from the local cache, and for those not in it
    the scoring's queries (per `FIGURES_CHUNK` of them). `assessments`
    need their pk, created_at, revision and version_id."""
    keys = {_figures_key(assessment): assessment for assessment in assessments}
    found = caches["local"].get_many(list(keys))
    figures = {keys[key].pk: value for key, value in found.items()}
    missing = [assessment for key, assessment in keys.items() if key not in found]
    fresh = {}
    for start in range(0, len(missing), FIGURES_CHUNK):
        chunk = list(
            Assessment.objects.filter(
                pk__in=[a.pk for a in missing[start : start + FIGURES_CHUNK]]
            ).select_related("version")
        )
        catalogues = {a.version_id: catalogue_for(a.version) for a in chunk}
        results = results_of_many(chunk, catalogues)
        for assessment in chunk:
            value = figures_of(catalogues[assessment.version_id], results[assessment.pk])
            figures[assessment.pk] = value
            fresh[_figures_key(assessment)] = value
    if fresh:
        caches["local"].set_many(fresh, FIGURES_TIMEOUT)
    return figures


@dataclass
class ClientRow:
    pk: int
    name: str
    sector_id: int | None
    sector: str
    due: Due
    overdue_items: int
    roadmap_assessment_id: int | None  # its roadmap's page is that assessment's
    latest: Assessment | None
    figures: Figures | None = None


@dataclass
class Portfolio:
    clients: list[ClientRow]  # the organisations the user is a consultant of
    managed: list[tuple[int, str]]  # (pk, name) of those they are a manager of
    sectors: list[Sector]  # the sectors of the clients, in the list's order


def portfolio_of(user, today: datetime.date | None = None) -> Portfolio:
    """Every organisation of `user` with what the dashboard sorts and filters on: two queries
    however many clients (the organisations with the user's role, the clients' latest
    assessments; the second only if there are clients)."""
    today = today or timezone.localdate()
    latest = organisation_wide().filter(organisation=OuterRef("pk")).order_by("-assessed_on", "-id")
    overdue = (
        overdue_items(Quarter.containing(today))
        .filter(roadmap__assessment=OuterRef("roadmap_assessment_id"))
        .order_by()
        .values("roadmap")
        .annotate(n=Count("pk"))
        .values("n")
    )
    organisations = (
        with_due_facts(Organisation.objects.filter(memberships__user=user))
        .annotate(
            my_role=F("memberships__role"),
            latest_id=Subquery(latest.values("pk")[:1]),
            roadmap_assessment_id=Subquery(latest_roadmap()),
        )
        .annotate(overdue_count=Coalesce(Subquery(overdue), 0))
        .values(
            "pk",
            "name",
            "my_role",
            "peer_profile__sector_id",
            "peer_profile__sector__name",
            "peer_profile__sector__name_nl",
            "peer_profile__sector__order",
            "last_final_on",
            "cadence_months",
            "cadence_due_on",
            "latest_id",
            "roadmap_assessment_id",
            "overdue_count",
        )
        .order_by("name", "pk")
    )
    rows, managed, sectors = [], [], {}
    for row in organisations:
        if row["my_role"] == Membership.Role.CONSULTANT:
            rows.append(row)
        else:
            managed.append((row["pk"], row["name"]))
    for row in rows:
        if row["peer_profile__sector_id"] is not None:
            sectors[row["peer_profile__sector_id"]] = Sector(
                pk=row["peer_profile__sector_id"],
                name=row["peer_profile__sector__name"],
                name_nl=row["peer_profile__sector__name_nl"],
                order=row["peer_profile__sector__order"],
            )
    ids = [row["latest_id"] for row in rows if row["latest_id"] is not None]
    assessments = {}
    if ids:
        assessments = {
            assessment.pk: assessment
            for assessment in Assessment.objects.filter(pk__in=ids).only(
                "pk",
                "organisation_id",
                "version_id",
                "kind",
                "status",
                "assessed_on",
                "revision",
                "created_at",
            )
        }
    clients = [
        ClientRow(
            pk=row["pk"],
            name=row["name"],
            sector_id=row["peer_profile__sector_id"],
            sector=str(sectors[row["peer_profile__sector_id"]])
            if row["peer_profile__sector_id"] is not None
            else "",
            due=due_of(row, today),
            overdue_items=row["overdue_count"],
            roadmap_assessment_id=row["roadmap_assessment_id"],
            latest=assessments.get(row["latest_id"]),
        )
        for row in rows
    ]
    return Portfolio(
        clients=clients,
        managed=managed,
        sectors=sorted(sectors.values(), key=lambda sector: (sector.order, sector.name)),
    )


def attach_figures(rows: list[ClientRow]) -> None:
    figures = figures_for([row.latest for row in rows if row.latest is not None])
    for row in rows:
        row.figures = figures.get(row.latest.pk) if row.latest is not None else None


SORTS = ("name", "due", "gap", "assessed")


def _sort_key(sort: str):
    if sort == "due":
        return lambda row: (row.due.sort_key, row.name.casefold())
    if sort == "gap":  # largest first; no gap (or no figures) last
        return lambda row: (
            -(row.figures.gap or 0) if row.figures else 0,
            row.figures is None or row.figures.gap is None,
            row.name.casefold(),
        )
    if sort == "assessed":  # most recent first; never assessed last
        return lambda row: (
            row.latest is None,
            -(row.latest.assessed_on.toordinal() if row.latest else 0),
            row.name.casefold(),
        )
    return lambda row: (row.name.casefold(), row.pk)


def dashboard_rows(
    rows: list[ClientRow], *, sort: str = "name", sector=None, due: str = ""
) -> list[ClientRow]:
    """`rows` filtered (sector: a Sector or None; due: "soon", "overdue" or "") and sorted.
    Sorting by gap needs every row's figures (from the cache, once per revision)."""
    if sector is not None:
        rows = [row for row in rows if row.sector_id == sector.pk]
    if due == "soon":
        rows = [row for row in rows if row.due.is_soon]
    elif due == "overdue":
        rows = [row for row in rows if row.due.is_overdue]
    if sort == "gap":
        attach_figures(rows)
    return sorted(rows, key=_sort_key(sort if sort in SORTS else "name"))


def reminder_recipients(organisation_ids: Iterable[int], *, kind: str) -> dict[int, list]:
    """Per organisation, its consultants and managers (not those limited to a unit) who have
    an address and did not switch this kind of reminder off (kind "measurement" or
    "roadmap"): one query."""
    switch = f"user__reminder_preference__{kind}_reminders"
    memberships = (
        Membership.objects.filter(organisation__in=list(organisation_ids), user__is_active=True)
        .exclude(user__email="")
        # A manager limited to one unit (units.UnitRestriction) sees neither the whole
        # organisation's due date nor its roadmap: no reminder of them either.
        .exclude(unit_restriction__isnull=False)
        .filter(Q(**{f"{switch}__isnull": True}) | Q(**{switch: True}))
        .select_related("user")
        .order_by("organisation", "user__username")
    )
    found: dict[int, list] = {}
    for membership in memberships:
        found.setdefault(membership.organisation_id, []).append(membership.user)
    return found
