"""Everything a maturity report shows, gathered once; the HTML page and the PDF both use it."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from assessments.charts import heatmap_data, radar_data
from assessments.comparison import compare, trend
from assessments.models import AspectCheck, Assessment, DvoAspect
from assessments.selectors import Catalogue, ScoredProcess, assessment_results
from roadmaps.charts import timeline_data
from roadmaps.models import Roadmap, RoadmapItem
from roadmaps.quarters import quarter_range
from roadmaps.selectors import roadmap_delivery, roadmap_rows
from workshops.models import Vote
from workshops.stats import vote_stats

LARGEST_GAPS = 3


@dataclass(frozen=True)
class Summary:
    lowest_level: object  # Level reached by every process
    average_progress: float | None
    with_ambition: int
    at_or_above: list[ScoredProcess]
    largest_gaps: list[ScoredProcess]
    overridden: int
    not_scored: list[str]


def summarise(catalogue: Catalogue, results: list[ScoredProcess]) -> Summary:
    """The figures over the processes scored (one not scored is no level 1)."""
    scored = [item for item in results if item.is_scored]
    progress = [item.result.progress for item in scored]
    with_ambition = [item for item in results if item.result.ambition is not None]
    gaps = sorted(
        (item for item in with_ambition if item.is_scored and item.result.gap > 0),
        key=lambda item: (-item.result.gap, item.result.progress),
    )
    return Summary(
        lowest_level=catalogue.level(min((item.result.level for item in scored), default=None)),
        average_progress=round(sum(progress) / len(progress), 1) if progress else None,
        with_ambition=len(with_ambition),
        at_or_above=[i for i in with_ambition if i.is_scored and i.result.meets_ambition],
        largest_gaps=gaps[:LARGEST_GAPS],
        overridden=sum(1 for item in results if item.result.overridden),
        not_scored=[item.score.display_name for item in results if not item.is_scored],
    )


BASELINE_LABELS = {
    "l3-policy": _("Policy"),
    "l3-platforms": _("Platforms"),
    "l3-training": _("Training"),
}


def baseline_conditions(catalogue: Catalogue, results: list[ScoredProcess]) -> dict:
    """The level-3 baseline (policy, platforms, training): met or not, per process."""
    conditions = [criterion for criterion in catalogue.criteria if criterion.is_baseline]
    for condition in conditions:
        condition.label = BASELINE_LABELS.get(condition.key) or condition.dimension.name
    return {
        "conditions": conditions,
        "rows": [
            {
                "item": item,
                # True met, False not met, None does not apply to this process.
                "cells": [
                    None if criterion.pk in item.not_applicable else criterion.pk in item.met_ids
                    for criterion in conditions
                ],
                "complete": all(
                    criterion.pk in item.met_ids or criterion.pk in item.not_applicable
                    for criterion in conditions
                ),
            }
            for item in results
        ],
    }


def aspect_rows(assessment: Assessment) -> list[dict]:
    checks = {check.aspect: check for check in assessment.aspects.all()}
    return [
        {
            "aspect": aspect,
            "status": checks[aspect.value].status
            if aspect.value in checks
            else AspectCheck.Status.NOT_ASSESSED,
            "status_label": checks[aspect.value].get_status_display()
            if aspect.value in checks
            else AspectCheck.Status.NOT_ASSESSED.label,
            "note": checks[aspect.value].note if aspect.value in checks else "",
        }
        for aspect in DvoAspect
    ]


def roadmap_section(assessment: Assessment, catalogue: Catalogue) -> dict | None:
    """The roadmap's open and done items over its eight quarters, or None without a roadmap."""
    roadmap = Roadmap.objects.filter(assessment=assessment).first()
    if roadmap is None:
        return None
    roadmap.assessment = assessment
    rows = [row for row in roadmap_rows(roadmap) if row.item.status != RoadmapItem.Status.DROPPED]
    quarters = quarter_range(roadmap.first_quarter)
    return {
        "roadmap": roadmap,
        "quarters": quarters,
        "rows": [
            {
                "row": row,
                "cells": [
                    row.item.start_quarter <= quarter.index <= row.item.end_quarter
                    for quarter in quarters
                ],
            }
            for row in rows
        ],
        "timeline": timeline_data(roadmap, rows, catalogue.dimensions),
    }


def thermometer_section(assessment: Assessment, results) -> dict | None:
    """For a re-assessment: the comparison with the previous one, the trend so far, and
    whether the previous roadmap delivered the levels it promised."""
    if assessment.previous_id is None:
        return None
    comparison = compare(assessment.previous, assessment)
    previous_roadmap = Roadmap.objects.filter(assessment=assessment.previous_id).first()
    delivery = None
    if previous_roadmap is not None:
        levels_now = {item.score.process.key: item.result.level for item in results}
        delivery = roadmap_delivery(previous_roadmap, assessment, levels_now)
    return {
        "comparison": comparison,
        "trend": trend(assessment.organisation, until=assessment),
        "delivery": delivery,
    }


def team_view(catalogue: Catalogue, results) -> list[dict]:
    """The workshop votes per process beside the level the team settled on."""
    votes: dict[int, list[int]] = {}
    for score_id, level in Vote.objects.filter(score__in=[i.score.pk for i in results]).values_list(
        "score_id", "level"
    ):
        votes.setdefault(score_id, []).append(level)
    scale = catalogue.level_numbers
    return [
        {"item": item, "stats": vote_stats(votes[item.score.pk], scale)}
        for item in results
        if item.score.pk in votes
    ]


def report_context(assessment: Assessment) -> dict:
    """The data of one report; call it inside the report's language (labels are translated)."""
    catalogue, results = assessment_results(assessment)
    thermometer = thermometer_section(assessment, results)
    previous = None
    if thermometer:
        previous = {
            change.key: change.then.result.progress
            for change in thermometer["comparison"]["changes"]
            if change.then
        }
    return {
        "assessment": assessment,
        "organisation": assessment.organisation,
        "catalogue": catalogue,
        "results": results,
        "summary": summarise(catalogue, results),
        "baseline": baseline_conditions(catalogue, results),
        "aspects": aspect_rows(assessment),
        "radar_data": radar_data(assessment, catalogue, results, previous),
        "heatmap": heatmap_data(catalogue, results),
        "roadmap": roadmap_section(assessment, catalogue),
        "thermometer": thermometer,
        "team_view": team_view(catalogue, results),
    }
