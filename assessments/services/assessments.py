"""Starting, finishing and re-measuring assessments; the DVO aspects."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from ..models import (
    AspectCheck,
    Assessment,
    BusinessProcess,
    Criterion,
    Level,
    ModelVersion,
    NotApplicable,
    Organisation,
    ProcessScore,
)
from ..signals import assessment_finalised


@transaction.atomic
def assessment_start(
    *, organisation: Organisation, version: ModelVersion, by, assessed_on=None
) -> Assessment:
    """A baseline of the organisation's processes in scope against a published version.
    Scope entries are matched to the version's processes by their stable key."""
    if not version.is_published:
        raise ValidationError(_("Assessments are made against a published model version."))
    scope = list(organisation.processes.select_related("process").order_by("order", "id"))
    if not scope:
        raise ValidationError(_("Choose the organisation's processes in scope first."))
    by_key = {process.key: process for process in BusinessProcess.objects.filter(version=version)}
    missing = [entry.display_name for entry in scope if entry.process.key not in by_key]
    if missing:
        raise ValidationError(
            _("This model version has no process for: %(names)s.") % {"names": ", ".join(missing)}
        )
    assessment = Assessment(
        organisation=organisation,
        version=version,
        kind=Assessment.Kind.BASELINE,
        created_by=by,
        **({"assessed_on": assessed_on} if assessed_on else {}),
    )
    assessment.full_clean()
    assessment.save()
    bulk_create_with_history(  # each score's history starts at its creation, by `by`
        [
            ProcessScore(
                assessment=assessment,
                process=by_key[entry.process.key],
                custom_name=entry.custom_name,
                order=order,
            )
            for order, entry in enumerate(scope, start=1)
        ],
        ProcessScore,
        default_user=by,
    )
    return assessment


def bump_revision(assessment_id: int) -> None:
    """Everything shown of the assessment may have changed: every cache of its rendered parts
    (and its PDF) is keyed by this number."""
    Assessment.objects.filter(pk=assessment_id).update(revision=F("revision") + 1)


@transaction.atomic
def assessment_finalise(*, assessment: Assessment) -> Assessment:
    Assessment.objects.select_for_update().get(pk=assessment.pk)  # no save slips in meanwhile
    missing = changed_without_explanation(assessment)
    if missing:
        raise ValidationError(
            _("Explain what changed in the organisation for every changed level first: %(names)s.")
            % {"names": ", ".join(missing)}
        )
    now = timezone.now()
    updated = Assessment.objects.filter(pk=assessment.pk, status=Assessment.Status.DRAFT).update(
        status=Assessment.Status.FINAL, finalised_at=now, updated_at=now, revision=F("revision") + 1
    )
    if not updated:
        raise ValidationError(_("This assessment is final already."))
    assessment.refresh_from_db()
    transaction.on_commit(lambda: assessment_finalised.send(Assessment, assessment=assessment))
    return assessment


@transaction.atomic
def assessment_delete(*, assessment: Assessment) -> None:
    if assessment.is_final:
        raise ValidationError(_("A final assessment cannot be deleted."))
    if assessment.followups.exists():
        raise ValidationError(_("A re-assessment builds on this assessment; delete that first."))
    assessment.delete()


def assessment_focus(*, assessment: Assessment, score: ProcessScore | None) -> None:
    """Put a process before the room (the presenter screen follows it), or none."""
    if score is not None and score.assessment_id != assessment.pk:
        raise ValidationError(_("That process is not part of this assessment."))
    Assessment.objects.filter(pk=assessment.pk).update(focus=score)
    assessment.focus = score


def newer_versions(assessment: Assessment):
    """Published versions of the same model an assessment may move to (its own included)."""
    return ModelVersion.objects.published().filter(
        model=assessment.version.model_id, number__gte=assessment.version.number
    )


