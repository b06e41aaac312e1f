"""A survey's figures from plain data, no database: a distribution is {level: respondents}.

- median: the middle answer (the mean of the two middle ones for an even count);
- spread: the interquartile range, the width in levels of the middle half of the answers
  (quartiles interpolated linearly, as `statistics.quantiles(method="inclusive")`): one
  outlier does not make a process look contested, a split room does;
- confidence: how far the workshop can lean on the median (`confidence`);
- perception gap: the highest minus the lowest median among the groups that show figures;
- disagreement: spread plus perception gap, what `?order=disagreement` sorts the grid by.
"""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

Distribution = Mapping[int, int]

HIGH, MEDIUM, LOW = "high", "medium", "low"
# (confidence, at least this many answers, at most this spread), tried in order.
CONFIDENCE_RULES = ((HIGH, 8, 1.0), (MEDIUM, 4, 2.0))


def distribution(levels: Iterable[int]) -> dict[int, int]:
    return dict(sorted(Counter(levels).items()))


def count(dist: Distribution) -> int:
    return sum(dist.values())


def _nth(dist: Distribution, index: int) -> int:
    """The `index`-th smallest answer (from 0)."""
    for level in sorted(dist):
        if index < dist[level]:
            return level
        index -= dist[level]
    raise IndexError(index)


def quantile(dist: Distribution, q: float) -> float | None:
    n = count(dist)
    if not n:
        return None
    position = q * (n - 1)
    low = int(position)
    below = _nth(dist, low)
    if low + 1 >= n:
        return float(below)
    return below + (position - low) * (_nth(dist, low + 1) - below)


def median(dist: Distribution) -> float | None:
    return quantile(dist, 0.5)


def spread(dist: Distribution) -> float | None:
    if not count(dist):
        return None
    return quantile(dist, 0.75) - quantile(dist, 0.25)


def confidence(n: int, spread_: float | None) -> str:
    """High with at least 8 answers whose middle half lies within 1 level; medium with at
    least 4 within 2 levels; low otherwise."""
    if spread_ is not None:
        for name, least, widest in CONFIDENCE_RULES:
            if n >= least and spread_ <= widest:
                return name
    return LOW


@dataclass(frozen=True)
class Figures:
    """One process's figures, overall or for one group. `shown` is False below the minimum
    group size: then only that is known, none of the numbers."""

    n: int
    shown: bool
    distribution: dict[int, int] = field(default_factory=dict)
    median: float | None = None
    spread: float | None = None
    confidence: str = LOW


def figures(dist: Distribution, minimum: int) -> Figures:
    n = count(dist)
    if n < minimum or n == 0:
        return Figures(n=n, shown=False)
    spread_ = spread(dist)
    return Figures(
        n=n,
        shown=True,
        distribution=dict(sorted((level, k) for level, k in dist.items() if k)),
        median=median(dist),
        spread=spread_,
        confidence=confidence(n, spread_),
    )


@dataclass(frozen=True)
class Gap:
    high_group: str
    high: float
    low_group: str
    low: float

    @property
    def size(self) -> float:
        return self.high - self.low


def perception_gap(group_figures: Mapping[str, Figures]) -> Gap | None:
    """Between the group with the highest and the one with the lowest median, of the groups
    that show figures; None with fewer than two of them."""
    shown = [(name, f.median) for name, f in group_figures.items() if f.shown]
    if len(shown) < 2:
        return None
    high = max(shown, key=lambda pair: pair[1])
    low = min(shown, key=lambda pair: pair[1])
    return Gap(high_group=high[0], high=high[1], low_group=low[0], low=low[1])


def disagreement(overall: Figures, gap: Gap | None) -> float:
    """How contested a process is: its spread plus its perception gap (0 when not shown)."""
    if not overall.shown:
        return 0.0
    return (overall.spread or 0.0) + (gap.size if gap else 0.0)
