"""Drafting a roadmap from the gaps: pure functions over plain data (no database).

Every unmet criterion between a process's level and its ambition becomes one proposal. They are
placed in order — the level-3 baseline conditions first of all, then lower levels before higher
ones, then by process — and spread evenly over the roadmap's quarters (year 1 and year 2).
"""

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from assessments.scoring import CriterionSpec


@dataclass(frozen=True, slots=True)
class ProcessGap:
    process: str  # the process's key
    level: int  # its effective level
    ambition: int | None
    unmet: Sequence[CriterionSpec]  # unmet criteria up to the ambition (scoring's result)


@dataclass(frozen=True, slots=True)
class Proposal:
    process: str
    criterion: str
    level: int
    dimension: str
    start: int  # quarter offset from the roadmap's first quarter, 0-based
    end: int


def draft(
    gaps: Iterable[ProcessGap],
    *,
    baseline: Collection[str],
    existing: Collection[tuple[str, str]] = (),
    quarters: int = 8,
) -> list[Proposal]:
    """Proposals for every (process, unmet criterion) not in `existing`, in plan order."""
    candidates = []
    for process_order, gap in enumerate(gaps):
        if gap.ambition is None or gap.ambition <= gap.level:
            continue
        for criterion_order, criterion in enumerate(gap.unmet):
            if (gap.process, criterion.key) in existing:
                continue
            rank = (
                0 if criterion.key in baseline else 1,
                criterion.level,
                process_order,
                criterion_order,
            )
            candidates.append((rank, gap.process, criterion))
    candidates.sort(key=lambda candidate: candidate[0])
    count = len(candidates)
    proposals = []
    for index, (_rank, process, criterion) in enumerate(candidates):
        start = index * quarters // count
        end = max(start, (index + 1) * quarters // count - 1)
        proposals.append(
            Proposal(process, criterion.key, criterion.level, criterion.dimension, start, end)
        )
    return proposals
