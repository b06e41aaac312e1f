"""Writes of the roadmaps app.

Every change of an item goes through one locked write (`_write`): one `save()`, so
django-simple-history records it once, the item's revision bumped (two editors' changes merge
field by field against the revision each loaded) and the roadmap's revision bumped (the cached
report is keyed by it).
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from assessments import merging
from assessments.models import Assessment, BusinessProcess, Criterion
from assessments.selectors import assessment_results

from . import planning
from .models import Roadmap, RoadmapItem
from .quarters import ROADMAP_QUARTERS, Quarter

# What an editor changes in an item (the form's fields) and what accepting a proposal changes.
ITEM_FIELDS = (
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
)
FOREIGN_KEYS = ("process", "dimension")
NOT_EDITED = ("roadmap", "criterion", "updated_by", "updated_at", "revision")

TITLE_LENGTH = 200


@transaction.atomic
def roadmap_create(*, assessment: Assessment, start: Quarter) -> Roadmap:
    if Roadmap.objects.filter(assessment=assessment).exists():
        raise ValidationError(_("This assessment has a roadmap already."))
    roadmap = Roadmap(assessment=assessment, start_quarter=start.index)
    roadmap.full_clean()
    roadmap.save()
    return roadmap


def _title(criterion: Criterion, language: str) -> str:
    text = criterion.text("text", language)
    return text if len(text) <= TITLE_LENGTH else text[: TITLE_LENGTH - 1] + "…"


@transaction.atomic
def roadmap_draft(*, roadmap: Roadmap, by) -> int:
    """Propose one item per unmet criterion between level and ambition; returns how many were
    added. Items drafted before (kept, edited or dropped) are never proposed again."""
    assessment = roadmap.assessment
    catalogue, results = assessment_results(assessment)
    existing = set(
        roadmap.items.filter(criterion__isnull=False).values_list("process__key", "criterion__key")
    )
    gaps = [
        planning.ProcessGap(
            process=item.score.process.key,
            level=item.result.level,
            ambition=item.result.ambition,
            unmet=item.result.unmet_to_ambition,
        )
        for item in results
    ]
    baseline = {criterion.key for criterion in catalogue.criteria if criterion.is_baseline}
    proposals = planning.draft(
        gaps, baseline=baseline, existing=existing, quarters=ROADMAP_QUARTERS
    )
    processes = {p.key: p for p in BusinessProcess.objects.filter(version=assessment.version)}
    criteria = {criterion.key: criterion for criterion in catalogue.criteria}
    language = assessment.organisation.language_of_reports()
    with translation.override(language):
        items = [
            RoadmapItem(
                roadmap=roadmap,
                title=_title(criteria[proposal.criterion], language),
                process=processes[proposal.process],
                dimension=criteria[proposal.criterion].dimension,
                criterion=criteria[proposal.criterion],
                target_level=proposal.level,
                start_quarter=roadmap.start_quarter + proposal.start,
                end_quarter=roadmap.start_quarter + proposal.end,
                is_proposal=True,
                updated_by=by,
            )
            for proposal in proposals
        ]
    # The unique constraint (roadmap, process, criterion) refuses a concurrent second draft.
    try:
        with transaction.atomic():
            bulk_create_with_history(items, RoadmapItem, default_user=by)
    except IntegrityError as error:
        raise ValidationError(
            _("Someone drafted this roadmap at the same moment; look at the items and try again.")
        ) from error
    if items:
        roadmap_changed(roadmap.pk)
    return len(items)


def roadmap_changed(roadmap_id: int) -> None:
    """An item was added or changed: what the roadmap shows may differ, and so its report."""
    Roadmap.objects.filter(pk=roadmap_id).update(
        revision=F("revision") + 1, updated_at=timezone.now()
    )


class ItemConflict(Exception):
    """Someone else changed the same field of the item since the editor loaded it."""

    def __init__(self, current: RoadmapItem, conflicts: list[merging.Conflict]):
        self.current = current  # the item as stored now
        self.conflicts = conflicts  # field names and plain values (ids for processes etc.)
        super().__init__(f"conflicting save of roadmap item {current.pk}")


def _plain(value: Any) -> Any:
    """What merging compares: a process or dimension by its id."""
    return value.pk if isinstance(value, Model) else value


def item_state(item) -> dict:
    """The editable values of an item, or of one of its history records, as plain values."""
    return {
        name: getattr(item, f"{name}_id" if name in FOREIGN_KEYS else name) for name in ITEM_FIELDS
    }


def item_state_at(item: RoadmapItem, revision: int) -> dict | None:
    """The item as it was at `revision`, from its audit trail (None if not recorded)."""
    record = item.history.filter(revision=revision).order_by("-history_id").first()
    return item_state(record) if record is not None else None


def _locked(item: RoadmapItem) -> RoadmapItem:
    """The item as stored now, locked until the transaction ends, on the caller's roadmap."""
    locked = RoadmapItem.objects.select_for_update().get(pk=item.pk, roadmap=item.roadmap_id)
    locked.roadmap = item.roadmap
    return locked


