"""The audit trail of one assessment: who changed which score, aspect or roadmap item, when,
from what to what. Built from django-simple-history's records, a page at a time, in a fixed
number of queries."""

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Exists, OuterRef, Q, Subquery, Value
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
PAGE_SIZE = 50  # records per page of the history
MAX_PAGE = 100_000  # a larger page number in the URL is taken as the first


def _display(model, field_name: str, value):
    if value in (None, ""):
        return "—"
    field = model._meta.get_field(field_name)
    if field.choices:
        return str(dict(field.choices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


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


@dataclass(frozen=True)
class HistoryPage:
    """One page of the audit trail, newest first. `entries` holds the page's records that
    changed something shown (a save that changed nothing shown here has none)."""

    entries: list[dict]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def page_number(value) -> int:
    """A page number from the query string: 1 for anything but a number in range."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return number if 1 <= number <= MAX_PAGE else 1


def _previous_record(model):
    """The id of the record before each one of the same object (date, then id order)."""
    earlier = model.objects.filter(id=OuterRef("id")).filter(
        Q(history_date__lt=OuterRef("history_date"))
        | Q(history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id"))
    )
    return Subquery(earlier.order_by("-history_date", "-history_id").values("history_id")[:1])


def _with_previous(model, ids: list[int]) -> list[tuple]:
    """(previous, record) for the records `ids`: two queries, none when there are no ids."""
    if not ids:
        return []
    records = list(
        model.objects.filter(history_id__in=ids)
        .annotate(previous_id=_previous_record(model))
        .select_related("history_user")
    )
    wanted = [record.previous_id for record in records if record.previous_id is not None]
    previous = {record.history_id: record for record in model.objects.filter(history_id__in=wanted)}
    return [(previous.get(record.previous_id), record) for record in records]


def _blank(model, fields) -> Q:
    """The fields all empty, as the record of an object just created holds them."""
    condition = Q()
    for name in fields:
        field = model._meta.get_field(name)
        condition &= Q(**{f"{field.attname}__isnull": True}) if field.null else Q(**{name: ""})
    return condition


def assessment_history(
    assessment: Assessment, page: int = 1, per_page: int = PAGE_SIZE
) -> HistoryPage:
    """Page `page` of the assessment's audit trail, `per_page` records newest first, read in
    the database: one query orders the records of the scores, aspects and roadmap items
    together and reads that page's ids (one more, to know whether an older page follows);
    then a fixed number of queries read those records and the one before each, whatever the
    length of the trail."""
    score_model = ProcessScore.history.model
    aspect_model = AspectCheck.history.model
    item_model = RoadmapItem.history.model
    met_model = apps.get_model("assessments", "HistoricalProcessScore_criteria_met")
    roadmap = Roadmap.objects.filter(assessment=assessment).first()

    # A score as assessment_start creates it shows nothing: left out in the query, so that
    # pages are not filled with them.
    created_blank = (
        Q(history_type="+")
        & _blank(ProcessScore, SCORE_FIELDS)
        & ~Exists(met_model.objects.filter(history_id=OuterRef("history_id")))
    )
    trails = [
        score_model.objects.filter(assessment_id=assessment.pk).exclude(created_blank),
        aspect_model.objects.filter(assessment_id=assessment.pk),
    ]
    if roadmap is not None:
        trails.append(item_model.objects.filter(roadmap_id=roadmap.pk))
    # Each trail tagged with its kind (0 scores, 1 aspects, 2 items): the same columns in each.
    trails = [
        trail.order_by()
        .annotate(kind=Value(kind))
        .values_list("history_date", "kind", "history_id")
        for kind, trail in enumerate(trails)
    ]
    start = (page - 1) * per_page
    rows = list(
        trails[0]
        .union(*trails[1:], all=True)
        .order_by("-history_date", "-kind", "-history_id")[start : start + per_page + 1]
    )
    has_next = len(rows) > per_page
    rows = rows[:per_page]
    ids = {kind: [pk for _when, k, pk in rows if k == kind] for kind in range(3)}

    scores = _with_previous(score_model, ids[0])
    aspects = _with_previous(aspect_model, ids[1])
    items = _with_previous(item_model, ids[2])

    entries = {}  # history id and kind -> entry, put in the page's order at the end
    if scores:
        shown = [r.history_id for pair in scores for r in pair if r is not None]
        met: dict[int, set[int]] = {}
        for history_id, criterion_id in met_model.objects.filter(history_id__in=shown).values_list(
            "history_id", "criterion_id"
        ):
            met.setdefault(history_id, set()).add(criterion_id)
        statements = {  # in the active language (a translated property)
            c.pk: c.statement
            for c in Criterion.objects.filter(
                version=assessment.version_id, pk__in=set().union(*met.values())
            )
        }
        levels = {
            level.number: str(level)
            for level in Level.objects.filter(version=assessment.version_id)
        }
        level_names = {"ambition_level": levels, "override_level": levels}
    if scores or items:
        names = {s.pk: s for s in assessment.scores.select_related("process")}
    for before, record in scores:
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
            score = names.get(record.id)
            what = score.display_name if score else "?"
            entries[0, record.history_id] = _entry(record, what, changes)

    for before, record in aspects:
        changes = _changes(AspectCheck, ASPECT_FIELDS, before, record)
        if changes:
            entries[1, record.history_id] = _entry(record, record.get_aspect_display(), changes)

    if items:
        processes = {s.process_id: s.display_name for s in names.values()}
        dimensions = {d.pk: str(d.name) for d in assessment.version.dimensions.all()}
        # Quarters are stored as one number (year * 4 + quarter - 1): shown as "2027 Q1".
        quarters = {
            index: str(Quarter(index))
            for pair in items
            for record in pair
            if record is not None
            for index in (record.start_quarter, record.end_quarter)
        }
        labels = {
            "process": processes,
            "dimension": dimensions,
            "start_quarter": quarters,
            "end_quarter": quarters,
        }
        for before, record in items:
            changes = _changes(RoadmapItem, ITEM_FIELDS, before, record, labels)
            if changes or record.history_type == "-":
                entries[2, record.history_id] = _entry(
                    record, _("Roadmap: %(title)s") % {"title": record.title}, changes
                )
    ordered = [entries[kind, pk] for _when, kind, pk in rows if (kind, pk) in entries]
    return HistoryPage(entries=ordered, number=page, has_next=has_next)
