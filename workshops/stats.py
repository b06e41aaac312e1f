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
    return {
        "count": len(levels),
        "distribution": distribution,
        "median": statistics.median(levels) if levels else None,
        "spread": spread,
        "wide": spread is not None and spread >= WIDE_SPREAD,
    }
