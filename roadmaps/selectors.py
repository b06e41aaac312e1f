"""The roadmap as shown: items with their progress flags, loaded in a fixed number of queries."""

from dataclasses import dataclass

from django.core.cache import caches
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import get_language

from assessments.models import (
    Assessment,
    BusinessProcess,
    Criterion,
    Dimension,
    Level,
    ProcessScore,
)

from .models import Roadmap, RoadmapItem
from .quarters import Quarter

CACHE_TIMEOUT = 3600


@dataclass(frozen=True)
class ItemRow:
    item: RoadmapItem
    process_name: str
    overdue: bool
    achieved: bool  # its criterion is met in a later assessment
    no_effect: bool  # marked done, but its criterion is still unmet in a later assessment
    status_label: str = ""  # the item's status as shown


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
    a later assessment on a newer model version still matches. Kept in the local cache under
    the assessment's revision (bumped by every change of its criteria)."""

    def load():
        through = ProcessScore.criteria_met.through.objects.filter(
            processscore__assessment=assessment
        )
        return set(through.values_list("processscore__process__key", "criterion__key"))

    return caches["local"].get_or_set(assessment.cache_key("met-pairs"), load, CACHE_TIMEOUT)


def roadmap_processes(roadmap: Roadmap) -> list:
    """The assessment's processes in its order, each labelled with the client's name
    (`label`): what the roadmap's items may belong to."""
    processes = []
    scores = ProcessScore.objects.filter(assessment=roadmap.assessment_id).select_related("process")
    for score in scores:
        score.process.label = score.display_name
        processes.append(score.process)
    return processes


def roadmap_choices(roadmap: Roadmap) -> dict:
    """Processes (under the client's names), dimensions, levels and the criteria's keys (id ->
    key) of the assessment's model version. None of them changes while the version is
    published and the assessment's revision stays: then they come from the local cache, in
    one small entry (no query)."""
    assessment = roadmap.assessment

    def load():
        version = assessment.version_id
        return {
            "processes": roadmap_processes(roadmap),
            "dimensions": list(Dimension.objects.filter(version=version).order_by("order")),
            "levels": list(Level.objects.filter(version=version).order_by("number")),
            "criterion_keys": dict(
                Criterion.objects.filter(version=version).values_list("pk", "key")
            ),
        }

    if not assessment.version.is_published:  # a draft's names may change under it
        return load()
    key = assessment.cache_key("roadmap-choices", get_language())
    return caches["local"].get_or_set(key, load, CACHE_TIMEOUT)


def roadmap_rows(
    roadmap: Roadmap,
    today: Quarter | None = None,
    later: Assessment | None = None,
    choices: dict | None = None,
) -> list[ItemRow]:
    """`later`: the measurement to judge the items by (default: the latest after the roadmap's
    own assessment). `choices`: `roadmap_choices(roadmap)`, if the caller has them: each item
    gets its process (labelled with the client's name), dimension and criterion's key
    (`criterion_key`) from them, so the items are read in one plain query."""
    today = today or Quarter.current()
    if choices is None:
        choices = roadmap_choices(roadmap)
    processes = {process.pk: process for process in choices["processes"]}
    dimensions = {dimension.pk: dimension for dimension in choices["dimensions"]}
    later = later or later_assessment(roadmap)
    met = met_pairs(later) if later else set()
    items = list(roadmap.items.order_by())  # a plain read; sorted below
    # A process no longer in the assessment's scope, a dimension or criterion of another
    # version: still shown (by its catalogue name).
    if missing := {i.process_id for i in items if i.process_id and i.process_id not in processes}:
        for process in BusinessProcess.objects.filter(pk__in=missing):
            process.label = process.name
            processes[process.pk] = process
    if missing := {i.dimension_id for i in items if i.dimension_id not in dimensions} - {None}:
        dimensions |= {d.pk: d for d in Dimension.objects.filter(pk__in=missing)}
    keys = choices["criterion_keys"]
    if missing := {i.criterion_id for i in items if i.criterion_id not in keys} - {None}:
        keys = {**keys, **dict(Criterion.objects.filter(pk__in=missing).values_list("pk", "key"))}
    for item in items:
        if item.process_id:
            item.process = processes[item.process_id]
        if item.dimension_id:
            item.dimension = dimensions[item.dimension_id]
        item.criterion_key = keys.get(item.criterion_id, "")
    # By process (cross-process items first), then by when.
    items.sort(
        key=lambda i: (
            i.process.order if i.process_id else -1,
            i.start_quarter,
            i.end_quarter,
            i.pk,
        )
    )
    statuses = {value: capfirst(str(label)) for value, label in RoadmapItem.Status.choices}
    rows = []
    for item in items:
        pair = (item.process.key if item.process_id else "", item.criterion_key)
        achieved = bool(later and item.criterion_id and pair in met)
        rows.append(
            ItemRow(
                item=item,
                process_name=item.process.label if item.process_id else "",
                overdue=item.is_overdue(today),
                achieved=achieved,
                no_effect=bool(
                    later
                    and item.criterion_id
                    and item.status == RoadmapItem.Status.DONE
                    and not achieved
                ),
                status_label=statuses[item.status],
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


def item_conflict(conflict, form) -> dict:
    """Both versions of each field two editors changed in one item, as the form shows them:
    what a refused save shows beside each field (the editor's input stays in it). Marks the
    form's fields with their `conflict`."""
    fields = []
    for clash in conflict.conflicts:
        field = form.fields[clash.field]
        labels = {str(value): label for value, label in getattr(field, "choices", ())}

        def show(value, labels=labels):
            if value in (None, ""):
                return "—"
            return str(labels.get(str(value), value))

        field.conflict = {
            "name": clash.field,
            "label": field.label,
            "theirs": show(clash.theirs),
            "mine": show(clash.mine),
            "value": "" if clash.theirs is None else clash.theirs,
        }
        fields.append(field.conflict)
    current = conflict.current
    return {
        "current": current,
        "fields": fields,
        "keep": f"{current.revision}:" + ",".join(sorted({c.field for c in conflict.conflicts})),
    }
