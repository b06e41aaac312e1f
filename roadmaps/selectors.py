"""The roadmap as shown: items with their progress flags, loaded in a fixed number of queries."""

from dataclasses import dataclass

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
    """The latest assessment of the organisation made after the one the roadmap answers."""
    base = roadmap.assessment
    return (
        Assessment.objects.filter(
            organisation=base.organisation_id, assessed_on__gt=base.assessed_on
        )
        .order_by("-assessed_on", "-id")
        .first()
    )


def met_pairs(assessment: Assessment) -> set[tuple[str, str]]:
    """(process key, criterion key) for every criterion met in `assessment`: keys, not ids, so
    a later assessment on a newer model version still matches."""
    through = ProcessScore.criteria_met.through.objects.filter(processscore__assessment=assessment)
    return set(through.values_list("processscore__process__key", "criterion__key"))


def roadmap_rows(roadmap: Roadmap, today: Quarter | None = None) -> list[ItemRow]:
    today = today or Quarter.current()
    names = {
        score.process_id: score.display_name
        for score in ProcessScore.objects.filter(assessment=roadmap.assessment_id).select_related(
            "process"
        )
    }
    later = later_assessment(roadmap)
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
