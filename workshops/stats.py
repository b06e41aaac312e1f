"""The team's votes on one process: pure arithmetic, no database."""

import statistics
from collections.abc import Sequence

from .models import WIDE_SPREAD


def vote_stats(levels: Sequence[int], scale: Sequence[int]) -> dict:
    """Distribution over `scale`, median and spread (highest minus lowest vote)."""
    distribution = dict.fromkeys(scale, 0)
    for level in levels:
        distribution[level] = distribution.get(level, 0) + 1
    spread = (max(levels) - min(levels)) if levels else None
    median = statistics.median(levels) if levels else None
    if isinstance(median, float) and median.is_integer():
        median = int(median)  # the median of 2 and 4 is level 3, not "3.0"
    return {
        "count": len(levels),
        "distribution": distribution,
        "median": median,
        "spread": spread,
        "wide": spread is not None and spread >= WIDE_SPREAD,
    }


def team_vote(stats: dict) -> dict:
    """`stats` as a process score keeps them (`ProcessScore.team_vote`, JSON): the levels of
    the distribution as text, as JSON gives them back, so an unchanged vote compares equal."""
    return {
        **stats,
        "distribution": {str(level): count for level, count in stats["distribution"].items()},
    }