def _check(item: RoadmapItem, changed: Collection[str], values: Mapping[str, Any]) -> None:
    """What the database constraints hold, said in words, plus what they cannot see: a
    process or dimension of the roadmap's model version, quarters within its two years."""
    roadmap = item.roadmap
    errors = {}
    for name in FOREIGN_KEYS:
        chosen = values.get(name)
        if (
            name in changed
            and isinstance(chosen, Model)
            and chosen.version_id != roadmap.assessment.version_id
        ):
            errors[name] = _("%(value)s is not one of the choices offered for this roadmap.") % {
                "value": chosen.pk
            }
    first, last = roadmap.start_quarter, roadmap.last_quarter.index
    for name in ("start_quarter", "end_quarter"):
        if name in changed and not first <= getattr(item, name) <= last:
            errors[name] = _("%(value)s is not one of the choices offered for this roadmap.") % {
                "value": getattr(item, name)
            }
    if not errors and item.end_quarter < item.start_quarter:
        errors["end_quarter"] = _(
            "The end quarter (%(end)s) lies before the start quarter (%(start)s)."
        ) % {"end": item.end, "start": item.start}
    if errors:
        raise ValidationError(errors)


def _write(item: RoadmapItem, stored: dict, merged: dict, *, by, values=None) -> RoadmapItem:
    """Store `merged` over `stored` (the locked item's values): only what changed, in one
    `save()`; nothing at all when nothing changed. `values`: the caller's, for the process and
    dimension objects chosen (the merged values hold their ids)."""
    values = values or {}
    changed = [name for name in ITEM_FIELDS if merged[name] != stored[name]]
    if not changed:
        return item
    for name in changed:
        if name in FOREIGN_KEYS:
            chosen = values.get(name)
            if isinstance(chosen, Model) and chosen.pk == merged[name]:
                setattr(item, name, chosen)
            else:
                setattr(item, f"{name}_id", merged[name])
        else:
            setattr(item, name, merged[name])
    _check(item, changed, values)
    # Field by field (lengths, choices) for what changed; `_check` did the rest without a query.
    item.full_clean(
        exclude=[
            *NOT_EDITED,
            *FOREIGN_KEYS,
            *(name for name in ITEM_FIELDS if name not in changed),
        ],
        validate_unique=False,
        validate_constraints=False,
    )
    item.revision += 1
    item.updated_by = by
    item._history_user = by  # django-simple-history's documented way to name the user
    item.save(update_fields=[*changed, "revision", "updated_by", "updated_at"])
    roadmap_changed(item.roadmap_id)
    return item


@transaction.atomic
def item_create(*, roadmap: Roadmap, values: dict, by) -> RoadmapItem:
    """A new item from an editor's `values` (see `ITEM_FIELDS`; a process and dimension as
    objects)."""
    item = RoadmapItem(roadmap=roadmap, updated_by=by)
    for name, value in values.items():
        setattr(item, name, value)
    _check(item, values.keys(), values)
    item.full_clean(exclude=list(FOREIGN_KEYS), validate_unique=False, validate_constraints=False)
    item._history_user = by
    item.save()
    roadmap_changed(roadmap.pk)
    return item


