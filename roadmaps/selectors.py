"""The roadmap as shown: items with their progress flags, loaded in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Q

from assessments.models import Assessment, ProcessScore

from .models import Roadmap, RoadmapItem
from .quarters import Quarter


@dataclass(frozen=True)
class ItemRow:
    item: RoadmapItem
    process_name: str
    overdue: bool
    achieved: bool  # its criterion is met in a later assessment
    no_effect: bool  # marked done, but its criterion is still unmet in a later assessment


def later_assessment(roadmap: Roadmap) -> Assessment | None:
    """The latest assessment of the organisation made after the one the roadmap answers: by
    date, and on the same date by creation (the order the trend uses too)."""
    base = roadmap.assessment
    return (
        Assessment.objects.filter(organisation=base.organisation_id)
        .filter(
            Q(assessed_on__gt=base.assessed_on) | Q(assessed_on=base.assessed_on, id__gt=base.id)
        )
        .order_by("-assessed_on", "-id")
        .first()
    )


def met_pairs(assessment: Assessment) -> set[tuple[str, str]]:
    """(process key, criterion key) for every criterion met in `assessment`: keys, not ids, so
    a later assessment on a newer model version still matches."""
    through = ProcessScore.criteria_met.through.objects.filter(processscore__assessment=assessment)
    return set(through.values_list("processscore__process__key", "criterion__key"))


def roadmap_rows(
    roadmap: Roadmap, today: Quarter | None = None, later: Assessment | None = None
) -> list[ItemRow]:
    """`later`: the measurement to judge the items by (default: the latest after the roadmap's
    own assessment)."""
    today = today or Quarter.current()
    names = {
        score.process_id: score.display_name
        for score in ProcessScore.objects.filter(assessment=roadmap.assessment_id).select_related(
            "process"
        )
    }
    later = later or later_assessment(roadmap)
    met = met_pairs(later) if later else set()
    items = roadmap.items.select_related("process", "dimension", "criterion").order_by(
        "process__order", "start_quarter", "end_quarter", "id"
    )
    rows = []
    for item in items:
        pair = (
            item.process.key if item.process_id else "",
            item.criterion.key if item.criterion_id else "",
        )
        achieved = bool(later and item.criterion_id and pair in met)
        rows.append(
            ItemRow(
                item=item,
                process_name=names.get(item.process_id, "") if item.process_id else "",
                overdue=item.is_overdue(today),
                achieved=achieved,
                no_effect=bool(
                    later
                    and item.criterion_id
                    and item.status == RoadmapItem.Status.DONE
                    and not achieved
                ),
            )
        )
    return rows


def roadmap_delivery(roadmap: Roadmap, later: Assessment, levels_now: dict[str, int]) -> dict:
    """Did the roadmap deliver the levels it promised? Per process: the highest target level of
    its done items against the level reached in `later` (`levels_now`: process key -> level)."""
    rows = [
        r for r in roadmap_rows(roadmap, later=later) if r.item.status != RoadmapItem.Status.DROPPED
    ]
    promised: dict[str, tuple[str, int]] = {}
    for row in rows:
        item = row.item
        if item.process_id and item.target_level and item.status == RoadmapItem.Status.DONE:
            name, level = promised.get(item.process.key, (row.process_name, 0))
            promised[item.process.key] = (name, max(level, item.target_level))
    return {
        "items": len(rows),
        "done": sum(1 for r in rows if r.item.status == RoadmapItem.Status.DONE),
        "achieved": sum(1 for r in rows if r.achieved),
        "no_effect": sum(1 for r in rows if r.no_effect),
        "processes": [
            {
                "name": name,
                "promised": level,
                "reached": levels_now.get(key),
                "delivered": levels_now.get(key, 0) >= level,
            }
            for key, (name, level) in promised.items()
        ],
    }
