"""Everything a maturity report shows, gathered once; the HTML page and the PDF both use it."""

import functools
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.formats import number_format

from assessments.charts import COLOURS, heatmap_data, radar_data
from assessments.comparison import compare, trend
from assessments.models import AspectCheck, Assessment, DvoAspect
from assessments.selectors import Catalogue, ScoredProcess, assessment_results
from benchmark.charts import with_band
from benchmark.selectors import report_benchmark
from branding.brand import brand_for
from roadmaps.charts import timeline_data
from roadmaps.models import Roadmap, RoadmapItem
from roadmaps.quarters import quarter_range
from roadmaps.selectors import roadmap_delivery, roadmap_rows
from roadmaps.services import TITLE_LENGTH
from surveys.selectors import latest_survey, survey_results
from workshops.models import Vote
from workshops.selectors import reason_suggestion
from workshops.stats import vote_stats

from .summary import assessment_summary, baseline_label
from .svg import sparkline_svg


@dataclass(frozen=True)
class Summary:
    average_progress: float | None
    with_ambition: int
    at_or_above: list[ScoredProcess]
    overridden: int
    not_scored: list[str]


def summarise(catalogue: Catalogue, results: list[ScoredProcess]) -> Summary:
    """The figures over the processes scored (one not scored is no level 1)."""
    scored = [item for item in results if item.is_scored]
    progress = [item.result.progress for item in scored]
    with_ambition = [item for item in results if item.result.ambition is not None]
    return Summary(
        average_progress=round(sum(progress) / len(progress), 1) if progress else None,
        with_ambition=len(with_ambition),
        at_or_above=[i for i in with_ambition if i.is_scored and i.result.meets_ambition],
        overridden=sum(1 for item in results if item.result.overridden),
        not_scored=[item.score.display_name for item in results if not item.is_scored],
    )


def baseline_conditions(catalogue: Catalogue, results: list[ScoredProcess]) -> dict:
    """The level-3 baseline (policy, platforms, training): met or not, per process."""
    conditions = [criterion for criterion in catalogue.criteria if criterion.is_baseline]
    for condition in conditions:
        condition.label = baseline_label(condition)
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


class _Slot(int):
    """A count that prints as a marker: what a message looks like around its number."""

    def __str__(self) -> str:
        return COUNT_SLOT


COUNT_SLOT, MEDIAN_SLOT = "\u2063count\u2063", "\u2063median\u2063"


@functools.cache
def _suggestion_patterns() -> tuple[re.Pattern, ...]:
    """The workshop's suggested consensus reason (`reason_suggestion`) in every language, as
    patterns that take its count and median back out."""
    patterns = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for count in (1, 2):  # singular and plural (English and Dutch have two forms)
                text = reason_suggestion({"count": _Slot(count), "median": MEDIAN_SLOT})
                parts = re.split(f"({COUNT_SLOT}|{MEDIAN_SLOT})", text)
                groups = {
                    COUNT_SLOT: r"(?P<count>\d+)",
                    MEDIAN_SLOT: r"(?P<median>\d+(?:[.,]\d+)?|—)",
                }
                patterns.append(
                    re.compile("".join(groups.get(part) or re.escape(part) for part in parts))
                )
    return tuple(patterns)


def shown_reason(reason: str) -> str:
    """A consensus reason as the report shows it: the workshop's suggested wording, left as
    suggested, in the report's language (the consultant may have set it in another); the
    consultant's own words as they wrote them."""
    for pattern in _suggestion_patterns():
        match = pattern.fullmatch(reason.strip())
        if match:
            median = match["median"]
            if median != "—":
                median = float(median.replace(",", "."))
                median = int(median) if median.is_integer() else median
            return reason_suggestion({"count": int(match["count"]), "median": median})
    return reason


def drafted_title(criterion, language: str | None = None) -> str:
    """The title `roadmap_draft` gives the item that closes `criterion`."""
    text = criterion.text("text", language)
    return text if len(text) <= TITLE_LENGTH else text[: TITLE_LENGTH - 1] + "…"


def shown_title(item: RoadmapItem, criteria: dict) -> str:
    """An item's title in the report's language while it is the drafted one (the criterion's
    statement, drafted in the organisation's language); the consultant's own title as is."""
    criterion = criteria.get(item.criterion_id)
    if criterion is not None and item.title in {
        drafted_title(criterion, language) for language, _name in settings.LANGUAGES
    }:
        return drafted_title(criterion)
    return item.title


