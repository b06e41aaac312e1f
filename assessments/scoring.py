"""Staged (CMMI-like) scoring of maturity assessments.

Pure Python, no Django imports: the functions here take plain values and return plain values so
they can be tested and reused without a database.

Model
-----
* ``levels``: consecutive ascending ints, e.g. ``[1, 2, 3, 4, 5]``. ``levels[0]`` is the floor.
* ``dimensions``: e.g. ``["governance", "people", "process", "technology"]``.
* criteria (:class:`CriterionSpec`): each belongs to one level above the floor and one dimension
  and is either generic (``process is None``) or specific to one business process.

Rule
----
A process's level is the highest ``L`` such that every applicable criterion of the levels above
the floor up to ``L`` is met; the floor is the minimum. A criterion applies to a process when it
is generic or the process's own, and the process has not marked it *not applicable*. A level
without applicable criteria is passed vacuously, and reported (``empty_levels``) so a report can
flag it. Progress is ``L`` plus the share of applicable criteria met at ``L + 1`` (the top level
scores exactly ``top``). Per dimension the same rule gives the dimension's level; a dimension
without applicable criteria has no level (``None``). Met keys that do not belong to an
applicable criterion are ignored; a key both met and not applicable counts as not applicable.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

__all__ = [
    "CriterionSpec",
    "OverrideReasonMissing",
    "ProcessResult",
    "ScoringError",
    "applicable",
    "progress_score",
    "score_process",
    "staged_level",
]


@dataclass(frozen=True, slots=True)
class CriterionSpec:
    """One criterion of the maturity model."""

    key: str
    level: int
    dimension: str
    process: str | None = None  # None: generic, applies to every process

    def applies_to(self, process: str) -> bool:
        return self.process is None or self.process == process


class ScoringError(ValueError):
    """Bad input to the scoring functions."""


class OverrideReasonMissing(ScoringError):
    """A level override was given without a (non-blank) reason."""


@dataclass(frozen=True, slots=True)
class ProcessResult:
    process: str
    computed_level: int
    level: int  # effective level (the override if any)
    progress: float  # computed progress, or float(override)
    computed_progress: float  # always the computed one
    overridden: bool
    override_reason: str
    ambition: int | None
    gap: int | None  # ambition - level (signed), None without ambition
    # Every dimension passed in, in the given order; None where none of its criteria apply.
    dimension_levels: dict[str, int | None]
    met_count: int  # applicable criteria met
    applicable_count: int
    unmet_to_ambition: tuple[CriterionSpec, ...]  # applicable, unmet, 2 <= level <= ambition
    not_applicable_count: int = 0  # the process's own or generic criteria marked not applicable
    empty_levels: tuple[int, ...] = ()  # levels above the floor with no applicable criterion

    @property
    def meets_ambition(self) -> bool | None:
        if self.ambition is None:
            return None
        return self.level >= self.ambition


# --------------------------------------------------------------------------- validation


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _validate_levels(levels: Sequence[int]) -> list[int]:
    result = list(levels)
    if not result:
        raise ScoringError("levels must not be empty")
    for value in result:
        if not _is_int(value):
            raise ScoringError(f"levels must be ints, got {value!r}")
    for lower, upper in pairwise(result):
        if upper != lower + 1:
            raise ScoringError(
                f"levels must be strictly ascending consecutive ints, got {result!r}"
            )
    return result


def _validate_criteria(
    levels: list[int],
    criteria: Iterable[CriterionSpec],
    dimensions: Sequence[str] | None = None,
) -> list[CriterionSpec]:
    result = list(criteria)
    floor, top = levels[0], levels[-1]
    for criterion in result:
        if not _is_int(criterion.level) or not floor < criterion.level <= top:
            if criterion.level == floor:
                raise ScoringError(
                    f"criterion {criterion.key!r} is at the floor level {floor}; "
                    f"criteria must be at levels {floor + 1}..{top}"
                )
            raise ScoringError(
                f"criterion {criterion.key!r} has level {criterion.level!r}, "
                f"which is not one of the levels {levels!r}"
            )
        if dimensions is not None and criterion.dimension not in dimensions:
            raise ScoringError(
                f"criterion {criterion.key!r} has dimension {criterion.dimension!r}, "
                f"which is not one of the dimensions {list(dimensions)!r}"
            )
    return result


def _validate_level_value(name: str, value: int, levels: list[int]) -> None:
    if not _is_int(value) or value not in levels:
        raise ScoringError(f"{name} {value!r} is not one of the levels {levels!r}")


# --------------------------------------------------------------------------- core rule


def _staged_level(levels: list[int], criteria: list[CriterionSpec], met: Collection[str]) -> int:
    reached = levels[0]
    for level in levels[1:]:
        if all(c.key in met for c in criteria if c.level == level):
            reached = level
        else:
            break
    return reached


def _progress(levels: list[int], criteria: list[CriterionSpec], met: Collection[str]) -> float:
    level = _staged_level(levels, criteria, met)
    if level == levels[-1]:
        return float(level)
    # level + 1 is not passed, so it has at least one applicable criterion: no division by zero.
    at_next = [c for c in criteria if c.level == level + 1]
    share = sum(1 for c in at_next if c.key in met) / len(at_next)
    progress = round(level + share, 2)
    # Never let rounding (e.g. 199/200 -> .995 -> 1.0) claim the next level.
    return min(progress, level + 0.99)


# --------------------------------------------------------------------------- public API


def applicable(criteria: Iterable[CriterionSpec], process: str) -> list[CriterionSpec]:
    """The criteria that apply to ``process`` (generic ones and its own), in the given order."""
    return [c for c in criteria if c.applies_to(process)]


def staged_level(
    levels: Sequence[int], criteria: Iterable[CriterionSpec], met: Collection[str]
) -> int:
    """Highest level whose criteria, and those of every level below it, are all met.

    ``criteria`` are the applicable ones; ``levels`` are ascending, ``levels[0]`` is the floor.
    """
    checked_levels = _validate_levels(levels)
    checked = _validate_criteria(checked_levels, criteria)
    return _staged_level(checked_levels, checked, frozenset(met))


def progress_score(
    levels: Sequence[int], criteria: Iterable[CriterionSpec], met: Collection[str]
) -> float:
    """Staged level plus the share of the next level's criteria met (2 decimals)."""
    checked_levels = _validate_levels(levels)
    checked = _validate_criteria(checked_levels, criteria)
    return _progress(checked_levels, checked, frozenset(met))


