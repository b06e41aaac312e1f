"""Peer figures: per process the median and quartiles of the levels of the consenting peers'
latest final assessments, never from fewer peers than `min_peers()`.

Reads, in a fixed number of queries whatever the number of organisations:

* `peer_stamp` (1 query) keys the (per app process) cache: the benchmark's own revision
  (consent, profiles, the lists) and the count, sum of revisions and highest id of the model's
  final assessments (every change of a final assessment bumps its revision): never stale.
* `peer_table` (on a cache miss, 4 queries): every consenting organisation's latest final
  assessment of the model (of the whole organisation, not of a unit), its sector and size
  class, and its level per process key, scored with `assessments.scoring` as everywhere else.
  Processes are matched by their key, stable across the model's versions.

Who is singled out by nothing (`figures_for`):

* a group is offered only when it has at least `min_peers()` peers *and* the peers it leaves
  out of "all" are none or again at least `min_peers()`: so no two groups offered differ by
  fewer than the threshold (sector or size against all);
* per process the same rule, on the peers who scored that process;
* no count is ever shown, nor a name; below the threshold a process shows only "too few peers
  to compare"; sector and size are never combined (their intersection would be narrower).
"""

import statistics
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import caches
from django.db.models import Count, Exists, F, Max, OuterRef, Subquery, Sum
from django.utils.translation import gettext as _

from assessments.models import Assessment, NotApplicable, ProcessScore
from assessments.selectors import (
    assessment_results,
    attach_process,
    catalogue_for,
    scored_process,
)

from .models import Consent, PeerProfile, Revision

PEERS_TIMEOUT = 24 * 3600
GROUPS = ("all", "sector", "size")


def min_peers() -> int:
    """The threshold: the setting, never below 3."""
    return max(3, int(getattr(settings, "BENCHMARK_MIN_PEERS", 5)))


@dataclass(frozen=True)
class Peer:
    organisation_id: int
    sector_id: int | None
    size_class_id: int | None
    levels: dict[str, int]  # process key -> level (processes scored only)


def peer_stamp(model_id: int) -> tuple:
    """What the peer table of a maturity model is built from, as a value, in one query: the
    benchmark's revision and the count, sum of revisions and highest id of the model's final
    assessments (with none of them the table is empty whatever the revision)."""
    revision = Revision.objects.filter(pk=1).values("number")[:1]
    finals = (
        Assessment.objects.final()
        .filter(version__model=model_id)
        .aggregate(
            benchmark=Max(Subquery(revision)),
            count=Count("pk"),
            revisions=Sum("revision"),
            last=Max("pk"),
        )
    )
    return tuple(finals[name] or 0 for name in ("benchmark", "count", "revisions", "last"))


def latest_finals(model_id: int):
    """The latest final assessment (by date, then creation) of the whole organisation of each
    organisation that consents now, of this model: one query as a subquery."""
    latest = (
        Assessment.objects.final()
        .filter(
            organisation=OuterRef("organisation"),
            version__model=model_id,
            unit_link__isnull=True,
        )
        .order_by("-assessed_on", "-id")
        .values("pk")[:1]
    )
    consenting = Consent.objects.active().filter(organisation=OuterRef("organisation"))
    return Assessment.objects.filter(pk=Subquery(latest)).filter(Exists(consenting))


def build_peer_table(model_id: int) -> list[Peer]:
    finals = latest_finals(model_id)
    assessments = list(
        finals.select_related("version").annotate(
            sector_id=F("organisation__peer_profile__sector"),
            size_class_id=F("organisation__peer_profile__size_class"),
        )
    )
    if not assessments:
        return []
    ids = finals.values("pk")
    scores = list(
        ProcessScore.objects.filter(assessment__in=ids, scored_at__isnull=False).only(
            "pk",
            "assessment_id",
            "process_id",
            "override_level",
            "override_reason",
            "ambition_level",
            "scored_at",
        )
    )
    met: dict[int, set[int]] = {}
    links = ProcessScore.criteria_met.through.objects.filter(
        processscore__assessment__in=ids, processscore__scored_at__isnull=False
    )
    for score_id, criterion_id in links.values_list("processscore_id", "criterion_id"):
        met.setdefault(score_id, set()).add(criterion_id)
    excluded: dict[int, dict[int, str]] = {}
    rows = NotApplicable.objects.filter(score__assessment__in=ids)
    for score_id, criterion_id in rows.values_list("score_id", "criterion_id"):
        excluded.setdefault(score_id, {})[criterion_id] = "-"
    catalogues = {a.version_id: a.version for a in assessments}
    catalogues = {pk: catalogue_for(version) for pk, version in catalogues.items()}
    version_of = {assessment.pk: assessment.version_id for assessment in assessments}
    levels: dict[int, dict[str, int]] = {assessment.pk: {} for assessment in assessments}
    for score in scores:
        catalogue = catalogues[version_of[score.assessment_id]]
        attach_process(score, catalogue)
        item = scored_process(score, catalogue, met.get(score.pk, ()), excluded.get(score.pk))
        levels[score.assessment_id][score.process.key] = item.result.level
    return [
        Peer(a.organisation_id, a.sector_id, a.size_class_id, levels[a.pk]) for a in assessments
    ]


