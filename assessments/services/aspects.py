"""The five DVO aspects of an assessment, saved by several editors without losing a change."""

from django.db import transaction

from .. import merging
from ..models import AspectCheck, Assessment
from .assessments import bump_revision
from .scores import FinalAssessmentError

ASPECT_FIELDS = ("status", "note")
UNASSESSED = {"status": AspectCheck.Status.NOT_ASSESSED, "note": ""}


class AspectsConflict(Exception):
    """Someone else changed the same aspect field since the editor loaded the form."""

    def __init__(self, conflicts: dict[str, list[merging.Conflict]], current: dict):
        self.conflicts = conflicts  # aspect -> its conflicting fields
        self.current = current  # aspect -> AspectCheck as stored now (or None)
        super().__init__("conflicting save of DVO aspects")


def _values(check: AspectCheck | None) -> dict:
    return {name: getattr(check, name) for name in ASPECT_FIELDS} if check else dict(UNASSESSED)


def _base(check: AspectCheck | None, revision: int) -> dict | None:
    """The aspect as the editor loaded it: revision 0 is "not recorded yet"."""
    if revision == 0:
        return dict(UNASSESSED)
    if check is None:
        return None
    if revision == check.revision:
        return _values(check)
    record = check.history.filter(revision=revision).order_by("-history_id").first()
    return _values(record) if record else None


@transaction.atomic
def aspects_save(*, assessment: Assessment, values: dict[str, dict], by, keep_mine=()) -> int:
    """Record the status and note of the DVO aspects. `values`: aspect -> {"status", "note",
    "revision" (what the editor loaded; 0 for an aspect not recorded then), "seen" (the
    revision at which the editor saw a conflict, for `keep_mine`)}. What others changed since
    is merged in; a field both changed differently raises `AspectsConflict`, saving nothing.
    `keep_mine`: aspects whose conflict the editor settled for their own input. Returns how
    many aspects changed."""
    if Assessment.objects.select_for_update().get(pk=assessment.pk).is_final:
        raise FinalAssessmentError
    existing = {
        check.aspect: check
        for check in AspectCheck.objects.select_for_update().filter(assessment=assessment)
    }
    writes, conflicts = [], {}
    for aspect, wanted in values.items():
        check = existing.get(aspect)
        stored = _values(check)
        base = _base(check, wanted["revision"])
        mine = {name: wanted[name] for name in ASPECT_FIELDS}
        settled = aspect in keep_mine and check is not None and wanted.get("seen") == check.revision
        if base is None:  # not in the trail: every difference asks
            base = mine if settled else stored
            found = [
                merging.Conflict(name, None, stored[name], mine[name])
                for name in ASPECT_FIELDS
                if mine[name] != stored[name] and not settled
            ]
            merged = mine if settled else stored
        else:
            merged, found = merging.merge(
                base, stored, mine, keep_mine=ASPECT_FIELDS if settled else ()
            )
        if found:
            conflicts[aspect] = found
        elif merged != stored:
            writes.append((check or AspectCheck(assessment=assessment, aspect=aspect), merged))
    if conflicts:
        raise AspectsConflict(conflicts, existing)
    for check, merged in writes:
        for name, value in merged.items():
            setattr(check, name, value)
        if check.pk:
            check.revision += 1
        check.updated_by = by
        check._history_user = by
        check.full_clean(validate_constraints=False, validate_unique=False)
        check.save()
    if writes:
        bump_revision(assessment.pk)
    return len(writes)
