"""Reads that load rows once and hand plain data to the scoring function."""

from dataclasses import dataclass, field

from django.core.cache import caches
from django.utils.translation import gettext as _

from . import scoring
from .models import (
    Assessment,
    BusinessProcess,
    Criterion,
    Dimension,
    Level,
    ModelVersion,
    NotApplicable,
    ProcessScore,
)


@dataclass(frozen=True)
class Catalogue:
    """A model version's levels, dimensions, processes and criteria, loaded once (four
    queries; none for a published version this process has seen before)."""

    version: ModelVersion
    levels: list[Level]
    dimensions: list[Dimension]
    criteria: list[Criterion]
    specs: list[scoring.CriterionSpec] = field(default_factory=list)
    processes: dict[int, BusinessProcess] = field(default_factory=dict)
    key_by_id: dict[int, str] = field(default_factory=dict)

    @property
    def level_numbers(self) -> list[int]:
        return [level.number for level in self.levels]

    @property
    def dimension_keys(self) -> list[str]:
        return [dimension.key for dimension in self.dimensions]

    def applicable_to(self, process_id: int) -> list[Criterion]:
        return [c for c in self.criteria if c.process_id is None or c.process_id == process_id]

    def level(self, number: int | None) -> Level | None:
        return next((level for level in self.levels if level.number == number), None)


# Published versions are immutable (their save, update and delete refuse), so their catalogue
# is kept in each app process's local cache. Keyed with the publication time as well as the
# id, so a recycled id (a test database rolled back) never meets an old entry. The local-memory
# cache hands out a copy on every read: a request may attach things to it freely. Drafts are
# always read afresh.
CATALOGUE_TIMEOUT = 24 * 3600


def catalogue_for(version: ModelVersion) -> "Catalogue":
    if not version.is_published or version.published_at is None:
        return load_catalogue(version)
    key = f"catalogue:{version.pk}:{version.published_at.timestamp()}"
    return caches["local"].get_or_set(key, lambda: load_catalogue(version), CATALOGUE_TIMEOUT)


def load_catalogue(version: ModelVersion) -> Catalogue:
    levels = list(Level.objects.filter(version=version).order_by("number"))
    dimensions = list(Dimension.objects.filter(version=version).order_by("order"))
    level_by_id = {level.pk: level for level in levels}
    dimension_by_id = {dimension.pk: dimension for dimension in dimensions}
    criteria = list(
        Criterion.objects.filter(version=version).select_related("process").order_by("order")
    )
    for criterion in criteria:  # attach without extra queries
        criterion.level = level_by_id[criterion.level_id]
        criterion.dimension = dimension_by_id[criterion.dimension_id]
    specs = [
        scoring.CriterionSpec(
            key=criterion.key,
            level=criterion.level.number,
            dimension=criterion.dimension.key,
            process=criterion.process.key if criterion.process_id else None,
        )
        for criterion in criteria
    ]
    processes = {
        process.pk: process
        for process in BusinessProcess.objects.filter(version=version).order_by("order")
    }
    return Catalogue(
        version,
        levels,
        dimensions,
        criteria,
        specs,
        processes,
        {criterion.pk: criterion.key for criterion in criteria},
    )


@dataclass(frozen=True)
class ScoredProcess:
    score: ProcessScore
    result: scoring.ProcessResult
    level: Level | None
    ambition: Level | None
    met_ids: frozenset[int] = frozenset()
    not_applicable: dict[int, str] = field(default_factory=dict)  # criterion id -> reason
    # The same as (criterion, reason), in the model's order.
    excluded_criteria: tuple[tuple[Criterion, str], ...] = ()

    @property
    def is_scored(self) -> bool:
        return self.score.is_scored

    @property
    def shown_level(self) -> Level | None:
        """The level to show: none while the process is not scored."""
        return self.level if self.score.is_scored else None


def attach_process(score: ProcessScore, catalogue: Catalogue) -> ProcessScore:
    """Give `score` its process from the catalogue instead of another query."""
    process = catalogue.processes.get(score.process_id)
    if process is not None:
        score.process = process
    return score


def score_result(
    score: ProcessScore, catalogue: Catalogue, met_keys, excluded_keys=()
) -> scoring.ProcessResult:
    return scoring.score_process(
        process=score.process.key,
        levels=catalogue.level_numbers,
        dimensions=catalogue.dimension_keys,
        criteria=catalogue.specs,
        met=met_keys,
        not_applicable=excluded_keys,
        override=score.override_level,
        override_reason=score.override_reason,
        ambition=score.ambition_level,
    )