def peer_table(model_id: int, stamp: tuple | None = None) -> list[Peer]:
    """The consenting peers of a model, from this app process's cache while nothing they are
    built from changed: the key is read from the database on every call (`peer_stamp`), so a
    process never serves another's outdated table, and the local cache costs no query. The
    local-memory cache hands out a copy: what it returns may be changed freely."""
    stamp = stamp if stamp is not None else peer_stamp(model_id)
    key = "benchmark:peers:" + ":".join(map(str, (model_id, *stamp)))
    cache = caches["local"]
    table = cache.get(key)
    if table is None:
        table = build_peer_table(model_id)
        cache.set(key, table, PEERS_TIMEOUT)
    return table


# --------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class Figures:
    median: float
    lower: float  # first quartile
    upper: float  # third quartile


def figures_of(values: list[int]) -> Figures:
    lower, median, upper = statistics.quantiles(sorted(values), n=4, method="inclusive")
    return Figures(round(median, 2), round(lower, 2), round(upper, 2))


def releasable(count: int, total: int, threshold: int) -> bool:
    """A group of `count` peers out of `total` may be shown: large enough itself, and what it
    leaves out is either nothing or large enough too (no difference of two shown groups
    narrows down to fewer than the threshold)."""
    left_out = total - count
    return count >= threshold and (left_out == 0 or left_out >= threshold)


@dataclass(frozen=True)
class Group:
    code: str
    label: str


@dataclass(frozen=True)
class ProcessRow:
    key: str
    name: str
    own_level: int | None  # None: not scored
    figures: Figures | None  # None: too few peers to compare


@dataclass
class Benchmark:
    group: Group | None  # None: no group has enough peers
    groups: list[Group]  # the groups offered (each with enough peers)
    rows: list[ProcessRow] = field(default_factory=list)
    profile: PeerProfile | None = None
    consent: Consent | None = None

    @property
    def any_shown(self) -> bool:
        return any(row.figures for row in self.rows)

    def band(self) -> dict | None:
        """The peer figures per axis of the radar (None where there are none)."""
        if not self.any_shown:
            return None
        rows = self.rows
        return {
            "name": _("Peers: middle half"),
            "median_name": _("Peers: median"),
            "group": self.group.label if self.group else "",
            "lower": [row.figures.lower if row.figures else None for row in rows],
            "median": [row.figures.median if row.figures else None for row in rows],
            "upper": [row.figures.upper if row.figures else None for row in rows],
        }


def profile_of(organisation) -> PeerProfile | None:
    return (
        PeerProfile.objects.filter(organisation=organisation)
        .select_related("sector", "size_class")
        .first()
    )


def consent_of(organisation) -> Consent | None:
    return (
        Consent.objects.active()
        .filter(organisation=organisation)
        .select_related("given_by")
        .first()
    )


def _group_label(code: str, profile: PeerProfile | None) -> str:
    if code == "sector":
        return _("Same sector: %(sector)s") % {"sector": profile.sector}
    if code == "size":
        return _("Same size: %(size)s") % {"size": profile.size_class}
    return _("All peers")


def _members(code: str, peers: list[Peer], profile: PeerProfile | None) -> list[Peer] | None:
    if code == "all":
        return peers
    if profile is None:
        return None
    if code == "sector" and profile.sector_id:
        return [peer for peer in peers if peer.sector_id == profile.sector_id]
    if code == "size" and profile.size_class_id:
        return [peer for peer in peers if peer.size_class_id == profile.size_class_id]
    return None


