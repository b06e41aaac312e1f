"""Reads that load rows once and hand plain data to the scoring function."""

import functools
from collections import OrderedDict
from dataclasses import dataclass, field

from django.db import connection

from . import scoring
from .models import (
    Assessment,
    BusinessProcess,
    Criterion,
    Dimension,
    Level,
    ModelVersion,
    ProcessScore,
)
from .sql import Columns, Statement, columns, split


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
# can live as long as the process. Keyed with the publication time as well as the id, so a
# recycled id (a test database rolled back) never meets an old entry. Drafts are never kept.
_PUBLISHED_CATALOGUES: OrderedDict[tuple, "Catalogue"] = OrderedDict()
_PUBLISHED_CATALOGUES_MAX = 32


def catalogue_for(version: ModelVersion) -> Catalogue:
    if not version.is_published or version.published_at is None:
        return load_catalogue(version)
    key = (version.pk, version.published_at)
    catalogue = _PUBLISHED_CATALOGUES.get(key)
    if catalogue is None:
        catalogue = load_catalogue(version)
        _PUBLISHED_CATALOGUES[key] = catalogue
        while len(_PUBLISHED_CATALOGUES) > _PUBLISHED_CATALOGUES_MAX:
            _PUBLISHED_CATALOGUES.popitem(last=False)
    return catalogue


def forget_catalogues() -> None:
    """Drop the published catalogues this process keeps (tests roll the database back)."""
    _PUBLISHED_CATALOGUES.clear()


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


def attach_process(score: ProcessScore, catalogue: Catalogue) -> ProcessScore:
    """Give `score` its process from the catalogue instead of another query."""
    process = catalogue.processes.get(score.process_id)
    if process is not None:
        score.process = process
    return score


def score_result(score: ProcessScore, catalogue: Catalogue, met_keys) -> scoring.ProcessResult:
    return scoring.score_process(
        process=score.process.key,
        levels=catalogue.level_numbers,
        dimensions=catalogue.dimension_keys,
        criteria=catalogue.specs,
        met=met_keys,
        override=score.override_level,
        override_reason=score.override_reason,
        ambition=score.ambition_level,
    )


def scored_process(score: ProcessScore, catalogue: Catalogue, met_ids) -> ScoredProcess:
    """One process with its scoring result; `met_ids` are the ids of its criteria met."""
    met_ids = frozenset(met_ids)
    result = score_result(score, catalogue, {catalogue.key_by_id.get(pk, "") for pk in met_ids})
    return ScoredProcess(
        score=score,
        result=result,
        level=catalogue.level(result.level),
        ambition=catalogue.level(result.ambition),
        met_ids=met_ids,
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
    if len(ids) == 1:  # every page of one assessment: the statements of `sql`, prepared
        scores, links = _scores_and_links_of(ids[0])
    else:
        scores = list(
            ProcessScore.objects.filter(assessment__in=ids).order_by("assessment", "order", "id")
        )
        # By the scores' ids rather than a join: the link table's index serves it whatever
        # the planner knows of the tables (a freshly loaded database has no statistics yet).
        links = ProcessScore.criteria_met.through.objects.filter(
            processscore__in=[score.pk for score in scores]
        ).values_list("processscore_id", "criterion_id")
    met: dict[int, set[int]] = {}
    for score_id, criterion_id in links:
        met.setdefault(score_id, set()).add(criterion_id)
    version_of = {assessment.pk: assessment.version_id for assessment in assessments}
    results: dict[int, list[ScoredProcess]] = {pk: [] for pk in ids}
    for score in scores:
        catalogue = catalogues[version_of[score.assessment_id]]
        attach_process(score, catalogue)
        results[score.assessment_id].append(scored_process(score, catalogue, met.get(score.pk, ())))
    return results


_SCORES_OF = (
    'SELECT {s} FROM assessments_processscore s WHERE s.assessment_id = %s ORDER BY s."order", s.id'
)


@functools.cache
def _scores_statement(vendor: str) -> tuple[Statement, Columns]:
    scores = columns(ProcessScore, "s", vendor)
    return Statement("scores_of", _SCORES_OF.format(s=scores.sql)), scores


@functools.cache
def _links_statement(count: int) -> Statement:
    """The criteria met of `count` scores, by the scores' ids (as `results_of_many`)."""
    return Statement(
        f"links_of_{count}",
        "SELECT processscore_id, criterion_id FROM assessments_processscore_criteria_met "  # noqa: S608
        f"WHERE processscore_id IN ({', '.join(['%s'] * count)})",
    )


def _scores_and_links_of(assessment_id: int) -> tuple[list[ProcessScore], list[tuple]]:
    """An assessment's process scores in order, and (score id, criterion id) of their criteria
    met: the two queries of `results_of_many` for one assessment, written out."""
    statement, score_columns = _scores_statement(connection.vendor)
    scores = [score_columns.build(row, 0) for row in statement.fetch_all([assessment_id])]
    if not scores:
        return [], []
    return scores, _links_statement(len(scores)).fetch_all([score.pk for score in scores])


_PREVIOUS_SCORE = """
SELECT {s}, {v}
FROM assessments_processscore s
INNER JOIN assessments_assessment a ON a.id = s.assessment_id
INNER JOIN assessments_modelversion v ON v.id = a.version_id
INNER JOIN assessments_businessprocess p ON p.id = s.process_id
WHERE s.assessment_id = %s AND a.organisation_id = %s AND p.key = %s
"""


@functools.cache
def _previous_score_statement(vendor: str) -> tuple[Statement, Columns, Columns]:
    scores, versions = columns(ProcessScore, "s", vendor), columns(ModelVersion, "v", vendor)
    sql = _PREVIOUS_SCORE.format(s=scores.sql, v=versions.sql)
    return Statement("previous_score", sql), scores, versions


def previous_result(assessment: Assessment, process_key: str) -> ScoredProcess | None:
    """The previous assessment's result for one process, matched by its key (as in
    `previous_results`), in two queries: what a save of a re-assessment shows beside the row."""
    if assessment.previous_id is None:
        return None
    statement, score_columns, version_columns = _previous_score_statement(connection.vendor)
    row = statement.fetch_one([assessment.previous_id, assessment.organisation_id, process_key])
    if row is None:
        return None
    score, version = split(row, score_columns, version_columns)
    catalogue = catalogue_for(version)
    attach_process(score, catalogue)
    met = [criterion for _score, criterion in _links_statement(1).fetch_all([score.pk])]
    return scored_process(score, catalogue, met)
