"""The figures from plain data (no database)."""

import pytest

from surveys import stats


@pytest.mark.parametrize(
    ("levels", "median", "spread"),
    [
        ([3], 3, 0),
        ([2, 4], 3, 1),  # quartiles 2.5 and 3.5
        ([1, 2, 3, 4, 5], 3, 2),
        ([2, 2, 2, 2, 5], 2, 0),  # one outlier does not spread the middle half
        ([1, 1, 1, 5, 5, 5], 3, 4),  # a split room
    ],
)
def test_median_and_spread(levels, median, spread):
    dist = stats.distribution(levels)
    assert stats.median(dist) == median
    assert stats.spread(dist) == spread


def test_nothing_answered_has_no_figures():
    assert stats.median({}) is None
    assert stats.spread({}) is None
    assert stats.figures({}, 3).shown is False


@pytest.mark.parametrize(
    ("n", "spread", "confidence"),
    [
        (8, 1.0, "high"),
        (7, 0.0, "medium"),
        (8, 1.5, "medium"),
        (4, 2.0, "medium"),
        (3, 0.0, "low"),
        (20, 2.5, "low"),
    ],
)
def test_confidence_from_n_and_spread(n, spread, confidence):
    assert stats.confidence(n, spread) == confidence


def test_a_group_below_the_minimum_shows_no_figures_and_no_gap():
    management = stats.figures({4: 3}, 3)
    staff = stats.figures({2: 2}, 3)
    assert management.shown
    assert management.median == 4
    assert not staff.shown
    assert staff.median is None
    assert staff.distribution == {}
    assert stats.perception_gap({"management": management, "staff": staff}) is None


def test_perception_gap_between_the_highest_and_lowest_group():
    groups = {
        "management": stats.figures({4: 3}, 3),
        "staff": stats.figures({2: 3}, 3),
        "customer-facing": stats.figures({3: 4}, 3),
    }
    gap = stats.perception_gap(groups)
    assert (gap.high_group, gap.high, gap.low_group, gap.low, gap.size) == (
        "management",
        4,
        "staff",
        2,
        2,
    )
    overall = stats.figures({4: 3, 2: 3, 3: 4}, 3)
    assert stats.disagreement(overall, gap) == overall.spread + 2
