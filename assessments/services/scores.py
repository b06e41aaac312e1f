"""The one write path of a process score: the workshop grid, the live workshop and the admin.

Every save goes through `ProcessScore.save()`, so django-simple-history records it (one record
per save, criteria included) and any signal receiver sees it.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import merging
from ..access import get_score_for
from ..models import NotApplicable, ProcessScore
from .assessments import bump_revision

# The fields of a score the grid edits (besides its criteria).
SCORE_FIELDS = (
    "ambition_level",
    "ambition_reason",
    "override_level",
    "override_reason",
    "notes",
    "evidence",
    "confidence",
    "change_explanation",
)
# Written by the live workshop, never by the grid's form.
WORKSHOP_FIELDS = ("team_vote",)
# What a save may carry: the fields, the criteria met (a set of criterion ids) and the
# criteria not applicable (criterion id -> reason).
STATE_KEYS = (*SCORE_FIELDS, *WORKSHOP_FIELDS, "criteria", "not_applicable")


class FinalAssessmentError(Exception):
    """A final assessment is read-only."""


class ScoreConflict(Exception):
    """Someone else changed the same field since the editor loaded the process."""

    def __init__(self, current: ProcessScore, state: dict, conflicts: list[merging.Conflict]):
        self.current = current
        self.state = state
        self.conflicts = conflicts
        super().__init__(f"conflicting save of process score {current.pk}")


@dataclass
class ScoreSaved:
    score: ProcessScore  # as stored now
    state: dict  # its fields, criteria and criteria not applicable
    # What the editor's form does not show yet: keys of `state` merged in from someone else.
    theirs: set[str] = field(default_factory=set)
    changed: bool = True


def score_state(score: ProcessScore) -> dict:
    """The values, criteria met and criteria not applicable of a stored score (two queries)."""
    through = ProcessScore.criteria_met.through
    return {
        **{name: getattr(score, name) for name in (*SCORE_FIELDS, *WORKSHOP_FIELDS)},
        "criteria": frozenset(
            through.objects.filter(processscore=score.pk).values_list("criterion_id", flat=True)
        ),
        "not_applicable": dict(
            NotApplicable.objects.filter(score=score.pk).values_list("criterion_id", "reason")
        ),
    }


def state_at(score: ProcessScore, revision: int) -> dict | None:
    """The score as it was at `revision`, from its audit trail (None if not recorded)."""
    record = score.history.filter(revision=revision).order_by("-history_id").first()
    if record is None:
        return None
    return {
        **{name: getattr(record, name) for name in (*SCORE_FIELDS, *WORKSHOP_FIELDS)},
        "criteria": frozenset(record.criteria_met.values_list("criterion_id", flat=True)),
        "not_applicable": dict(record.not_applicable.values_list("criterion_id", "reason")),
    }


def score_locked(*, assessment_id: int, score_id: int, by, as_admin: bool = False) -> ProcessScore:
    """Score `score_id` of assessment `assessment_id` with its assessment and model version,
    both locked until the transaction ends (so no save slips past a concurrent one or a "mark
    final"), the user's access checked in the same read: a consultant of the organisation (as
    `get_score_for` decides), or (`as_admin`, Django admin) staff allowed to change scores.
    Call it inside `transaction.atomic`; the grid's save parses the editor's input against it
    and hands it to `score_save`."""
    if transaction.get_autocommit():
        raise transaction.TransactionManagementError("score_locked() needs a transaction")
    if not as_admin:
        return get_score_for(by, assessment_id, score_id, write=True, lock=True)
    if not (by.is_staff and by.has_perm("assessments.change_processscore")):
        raise PermissionDenied
    return get_object_or_404(
        ProcessScore.objects.select_related("assessment__version", "updated_by").select_for_update(
            of=("self", "assessment")
        ),
        pk=score_id,
        assessment_id=assessment_id,
    )


def score_save(
    *,
    assessment_id: int | None = None,
    score_id: int | None = None,
    locked: ProcessScore | None = None,
    by,
    values: dict,
    base_revision: int | None = None,
    keep_mine=(),
    seen_revision: int | None = None,
    scored: bool = False,
    as_admin: bool = False,
) -> ScoreSaved:
    """Save what an editor changed in one process.

    `values`: any of `STATE_KEYS`, as the editor wants them. `base_revision`: the revision the
    editor's values started from; what others saved since is merged in field by field (and
    criterion by criterion), and only a field both changed to different values is refused with
    `ScoreConflict`, saving nothing. Without `base_revision` the values apply to the score as
    stored (the live workshop's consensus). `keep_mine`: fields whose conflict the editor saw at
    `seen_revision` and settled for their own input. `scored`: the editor chose a level (which
    may tick nothing, for level 1). `as_admin`: an edit in Django admin, by staff allowed to
    change scores. A save that changes nothing writes nothing.

    The score is locked and the access checked (`score_locked`) in a transaction of its own,
    or, given `locked`, in the caller's: the grid's save parses the editor's input against the
    score it locked and hands it over, one read for both. Every refusal is raised before the
    first write."""
    change = {
        "by": by,
        "values": values,
        "base_revision": base_revision,
        "keep_mine": keep_mine,
        "seen_revision": seen_revision,
        "scored": scored,
    }
    if locked is not None:
        if transaction.get_autocommit():
            raise transaction.TransactionManagementError("a locked score needs its transaction")
        return _save(locked, **change)
    with transaction.atomic():
        score = score_locked(
            assessment_id=assessment_id, score_id=score_id, by=by, as_admin=as_admin
        )
        return _save(score, **change)


def _save(
    score: ProcessScore, *, by, values, base_revision, keep_mine, seen_revision, scored
) -> ScoreSaved:
    if score.assessment.is_final:
        raise FinalAssessmentError
    stored = score_state(score)
    base = stored
    if base_revision is not None and base_revision != score.revision:
        base = state_at(score, base_revision)
    if base is None:  # the trail lacks what the editor started from: every difference asks
        mine = {**stored, **{key: values[key] for key in STATE_KEYS if key in values}}
        conflicts = [
            merging.Conflict(key, None, stored[key], mine[key])
            for key in STATE_KEYS
            if mine[key] != stored[key]
            and not (key in keep_mine and seen_revision == score.revision)
        ]
        if conflicts:
            raise ScoreConflict(score, stored, conflicts)
        base = stored  # what is left differs where the editor settled for their own input
    mine = {**base, **{key: values[key] for key in STATE_KEYS if key in values}}
    if seen_revision != score.revision:
        keep_mine = ()  # saved again since the editor compared: compare anew
    merged, conflicts = merging.merge(base, stored, mine, keep_mine=keep_mine)
    if conflicts:
        raise ScoreConflict(score, stored, conflicts)
    # One marked it as not applying while the other ticked it: it does not apply.
    merged["criteria"] = frozenset(merged["criteria"]) - set(merged["not_applicable"])
    theirs = {key for key in STATE_KEYS if key in values and merged[key] != values[key]}
    becomes_scored = score.scored_at is None and (
        scored
        or any(merged[key] != stored[key] for key in ("criteria", "not_applicable"))
        or merged["override_level"] != stored["override_level"]
    )
    if merged == stored and not becomes_scored:
        return ScoreSaved(score, stored, theirs, changed=False)
    _check(merged)
    _write(score, stored, merged, by=by, scored=becomes_scored)
    return ScoreSaved(score, merged, theirs)


def _check(state: dict) -> None:
    if state["override_level"] is not None and not (state["override_reason"] or "").strip():
        raise ValidationError(
            {
                "override_reason": _(
                    "A consensus level needs a reason; give one or clear the consensus level."
                )
            }
        )
    if any(not (reason or "").strip() for reason in state["not_applicable"].values()):
        raise ValidationError(
            {"not_applicable": _("Say why a criterion does not apply to this process.")}
        )


def _write(score: ProcessScore, stored: dict, merged: dict, *, by, scored: bool) -> None:
    """Store `merged` over `stored`: the fields checked first, then the criteria by their
    difference, then one `save()`, which django-simple-history records with the criteria as
    they now are."""
    changed = [name for name in (*SCORE_FIELDS, *WORKSHOP_FIELDS) if merged[name] != stored[name]]
    for name in changed:
        setattr(score, name, merged[name])
    if "override_level" in changed or "override_reason" in changed:
        score.override_carried_over = False
        changed.append("override_carried_over")
    if scored:
        score.scored_at = timezone.now()
        changed.append("scored_at")
    # Field by field (lengths, level ranges); `_check` did what the constraints hold.
    score.full_clean(
        exclude=["assessment", "process", "updated_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    through = ProcessScore.criteria_met.through
    # Through-table rows directly (no m2m signals): the one audit record is the save's below.
    if removed := stored["criteria"] - merged["criteria"]:
        through.objects.filter(processscore=score.pk, criterion__in=removed).delete()
    if added := merged["criteria"] - stored["criteria"]:
        through.objects.bulk_create(
            through(processscore_id=score.pk, criterion_id=pk) for pk in sorted(added)
        )
    before, after = stored["not_applicable"], merged["not_applicable"]
    if gone := [pk for pk in before if pk not in after or before[pk] != after[pk]]:
        NotApplicable.objects.filter(score=score.pk, criterion__in=gone).delete()
    if new := [pk for pk in after if pk not in before or before[pk] != after[pk]]:
        NotApplicable.objects.bulk_create(
            NotApplicable(score_id=score.pk, criterion_id=pk, reason=after[pk]) for pk in new
        )
    score.revision += 1
    score.updated_by = by
    score._history_user = by  # django-simple-history's documented way to name the user
    score.save(update_fields=[*changed, "revision", "updated_by", "updated_at"])
    bump_revision(score.assessment_id)
    # Locked with the score, so nobody else moved it meanwhile: the revision is now one up.
    score.assessment.revision += 1