def scored_process(
    score: ProcessScore, catalogue: Catalogue, met_ids, not_applicable=None
) -> ScoredProcess:
    """One process with its scoring result; `met_ids` are the ids of its criteria met,
    `not_applicable` maps the ids of its criteria that do not apply to the reason."""
    met_ids = frozenset(met_ids)
    not_applicable = dict(not_applicable or {})
    keys = catalogue.key_by_id
    result = score_result(
        score,
        catalogue,
        {keys.get(pk, "") for pk in met_ids},
        {keys.get(pk, "") for pk in not_applicable},
    )
    return ScoredProcess(
        score=score,
        result=result,
        level=catalogue.level(result.level),
        ambition=catalogue.level(result.ambition),
        met_ids=met_ids,
        not_applicable=not_applicable,
        excluded_criteria=tuple(
            (criterion, not_applicable[criterion.pk])
            for criterion in catalogue.criteria
            if criterion.pk in not_applicable
        ),
    )


def assessment_results(
    assessment: Assessment, catalogue: Catalogue | None = None
) -> tuple[Catalogue, list[ScoredProcess]]:
    """Every process score of an assessment with its scoring result, in a fixed number of
    queries whatever the number of processes or criteria."""
    catalogue = catalogue or catalogue_for(assessment.version)
    return catalogue, results_of_many([assessment], {assessment.version_id: catalogue})[
        assessment.pk
    ]


def results_of_many(
    assessments: list[Assessment], catalogues: dict[int, Catalogue] | None = None
) -> dict[int, list[ScoredProcess]]:
    """Results of several assessments at once: three queries per model version involved and
    two for all the scores, however many assessments, processes or criteria."""
    catalogues = dict(catalogues or {})
    for assessment in assessments:
        if assessment.version_id not in catalogues:
            catalogues[assessment.version_id] = catalogue_for(assessment.version)
    ids = [assessment.pk for assessment in assessments]
    # The processes come from the catalogues (a score's process belongs to its assessment's
    # version), so the scores need no join.
    scores = list(
        ProcessScore.objects.filter(assessment__in=ids).order_by("assessment", "order", "id")
    )
    met, excluded = criteria_of([score.pk for score in scores])
    version_of = {assessment.pk: assessment.version_id for assessment in assessments}
    results: dict[int, list[ScoredProcess]] = {pk: [] for pk in ids}
    for score in scores:
        catalogue = catalogues[version_of[score.assessment_id]]
        attach_process(score, catalogue)
        results[score.assessment_id].append(
            scored_process(score, catalogue, met.get(score.pk, ()), excluded.get(score.pk))
        )
    return results


def criteria_of(score_ids: list[int]) -> tuple[dict[int, set[int]], dict[int, dict[int, str]]]:
    """The criteria met and the criteria not applicable (with their reasons) of these scores,
    by score id: two queries, by the scores' ids rather than a join (the link table's index
    serves it whatever the planner knows of the tables)."""
    if not score_ids:
        return {}, {}
    met: dict[int, set[int]] = {}
    links = ProcessScore.criteria_met.through.objects.filter(processscore__in=score_ids)
    for score_id, criterion_id in links.values_list("processscore_id", "criterion_id"):
        met.setdefault(score_id, set()).add(criterion_id)
    excluded: dict[int, dict[int, str]] = {}
    rows = NotApplicable.objects.filter(score__in=score_ids)
    for score_id, criterion_id, reason in rows.values_list("score_id", "criterion_id", "reason"):
        excluded.setdefault(score_id, {})[criterion_id] = reason
    return met, excluded


def previous_result(assessment: Assessment, process_key: str) -> ScoredProcess | None:
    """The previous assessment's result for one process, matched by its key (as in
    `previous_results`): what a save in a re-assessment shows beside the row."""
    if assessment.previous_id is None:
        return None
    score = (
        ProcessScore.objects.filter(
            assessment_id=assessment.previous_id,
            assessment__organisation_id=assessment.organisation_id,
            process__key=process_key,
        )
        .select_related("assessment__version")
        .first()
    )
    if score is None:
        return None
    catalogue = catalogue_for(score.assessment.version)
    attach_process(score, catalogue)
    met, excluded = criteria_of([score.pk])
    return scored_process(score, catalogue, met.get(score.pk, ()), excluded.get(score.pk))


def previous_results(assessment: Assessment) -> dict[str, ScoredProcess]:
    """A re-assessment's previous results by process key (empty for a baseline)."""
    if assessment.previous_id is None:
        return {}
    _catalogue, results = assessment_results(assessment.previous)
    return {item.score.process.key: item for item in results}


def aspect_conflicts(conflict) -> dict[str, dict]:
    """What a refused save of the DVO aspects shows, per aspect: the stored and the typed
    value of each field both editors changed, and the revision the editor has now seen."""
    from .models import AspectCheck

    labels = {"status": _("Status"), "note": _("Note")}
    statuses = dict(AspectCheck.Status.choices)
    shown = {}
    for aspect, found in conflict.conflicts.items():
        current = conflict.current.get(aspect)
        shown[aspect] = {
            "seen": current.revision if current else None,
            "who": current.updated_by if current else None,
            "fields": [
                {
                    "label": labels[item.field],
                    "theirs": statuses.get(item.theirs, item.theirs) or "—",
                    "mine": statuses.get(item.mine, item.mine) or "—",
                }
                for item in found
            ],
        }
    return shown