def timeline_rows(rows, quarters) -> list[dict]:
    """Per process (in the roadmap's order; cross-process items first): how many of its items
    run in each quarter (the one-glance timeline), and its items with the quarters they span,
    within the two years."""
    first, count = quarters[0].index, len(quarters)
    groups: dict[str, dict] = {}
    for row in rows:
        item = row.item
        start = min(max(item.start_quarter - first, 0), count - 1)
        end = min(max(item.end_quarter - first, start), count - 1)
        group = groups.setdefault(
            row.process_name,
            {
                "process": row.process_name,
                "entries": [],
                "running": [0] * count,  # items running in each quarter
                "open": [0] * count,  # of them, not done
            },
        )
        for offset in range(start, end + 1):
            group["running"][offset] += 1
            if item.status != RoadmapItem.Status.DONE:
                group["open"][offset] += 1
        group["entries"].append({"row": row, "start": quarters[start], "end": quarters[end]})
    for group in groups.values():
        # A cell per quarter with items running (their number; "done" once all of them are),
        # and one cell over each run of quarters without: every cell is a box to lay out.
        cells: list[dict] = []
        for running, still_open in zip(group["running"], group["open"], strict=True):
            if not running and cells and not cells[-1]["count"]:
                cells[-1]["span"] += 1
            else:
                cells.append(
                    {"count": running, "done": bool(running and not still_open), "span": 1}
                )
        group["cells"] = cells
    return list(groups.values())


def roadmap_section(assessment: Assessment, catalogue: Catalogue) -> dict | None:
    """The roadmap over its eight quarters, or None without one: the items accepted into the
    plan (open and done), by process. Drafted proposals nobody reviewed yet are no part of
    the plan: only counted."""
    roadmap = Roadmap.objects.filter(assessment=assessment).first()
    if roadmap is None:
        return None
    roadmap.assessment = assessment
    rows = [row for row in roadmap_rows(roadmap) if row.item.status != RoadmapItem.Status.DROPPED]
    criteria = {criterion.pk: criterion for criterion in catalogue.criteria}
    for row in rows:
        # Items are read afresh for this report (never cached, never saved here): the page's
        # timeline chart shows `title` too.
        row.item.title = row.item.shown_title = shown_title(row.item, criteria)
    accepted = [row for row in rows if not row.item.is_proposal]
    quarters = quarter_range(roadmap.first_quarter)
    return {
        "roadmap": roadmap,
        "quarters": quarters,
        "rows": accepted,
        "groups": timeline_rows(accepted, quarters),
        "proposals": len(rows) - len(accepted),
        "timeline": timeline_data(roadmap, accepted, catalogue.dimensions),
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
    progress = trend(assessment.organisation, until=assessment)
    return {
        "comparison": comparison,
        "trend": progress,
        "multiples": trend_multiples(progress, results),
        "delivery": delivery,
    }


def trend_multiples(data: dict, results) -> list[dict]:
    """The trend as one small chart per process (`assessments.comparison.trend`): its progress
    score at each measurement (None where it was not measured), first and last, and the
    ambition it has now."""
    ambitions = {item.score.process.key: item.result.ambition for item in results}
    multiples = []
    for key, name in data["processes"].items():
        values = [point["progress"].get(key) for point in data["points"]]
        measured = [value for value in values if value is not None]
        first, last = (measured[0], measured[-1]) if measured else (None, None)
        multiples.append(
            {
                "key": key,
                "name": name,
                "values": values,
                "values_text": ", ".join(
                    "—" if value is None else number_format(value, 1) for value in values
                ),
                "first": first,
                "last": last,
                "delta": round(last - first, 1) if len(measured) > 1 else None,
                "ambition": ambitions.get(key),
                # Numbers only (no client text): safe to put in the page as it is.
                "svg": sparkline_svg(values, data["top"], COLOURS["current"], ambitions.get(key)),
            }
        )
    return multiples


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
    for item in results:
        item.score.shown_override_reason = shown_reason(item.result.override_reason)
    thermometer = thermometer_section(assessment, results)
    # The peer figures per process (None for an organisation without the benchmark): the
    # radar's band, a column of the results table and a section of their own.
    benchmark = report_benchmark(assessment, results)
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
        # The consultancy's and the client's name, logos and accent (the cover, the page).
        "brand": brand_for(assessment.organisation),
        "catalogue": catalogue,
        "results": results,
        "summary": summarise(catalogue, results),
        "executive": assessment_summary(assessment, catalogue=catalogue, results=results),
        "baseline": baseline_conditions(catalogue, results),
        "aspects": aspect_rows(assessment),
        "radar_data": with_band(
            radar_data(assessment, catalogue, results, previous),
            benchmark.band() if benchmark else None,
        ),
        "heatmap": heatmap_data(catalogue, results),
        "roadmap": roadmap_section(assessment, catalogue),
        "thermometer": thermometer,
        "team_view": team_view(catalogue, results),
        "survey": survey_section(assessment),
        "benchmark": benchmark,
        "peer_column": bool(benchmark and benchmark.any_shown),
    }


def survey_section(assessment: Assessment):
    """The latest pre-workshop survey's figures per process (n, median, spread, confidence,
    perception gap), or None without a survey or an answer: the report shows only what the
    survey's group minimum lets through (surveys.stats)."""
    if getattr(assessment, "survey_id", True) is None:  # annotated: it has none
        return None
    survey = latest_survey(assessment)
    if survey is None:
        return None
    results = survey_results(survey)
    if not results.respondents:
        return None
    return results
