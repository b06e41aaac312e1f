"""The audit trail of one assessment: who changed which score, aspect or roadmap item, when,
from what to what. Built from django-simple-history's records in a fixed number of queries."""

from django.apps import apps
from django.utils.translation import gettext as _

from assessments.models import AspectCheck, Assessment, Criterion, Level, ProcessScore
from assessments.services import SCORE_FIELDS
from roadmaps.models import Roadmap, RoadmapItem
from roadmaps.quarters import Quarter

ASPECT_FIELDS = ["status", "note"]
ITEM_FIELDS = [
    "title",
    "description",
    "process",
    "dimension",
    "target_level",
    "start_quarter",
    "end_quarter",
    "owner",
    "status",
    "is_proposal",
]
LIMIT = 300


def _display(model, field_name: str, value):
    if value in (None, ""):
        return "—"
    field = model._meta.get_field(field_name)
    if field.choices:
        return str(dict(field.choices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _pairs(records):
    """(previous, record) per object, oldest first."""
    previous = {}
    for record in records:
        yield previous.get(record.id), record
        previous[record.id] = record


def _changes(model, fields, before, after, labels=None):
    labels = labels or {}
    changes = []
    for name in fields:
        attribute = model._meta.get_field(name).attname  # `process_id` for a relation
        old = getattr(before, attribute, None) if before else None
        new = getattr(after, attribute)
        if old != new and not (before is None and new in (None, "", False)):
            table = labels.get(name)
            changes.append(
                {
                    "field": model._meta.get_field(name).verbose_name,
                    "old": table.get(old, "—") if table else _display(model, name, old),
                    "new": table.get(new, "—") if table else _display(model, name, new),
                }
            )
    return changes


def _entry(record, what, changes):
    return {
        "when": record.history_date,
        "who": record.history_user,
        "what": what,
        "type": record.history_type,
        "changes": changes,
    }


def assessment_history(assessment: Assessment) -> list[dict]:
    entries = []
    names = {s.pk: s.display_name for s in assessment.scores.select_related("process")}

    score_model = ProcessScore.history.model
    records = list(
        score_model.objects.filter(assessment_id=assessment.pk)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    met_model = apps.get_model("assessments", "HistoricalProcessScore_criteria_met")
    met: dict[int, set[int]] = {}
    for history_id, criterion_id in met_model.objects.filter(history__in=records).values_list(
        "history_id", "criterion_id"
    ):
        met.setdefault(history_id, set()).add(criterion_id)
    statements = {
        c.pk: c.statement for c in Criterion.objects.filter(version=assessment.version_id)
    }
    levels = {
        level.number: str(level) for level in Level.objects.filter(version=assessment.version_id)
    }
    level_names = {"ambition_level": levels, "override_level": levels}
    for before, record in _pairs(records):
        changes = _changes(ProcessScore, SCORE_FIELDS, before, record, level_names)
        old = met.get(before.history_id, set()) if before else set()
        new = met.get(record.history_id, set())
        for pk in sorted(new - old):
            changes.append({"field": _("criterion met"), "old": "", "new": statements.get(pk, pk)})
        for pk in sorted(old - new):
            changes.append(
                {"field": _("criterion no longer met"), "old": statements.get(pk, pk), "new": ""}
            )
        if changes:
            entries.append(_entry(record, names.get(record.id, "?"), changes))

    aspect_model = AspectCheck.history.model
    aspects = (
        aspect_model.objects.filter(assessment_id=assessment.pk)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    for before, record in _pairs(aspects):
        changes = _changes(AspectCheck, ASPECT_FIELDS, before, record)
        if changes:
            entries.append(_entry(record, record.get_aspect_display(), changes))

    roadmap = Roadmap.objects.filter(assessment=assessment).first()
    if roadmap is not None:
        processes = {
            s.process_id: s.display_name for s in assessment.scores.select_related("process")
        }
        dimensions = {d.pk: str(d.name) for d in assessment.version.dimensions.all()}
        item_model = RoadmapItem.history.model
        items = list(
            item_model.objects.filter(roadmap_id=roadmap.pk)
            .select_related("history_user")
            .order_by("id", "history_date", "history_id")
        )
        # Quarters are stored as one number (year * 4 + quarter - 1): shown as "2027 Q1".
        quarters = {
            index: str(Quarter(index))
            for record in items
            for index in (record.start_quarter, record.end_quarter)
        }
        labels = {
            "process": processes,
            "dimension": dimensions,
            "start_quarter": quarters,
            "end_quarter": quarters,
        }
        for before, record in _pairs(items):
            changes = _changes(RoadmapItem, ITEM_FIELDS, before, record, labels)
            if changes or record.history_type == "-":
                entries.append(
                    _entry(record, _("Roadmap: %(title)s") % {"title": record.title}, changes)
                )
    entries.sort(key=lambda entry: entry["when"], reverse=True)
    return entries[:LIMIT]