def score_form_context(item: ScoredProcess, catalogue: Catalogue) -> dict:
    """What an open row of the grid shows: the levels as buttons, the criteria folded per
    level (the level being decided open) and grouped by dimension, each with whether it is met
    or why it does not apply."""
    score = item.score
    applicable = catalogue.applicable_to(score.process_id)
    deciding = item.result.computed_level + 1 if score.is_scored else None
    blocks = []
    for level in catalogue.levels[1:]:
        groups, met, excluded, total = [], 0, 0, 0
        for dimension in catalogue.dimensions:
            rows = []
            for criterion in applicable:
                if criterion.level_id != level.pk or criterion.dimension_id != dimension.pk:
                    continue
                reason = item.not_applicable.get(criterion.pk, "")
                checked = criterion.pk in item.met_ids and not reason
                rows.append({"criterion": criterion, "met": checked, "reason": reason})
                total += 1
                met += checked
                excluded += bool(reason)
            if rows:
                groups.append((dimension, rows))
        blocks.append(
            {
                "level": level,
                "groups": groups,
                "met": met,
                "applicable": total - excluded,
                "excluded": excluded,
                "open": level.number == deciding,
            }
        )
    texts = {
        "notes": {"label": _("Notes"), "rows": 3},
        "evidence": {
            "label": _("Evidence"),
            "rows": 3,
            "placeholder": _("Links or document references, one per line."),
        },
        "change_explanation": {
            "label": _("What changed in the organisation"),
            "rows": 2,
            "placeholder": _("Needed when the level differs from the previous assessment"),
        },
    }
    return {
        "score": score,
        "item": item,
        "levels": catalogue.levels,
        "blocks": blocks,
        "confidence_choices": ProcessScore.Confidence.choices,
        "fields": {
            name: {"name": name, "value": getattr(score, name), **text}
            for name, text in texts.items()
        },
    }


def score_conflict(conflict, form, catalogue: Catalogue) -> dict:
    """Both versions of what two editors changed in one process, field by field: what a
    refused save shows (the editor's input stays in the form)."""
    criteria = {criterion.pk: criterion for criterion in catalogue.criteria}
    levels = {level.number: str(level) for level in catalogue.levels}
    confidence = dict(ProcessScore.Confidence.choices)
    shown_as = {"ambition_level": levels, "override_level": levels, "confidence": confidence}

    def show(name, value):
        if value in (None, "", frozenset(), set()):
            return "—"
        if name == "criteria":
            return "; ".join(criteria[pk].statement for pk in sorted(value) if pk in criteria)
        return str(shown_as.get(name, {}).get(value, value))

    def reasons(value):
        return (
            "; ".join(
                f"{criteria[pk].statement} ({reason})"
                for pk, reason in sorted((value or {}).items())
                if pk in criteria
            )
            or "—"
        )

    fields = []
    for item in conflict.conflicts:
        if item.field == "not_applicable" and item.key is None:  # compared as a whole
            label = _("Criteria that do not apply")
            fields.append(
                {
                    "name": "not_applicable",
                    "label": label,
                    "theirs": reasons(item.theirs),
                    "mine": reasons(item.mine),
                    "plain": False,
                }
            )
            continue
        if item.field == "not_applicable":
            statement = criteria[item.key].statement if item.key in criteria else ""
            fields.append(
                {
                    "name": f"na_{item.key}",
                    "label": _("Does not apply: %(criterion)s") % {"criterion": statement},
                    "theirs": item.theirs or "—",
                    "mine": item.mine or "—",
                    "value": item.theirs or "",
                    "plain": True,
                }
            )
            continue
        label = form.fields[item.field].label if item.field in form.fields else _("Criteria met")
        fields.append(
            {
                "name": item.field,
                "label": label,
                "theirs": show(item.field, item.theirs),
                "mine": show(item.field, item.mine),
                "value": "" if item.theirs is None else item.theirs,
                "plain": item.field not in ("criteria",),
            }
        )
    current = conflict.current
    return {
        "current": current,
        "fields": fields,
        "keep": f"{current.revision}:"
        + ",".join(sorted({item.field for item in conflict.conflicts})),
    }


def presenter_context(assessment: Assessment) -> dict:
    """The process before the room (if any), with its result and the model's levels."""
    catalogue = catalogue_for(assessment.version)
    focus = None
    if assessment.focus_id:
        score = ProcessScore.objects.filter(pk=assessment.focus_id, assessment=assessment).first()
        if score is not None:
            met, excluded = criteria_of([score.pk])
            focus = scored_process(
                attach_process(score, catalogue),
                catalogue,
                met.get(score.pk, ()),
                excluded.get(score.pk),
            )
    return {"focus": focus, "levels": catalogue.levels}