@transaction.atomic
def reassessment_start(
    *,
    previous: Assessment,
    version: ModelVersion,
    copy_answers: bool,
    by,
    assessed_on=None,
) -> Assessment:
    """Measure again: a re-assessment of the previous (final) assessment's processes, with its
    ambitions and, on request, its criteria met as the starting point. Processes and criteria
    are matched by their stable keys, so the consultant may move to a newer model version;
    whatever cannot be matched is recorded in `carried_over["unmatched"]`, never dropped
    silently."""
    if not previous.is_final:
        raise ValidationError(_("A re-assessment starts from a final assessment."))
    if not newer_versions(previous).filter(pk=version.pk).exists():
        raise ValidationError(
            _("Choose the same or a newer published version of %(model)s.")
            % {"model": previous.version.model}
        )
    processes = {p.key: p for p in BusinessProcess.objects.filter(version=version)}
    criteria = {
        c.key: c for c in Criterion.objects.filter(version=version).select_related("process")
    }
    levels = set(Level.objects.filter(version=version).values_list("number", flat=True))
    unmatched: list[str] = []
    through = ProcessScore.criteria_met.through
    assessment = Assessment(
        organisation=previous.organisation,
        version=version,
        kind=Assessment.Kind.REASSESSMENT,
        previous=previous,
        created_by=by,
        **({"assessed_on": assessed_on} if assessed_on else {}),
    )
    assessment.full_clean()
    assessment.save()
    old_scores = previous.scores.select_related("process").prefetch_related(
        "criteria_met", "exclusions__criterion"
    )
    for order, old in enumerate(old_scores.order_by("order", "id"), start=1):
        process = processes.get(old.process.key)
        if process is None:
            unmatched.append(
                _("Process “%(name)s” has no counterpart in %(version)s.")
                % {"name": old.display_name, "version": version}
            )
            continue
        ambition = old.ambition_level
        if ambition is not None and ambition not in levels:
            unmatched.append(
                _("Ambition %(level)s of “%(name)s” is not a level of %(version)s.")
                % {"level": ambition, "name": old.display_name, "version": version}
            )
            ambition = None
        override = old.override_level if old.override_level in levels else None
        if old.override_level is not None and override is None:
            unmatched.append(
                _("Consensus level %(level)s of “%(name)s” is not a level of %(version)s.")
                % {"level": old.override_level, "name": old.display_name, "version": version}
            )
        score = ProcessScore(
            assessment=assessment,
            process=process,
            custom_name=old.custom_name,
            order=order,
            ambition_level=ambition,
            ambition_reason=old.ambition_reason if ambition is not None else "",
            override_level=override,
            override_reason=old.override_reason if override is not None else "",
            override_carried_over=override is not None,
            updated_by=by,
            # Answers or a consensus taken over are last time's: the process is scored.
            scored_at=timezone.now() if copy_answers or override is not None else None,
        )
        score.full_clean(exclude=["assessment"], validate_unique=False)
        # Its one audit record is written below, once the criteria are in place too.
        score.save_without_historical_record()
        if copy_answers:
            carried, excluded = [], []
            for criterion in old.criteria_met.all():
                match = _counterpart(criteria, criterion, process)
                if match is None:
                    unmatched.append(_unmatched_criterion(criterion, old, version))
                else:
                    carried.append(through(processscore=score, criterion=match))
            for exclusion in old.exclusions.all():
                match = _counterpart(criteria, exclusion.criterion, process)
                if match is None:
                    unmatched.append(_unmatched_criterion(exclusion.criterion, old, version))
                else:
                    excluded.append(
                        NotApplicable(score=score, criterion=match, reason=exclusion.reason)
                    )
            through.objects.bulk_create(carried)
            NotApplicable.objects.bulk_create(excluded)
        score._history_user = by
        score.save(update_fields=["updated_at"])  # the audit record, with the criteria
    _aspects_carry_over(previous, assessment, by)
    assessment.carried_over = {"copied_answers": copy_answers, "unmatched": unmatched}
    assessment.save(update_fields=["carried_over"])
    bump_revision(previous.pk)  # its pages offer the re-assessment now
    return assessment


def _counterpart(criteria: dict, criterion: Criterion, process: BusinessProcess):
    match = criteria.get(criterion.key)
    if match is None or match.process_id not in (None, process.pk):
        return None
    return match


def _unmatched_criterion(criterion, old: ProcessScore, version) -> str:
    return _("Criterion “%(key)s” of “%(name)s” has no counterpart in %(version)s.") % {
        "key": criterion.key,
        "name": old.display_name,
        "version": version,
    }


def _aspects_carry_over(previous: Assessment, assessment: Assessment, by) -> None:
    """The DVO aspects as they stood: a starting point to confirm or change."""
    bulk_create_with_history(
        [
            AspectCheck(
                assessment=assessment, aspect=check.aspect, status=check.status, note=check.note
            )
            for check in previous.aspects.all()
        ],
        AspectCheck,
        default_user=by,
    )


def changed_without_explanation(assessment: Assessment) -> list[str]:
    """Processes of a re-assessment whose level changed but whose change is not explained
    (a process not scored yet has no level to compare)."""
    from ..selectors import assessment_results

    if assessment.previous_id is None:
        return []
    _catalogue, results = assessment_results(assessment)
    _previous_catalogue, earlier = assessment_results(assessment.previous)
    before = {item.score.process.key: item.result.level for item in earlier}
    return [
        item.score.display_name
        for item in results
        if item.score.is_scored
        and item.score.process.key in before
        and before[item.score.process.key] != item.result.level
        and not item.score.change_explanation.strip()
    ]