def figures_for(
    organisation_id: int,
    own: list[tuple[str, str, int | None]],
    peers: list[Peer],
    profile: PeerProfile | None,
    wanted: str = "all",
) -> Benchmark:
    """Pure: the figures `organisation_id` sees for its processes `own` (key, name, level),
    from `peers` (itself left out), in the group `wanted` if it is offered, else "all"."""
    threshold = min_peers()
    others = [peer for peer in peers if peer.organisation_id != organisation_id]
    offered: dict[str, list[Peer]] = {}
    for code in GROUPS:
        members = _members(code, others, profile)
        if members is not None and releasable(len(members), len(others), threshold):
            offered[code] = members
    groups = [Group(code, _group_label(code, profile)) for code in offered]
    code = wanted if wanted in offered else ("all" if "all" in offered else None)
    benchmark = Benchmark(
        group=next((group for group in groups if group.code == code), None), groups=groups
    )
    members = offered.get(code, [])
    for key, name, level in own:
        values = [peer.levels[key] for peer in members if key in peer.levels]
        total = sum(1 for peer in others if key in peer.levels)
        shown = code is not None and releasable(len(values), total, threshold)
        benchmark.rows.append(ProcessRow(key, name, level, figures_of(values) if shown else None))
    return benchmark


def benchmark_for(assessment, wanted: str = "all", *, results=None, stamp=None) -> Benchmark:
    """The benchmark of `assessment`'s organisation against its peers of the same model.
    `results`: the assessment's scored processes if the caller has them already."""
    if results is None:
        results = assessment_results(assessment)[1]
    own = [
        (
            item.score.process.key,
            item.score.display_name,
            item.result.level if item.is_scored else None,
        )
        for item in results
    ]
    organisation = assessment.organisation
    profile = profile_of(organisation)
    peers = peer_table(assessment.version.model_id, stamp)
    benchmark = figures_for(organisation.pk, own, peers, profile, wanted)
    benchmark.profile = profile
    benchmark.consent = consent_of(organisation)
    return benchmark


def report_benchmark(assessment, results) -> Benchmark | None:
    """The report's peer section (compared with all peers), or None for an organisation that
    never set up the benchmark (no sector, size or consent recorded): one query then. Marks
    each process score of `results` with its figures (`peer_figures`) for the results table."""
    organisation = assessment.organisation
    profile = profile_of(organisation)
    if profile is None:
        return None
    own = [
        (
            item.score.process.key,
            item.score.display_name,
            item.result.level if item.is_scored else None,
        )
        for item in results
    ]
    peers = peer_table(assessment.version.model_id)
    benchmark = figures_for(organisation.pk, own, peers, profile, "all")
    benchmark.profile = profile
    benchmark.consent = consent_of(organisation)
    for item, row in zip(results, benchmark.rows, strict=True):
        item.score.peer_figures = row.figures
    return benchmark


def report_stamp(assessment) -> tuple:
    """What the report's peer figures are built from, for the keys of cached reports."""
    return peer_stamp(assessment.version.model_id)


PAGE_TIMEOUT = 3600


def benchmark_page_key(assessment, wanted: str) -> tuple[str, tuple]:
    """The key of what the benchmark page shows, and the peers' stamp it holds (one query):
    the assessment's revision (its own levels), the stamp (who takes part, their profiles, the
    lists, every final assessment), the group asked for and the language."""
    from django.utils.translation import get_language

    stamp = peer_stamp(assessment.version.model_id)
    wanted = wanted if wanted in GROUPS else "all"
    parts = ("benchmark-page", get_language(), wanted, min_peers(), *stamp)
    return assessment.cache_key(*parts), stamp


def benchmark_page_data(assessment, wanted: str, stamp: tuple | None = None) -> dict:
    """The figures and the radar of the benchmark page."""
    from assessments.charts import radar_data

    from .charts import benchmark_figure, with_band

    catalogue, results = assessment_results(assessment)
    benchmark = benchmark_for(assessment, wanted, results=results, stamp=stamp)
    radar = with_band(radar_data(assessment, catalogue, results), benchmark.band())
    return {"benchmark": benchmark, "figure": benchmark_figure(radar)}
