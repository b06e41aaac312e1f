"""The executive summary: a headline that informs (median and spread, never the minimum as the
lead), the largest gaps, the level-3 baseline still to do, and what changed since last time.

The demo baseline (load_demo), level (ambition): Marketing 3 (4), Sales 2 (3), Werving &
selectie 3 (3), Innovation 1 (4), Service & maintenance 3 (4); Production and Internal
collaboration are not scored.
"""

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from assessments.models import Assessment
from assessments.services import assessment_finalise, reassessment_start, score_save
from reports.summary import Change, Gap, assessment_summary, names


@pytest.fixture
def demo(demo_data):
    return Assessment.objects.select_related("organisation", "version").get()


def remeasure(demo, levels: dict[str, int]):
    """Finalise the demo baseline and measure again with consensus levels set."""
    consultant = get_user_model().objects.get(username="consultant")
    demo = assessment_finalise(assessment=demo)
    again = reassessment_start(
        previous=demo, version=demo.version, copy_answers=True, by=consultant
    )
    for score in again.scores.select_related("process"):
        if score.process.key in levels:
            score_save(
                score_id=score.pk,
                assessment_id=again.pk,
                by=consultant,
                values={
                    "override_level": levels[score.process.key],
                    "override_reason": "Agreed in the workshop.",
                    "change_explanation": "A new team.",
                },
                scored=True,
            )
    return Assessment.objects.get(pk=again.pk)


def test_the_headline_leads_with_median_and_spread_and_counts_the_unscored(demo):
    with translation.override("en"):
        summary = assessment_summary(demo)
    assert summary.headline == (
        "Median level 3; the processes range from 1 (Innovation) to 3 (Marketing, Werving & "
        "selectie and Service & maintenance). 2 of 7 processes are not scored yet."
    )
    assert (summary.median, summary.lowest, summary.highest) == (3.0, 1, 3)
    assert (summary.scored, summary.total) == (5, 7)
    assert summary.previous is None
    assert summary.changes == []
    assert not summary.is_final


def test_the_headline_in_dutch(demo):
    with translation.override("nl"):
        headline = assessment_summary(demo).headline
    assert "(Innovatie)" in headline  # the client's names in the report's language


def test_the_three_largest_gaps_come_first(demo):
    with translation.override("en"):
        gaps = assessment_summary(demo).gaps
    # Of two equal gaps, the process further from its next level first.
    assert gaps == [
        Gap("Innovation", 1, 4, 3),
        Gap("Sales", 2, 3, 1),
        Gap("Service & maintenance", 3, 4, 1),
    ]


def test_the_baseline_says_which_condition_is_missing_where(demo):
    with translation.override("en"):
        lines = assessment_summary(demo).baseline_missing
    assert lines, "the demo's level-1 and level-2 processes lack the level-3 baseline"
    assert lines == [
        "Policy: still missing for Innovation.",
        "Training: still missing for Innovation.",
        "Platforms: still missing for Sales and Innovation.",
    ]


def test_nothing_scored_says_so():
    from reports.summary import headline

    with translation.override("en"):
        assert headline([], 4) == "None of the 4 processes is scored yet."


def test_long_lists_of_names_are_cut():
    with translation.override("en"):
        assert names(["A"]) == "A"
        assert names(["A", "B"]) == "A and B"
        assert names(["A", "B", "C", "D", "E"]) == "A, B, C and 2 more"


def test_a_reassessment_lists_the_levels_that_changed(demo):
    again = remeasure(demo, {"sales": 4, "innovation": 2})
    with translation.override("en"):
        summary = assessment_summary(again)
    assert summary.previous.pk == demo.pk
    # Copying the answers scores the two processes left unscored last time (at level 1).
    assert summary.changes == [
        Change("Sales", 2, 4),
        Change("Innovation", 1, 2),
        Change("Production", None, 1),
        Change("Internal collaboration", None, 1),
    ]
    assert summary.headline.startswith(
        "Median level 3; the processes range from 1 (Production and Internal collaboration) "
        "to 4 (Sales)."
    )


def test_one_level_everywhere(make_big_assessment):
    assessment = make_big_assessment(3)
    with translation.override("en"):
        summary = assessment_summary(assessment)
    assert summary.headline == "Median level 2: all 3 processes scored are at level 2."
    assert [gap.gap for gap in summary.gaps] == [1, 1, 1]