@transaction.atomic
def item_save(
    *,
    item: RoadmapItem,
    values: dict,
    by,
    base_revision: int | None = None,
    keep_mine: Collection[str] = (),
    seen_revision: int | None = None,
) -> RoadmapItem:
    """Save what an editor changed in an item; returns the item as stored now.

    `values`: any of `ITEM_FIELDS` as the editor wants them (a process and dimension as
    objects). `base_revision`: the revision the editor's form was loaded at; what others saved
    since is merged in field by field, and only a field both changed to different values is
    refused with `ItemConflict`, saving nothing. Without it the values apply to the item as
    stored. `keep_mine`: fields whose conflict the editor saw at `seen_revision` and settled
    for their own input (saved again since: compared anew). A save that changes nothing writes
    nothing."""
    locked = _locked(item)
    stored = item_state(locked)
    changes = {name: _plain(value) for name, value in values.items() if name in ITEM_FIELDS}
    if seen_revision != locked.revision:
        keep_mine = ()
    base = stored
    if base_revision is not None and base_revision != locked.revision:
        base = item_state_at(locked, base_revision)
    if base is None:  # the trail lacks what the editor started from: every difference asks
        conflicts = [
            merging.Conflict(name, None, stored[name], value)
            for name, value in changes.items()
            if value != stored[name] and name not in keep_mine
        ]
        if conflicts:
            raise ItemConflict(locked, conflicts)
        base = stored  # what is left differs where the editor settled for their own input
    merged, conflicts = merging.merge(base, stored, {**base, **changes}, keep_mine=keep_mine)
    if conflicts:
        raise ItemConflict(locked, conflicts)
    return _write(locked, stored, merged, by=by, values=values)


@transaction.atomic
def item_accept(*, item: RoadmapItem, by) -> RoadmapItem:
    """Keep a proposal in the plan. Changes nothing else, so it never conflicts with an edit."""
    locked = _locked(item)
    stored = item_state(locked)
    return _write(locked, stored, {**stored, "is_proposal": False}, by=by)


@transaction.atomic
def item_move(*, item: RoadmapItem, quarters: int, by) -> RoadmapItem:
    """Shift the item by `quarters` from where it is now (not where the editor saw it: two
    clicks move it twice, and an edit of another field in between is kept), keeping its length,
    within the roadmap's two years."""
    locked = _locked(item)
    stored = item_state(locked)
    roadmap = locked.roadmap
    start, end = locked.start_quarter + quarters, locked.end_quarter + quarters
    if start < roadmap.start_quarter or end > roadmap.last_quarter.index:
        raise ValidationError(
            _("%(item)s cannot move outside the roadmap (%(first)s – %(last)s).")
            % {"item": locked.title, "first": roadmap.first_quarter, "last": roadmap.last_quarter}
        )
    return _write(locked, stored, {**stored, "start_quarter": start, "end_quarter": end}, by=by)


@dataclass
class Decided:
    """What `proposals_decide` did: the items written, and those refused with the reason."""

    done: list[RoadmapItem] = field(default_factory=list)
    refused: list[tuple[int, RoadmapItem | None, str]] = field(default_factory=list)


@transaction.atomic
def proposals_decide(*, roadmap: Roadmap, seen: Mapping[int, int], accept: bool, by) -> Decided:
    """Accept (or drop) many proposals at once. `seen`: item id -> the revision the user saw
    when choosing. A decision over many rows was taken on what the page showed, so an item
    changed since (by anyone), no longer a proposal or not on this roadmap is refused and
    reported, never decided unseen; the others are written together (one history record
    each). A dropped proposal counts as reviewed: it is no proposal any more."""
    items = {
        item.pk: item
        # In id order, as every writer locks them: two of these at once never deadlock.
        for item in RoadmapItem.objects.select_for_update()
        .filter(roadmap=roadmap, pk__in=seen)
        .order_by("pk")
    }
    result = Decided()
    now = timezone.now()
    for pk, revision in seen.items():
        item = items.get(pk)
        if item is None:
            result.refused.append((pk, None, _("It is not on this roadmap.")))
        elif item.revision != revision:
            result.refused.append(
                (pk, item, _("Someone changed it after you loaded the page; look at it again."))
            )
        elif not item.is_proposal:
            result.refused.append((pk, item, _("It is not a proposal.")))
        else:
            item.is_proposal = False
            if not accept:
                item.status = RoadmapItem.Status.DROPPED
            item.revision += 1
            item.updated_by = by
            item.updated_at = now  # bulk_update sets no auto_now fields
            item._history_user = by
            result.done.append(item)
    if result.done:
        bulk_update_with_history(
            result.done,
            RoadmapItem,
            ["is_proposal", "status", "revision", "updated_by", "updated_at"],
            default_user=by,
        )
        roadmap_changed(roadmap.pk)
    return result