def score_process(
    *,
    process: str,
    levels: Sequence[int],
    dimensions: Sequence[str],
    criteria: Iterable[CriterionSpec],
    met: Collection[str],
    not_applicable: Collection[str] = (),
    override: int | None = None,
    override_reason: str = "",
    ambition: int | None = None,
) -> ProcessResult:
    """Score one business process of an assessment.

    Every criterion passed in is validated (not only the applicable ones). Met keys that are not
    applicable criteria of ``process`` are ignored; ``not_applicable`` keys leave the
    applicable set.
    """
    checked_levels = _validate_levels(levels)
    dims = list(dimensions)
    if len(set(dims)) != len(dims):
        raise ScoringError(f"dimensions must be unique, got {dims!r}")
    all_criteria = _validate_criteria(checked_levels, criteria, dims)
    if ambition is not None:
        _validate_level_value("ambition", ambition, checked_levels)
    reason = ""
    if override is not None:
        _validate_level_value("override", override, checked_levels)
        reason = (override_reason or "").strip()
        if not reason:
            raise OverrideReasonMissing(
                f"overriding the level of process {process!r} to {override} requires a reason"
            )

    excluded = frozenset(not_applicable)
    met_keys = frozenset(met) - excluded
    relevant = applicable(all_criteria, process)
    own = [c for c in relevant if c.key not in excluded]
    computed_level = _staged_level(checked_levels, own, met_keys)
    computed_progress = _progress(checked_levels, own, met_keys)
    dimension_levels: dict[str, int | None] = {}
    for dim in dims:
        in_dimension = [c for c in own if c.dimension == dim]
        dimension_levels[dim] = (
            _staged_level(checked_levels, in_dimension, met_keys) if in_dimension else None
        )
    present = {c.level for c in own}
    empty_levels = tuple(level for level in checked_levels[1:] if level not in present)

    level = computed_level if override is None else override
    progress = computed_progress if override is None else float(override)
    gap = None if ambition is None else ambition - level
    unmet: tuple[CriterionSpec, ...] = ()
    if ambition is not None:
        unmet = tuple(
            sorted(
                (c for c in own if c.key not in met_keys and c.level <= ambition),
                key=lambda c: c.level,  # stable: keeps the given order within a level
            )
        )

    return ProcessResult(
        process=process,
        computed_level=computed_level,
        level=level,
        progress=progress,
        computed_progress=computed_progress,
        overridden=override is not None,
        override_reason=reason,
        ambition=ambition,
        gap=gap,
        dimension_levels=dimension_levels,
        met_count=sum(1 for c in own if c.key in met_keys),
        applicable_count=len(own),
        unmet_to_ambition=unmet,
        not_applicable_count=len(relevant) - len(own),
        empty_levels=empty_levels,
    )
