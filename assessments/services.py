"""Writes that touch several models. Each is atomic and validates before it saves."""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from .models import (
    AspectCheck,
    Assessment,
    BusinessProcess,
    Criterion,
    Dimension,
    Level,
    Membership,
    ModelVersion,
    Organisation,
    OrganisationProcess,
    ProcessScore,
)
from .sql import Statement, insert_row, update_row


def version_problems(version: ModelVersion) -> list[str]:
    """What stops a draft from being published; empty when it is complete."""
    problems = []
    numbers = list(version.levels.values_list("number", flat=True))
    if len(numbers) < 2:
        problems.append(_("A model needs at least two levels."))
    if numbers != list(range(1, len(numbers) + 1)):
        problems.append(_("Levels must be numbered 1, 2, 3, ... without gaps."))
    if not version.dimensions.exists():
        problems.append(_("A model needs at least one dimension."))
    if not version.processes.exists():
        problems.append(_("A model needs at least one business process."))
    if version.criteria.filter(level__number__lt=2).exists():
        problems.append(_("Criteria belong to level 2 or higher; level 1 is the floor."))
    foreign = version.criteria.exclude(level__version=version) | version.criteria.exclude(
        dimension__version=version
    )
    if (
        foreign.exists()
        or version.criteria.filter(process__isnull=False).exclude(process__version=version).exists()
    ):
        problems.append(
            _("Some criteria point at another version's levels, dimensions or processes.")
        )
    return problems


@transaction.atomic
def version_publish(*, version: ModelVersion) -> ModelVersion:
    version = ModelVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise ValidationError(_("%(version)s is already published.") % {"version": version})
    problems = version_problems(version)
    if problems:
        raise ValidationError(problems)
    version.status = ModelVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.full_clean()
    version.save()
    return version


@transaction.atomic
def version_clone(*, version: ModelVersion) -> ModelVersion:
    """Copy a version with all its content into a new draft with the next number.
    Keys are kept, so answers can be matched between the two."""
    next_number = (
        ModelVersion.objects.filter(model=version.model_id).aggregate(n=Max("number"))["n"] + 1
    )
    draft = ModelVersion(
        model_id=version.model_id,
        number=next_number,
        notes=_("Cloned from version %(number)s.") % {"number": version.number},
        cloned_from=version,
    )
    draft.full_clean()
    draft.save()

    def copy(queryset, **remap):
        rows = []
        for row in queryset:
            clone = type(row)(
                **{
                    field.attname: getattr(row, field.attname)
                    for field in row._meta.concrete_fields
                    if not field.primary_key
                }
            )
            clone.version = draft
            for attname, mapping in remap.items():
                old = getattr(row, attname)
                setattr(clone, attname, mapping[old].pk if old is not None else None)
            rows.append((row.pk, clone))
        type_ = queryset.model
        type_.objects.bulk_create([clone for _pk, clone in rows])
        return dict(rows)

    levels = copy(Level.objects.filter(version=version))
    dimensions = copy(Dimension.objects.filter(version=version))
    processes = copy(BusinessProcess.objects.filter(version=version))
    copy(
        Criterion.objects.filter(version=version),
        level_id=levels,
        dimension_id=dimensions,
        process_id=processes,
    )
    return draft


@transaction.atomic
def organisation_create(
    *, name: str, report_language: str, processes, consultant=None
) -> Organisation:
    """A client with its processes in scope; the creating consultant becomes a member."""
    organisation = Organisation(name=name, report_language=report_language)
    organisation.full_clean()
    organisation.save()
    for order, process in enumerate(processes, start=1):
        scope = OrganisationProcess(organisation=organisation, process=process, order=order)
        scope.full_clean()
        scope.save()
    if consultant is not None:
        Membership.objects.create(
            organisation=organisation, user=consultant, role=Membership.Role.CONSULTANT
        )
    return organisation


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


@transaction.atomic
def scope_update(*, organisation: Organisation, selections) -> None:
    """Set the processes in scope to `selections` [(BusinessProcess, custom_name)], matching
    existing entries by the process's stable key so a rename survives a model change."""
    current = {
        entry.process.key: entry for entry in organisation.processes.select_related("process")
    }
    wanted = {process.key for process, _name in selections}
    organisation.processes.exclude(process__key__in=wanted).delete()
    for order, (process, custom_name) in enumerate(selections, start=1):
        entry = current.get(process.key) or OrganisationProcess(organisation=organisation)
        entry.process = process
        entry.custom_name = "" if custom_name == process.name else custom_name
        entry.order = order
        entry.full_clean(validate_unique=False)
        entry.save()


def member_add(*, organisation: Organisation, user, role: str) -> Membership:
    membership = Membership(organisation=organisation, user=user, role=role)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def member_remove(*, membership: Membership) -> None:
    consultants = Membership.objects.select_for_update().filter(
        organisation=membership.organisation_id, role=Membership.Role.CONSULTANT
    )
    if membership.is_consultant and consultants.count() <= 1:
        raise ValidationError(_("An organisation needs at least one consultant."))
    membership.delete()


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
        status=Assessment.Status.FINAL, finalised_at=now, updated_at=now
    )
    if not updated:
        raise ValidationError(_("This assessment is final already."))
    assessment.refresh_from_db()
    return assessment


@transaction.atomic
def assessment_delete(*, assessment: Assessment) -> None:
    if assessment.is_final:
        raise ValidationError(_("A final assessment cannot be deleted."))
    if assessment.followups.exists():
        raise ValidationError(_("A re-assessment builds on this assessment; delete that first."))
    assessment.delete()


class StaleScoreError(Exception):
    """The process was saved by someone else since the editor loaded it."""

    def __init__(self, current: ProcessScore):
        self.current = current
        super().__init__(f"stale save of process score {current.pk}")


class FinalAssessmentError(Exception):
    """A final assessment is read-only."""


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


def score_values(score: ProcessScore, criteria_ids) -> dict:
    return {
        **{field: getattr(score, field) for field in SCORE_FIELDS},
        "criteria": set(criteria_ids),
    }


def score_save(
    *, score: ProcessScore, revision: int, values: dict, criteria_ids, by, locked: bool = False
) -> ProcessScore:
    """Save one process of the workshop grid, unless someone else saved it since `revision`.
    Returns the process as stored now (with `criteria_ids` as its criteria met).

    The row is read under a lock, together with its assessment (so a save cannot slip past a
    concurrent "mark final"), and the revision is checked and bumped while the lock is held: of
    two concurrent saves the second waits for the first, then sees its revision and is
    refused. PostgreSQL locks the rows; SQLite (IMMEDIATE transactions) lets one writer in at a
    time. A save that changes nothing succeeds without a write (a repeated autosave is never a
    conflict). Every write bumps the revision: the grid's cached rows rely on that too.

    `locked`: the caller has read `score` (with its assessment) under that lock in the
    transaction it is in, with `access.get_score_for(..., lock=True)`; the save is then part
    of that transaction and reads nothing again. Otherwise it is a transaction of its own.
    """
    if locked:
        if not transaction.get_connection().in_atomic_block:
            raise transaction.TransactionManagementError(
                "score_save(locked=True) runs inside the transaction that locked the score."
            )
        return _score_write(score, score, revision, values, criteria_ids, by)
    with transaction.atomic():
        current = (
            ProcessScore.objects.select_related("assessment")
            .select_for_update(of=("self", "assessment"))
            .get(pk=score.pk)
        )
        return _score_write(score, current, revision, values, criteria_ids, by)


_LINKS = Statement(
    "score_links",
    "SELECT id, criterion_id FROM assessments_processscore_criteria_met WHERE processscore_id = %s",
)


def _score_write(score, current, revision, values, criteria_ids, by) -> ProcessScore:
    """`score_save` once `current` (the stored row) is locked."""
    if current.assessment.is_final:
        raise FinalAssessmentError
    through = ProcessScore.criteria_met.through
    links = dict(_LINKS.fetch_all([current.pk]))  # link row id -> criterion id
    wanted = {**{field: values[field] for field in SCORE_FIELDS}, "criteria": set(criteria_ids)}
    if score_values(current, links.values()) == wanted:
        score.revision = current.revision
        return current
    if current.revision != revision:
        raise StaleScoreError(current)
    # The criteria through the link table directly: the difference is known already.
    if removed := {pk for pk, criterion in links.items() if criterion not in wanted["criteria"]}:
        through.objects.filter(pk__in=removed).delete()
    if added := wanted["criteria"] - set(links.values()):
        created = through.objects.bulk_create(
            through(processscore_id=current.pk, criterion_id=pk) for pk in sorted(added)
        )
        links.update((link.pk, link.criterion_id) for link in created)
    links = {pk: criterion for pk, criterion in links.items() if pk not in removed}
    for field in SCORE_FIELDS:
        setattr(current, field, values[field])
    current.revision = revision + 1
    current.updated_by = by
    current.updated_at = timezone.now()
    current.clean_fields(exclude=["assessment", "process", "custom_name", "updated_by"])
    # One UPDATE, no signals: the history is recorded below, once, with the criteria.
    update_row(current, [*SCORE_FIELDS, "revision", "updated_by", "updated_at"])
    _score_history_record(current, links, by)
    score.revision = current.revision
    return current


def _score_history_record(score: ProcessScore, links: dict[int, int], by) -> None:
    """The audit record of `score` as just saved, with its criteria met (`links`: link row id
    -> criterion id): the rows django-simple-history writes after a save (as its
    `bulk_history_create` builds them), written from what the save knows already instead of
    read back (which takes two more queries and a join)."""
    history = apps.get_model("assessments", "HistoricalProcessScore")
    record = history(
        history_date=timezone.now(),
        history_user=by,
        history_change_reason=None,
        history_type="~",
        **{field.attname: getattr(score, field.attname) for field in history.tracked_fields},
    )
    insert_row(record)
    if not links:
        return
    met_model = apps.get_model("assessments", "HistoricalProcessScore_criteria_met")
    met_model.objects.bulk_create(
        met_model(history=record, id=link, processscore_id=score.pk, criterion_id=criterion)
        for link, criterion in sorted(links.items())
    )


@transaction.atomic
def aspects_save(*, assessment: Assessment, values: dict[str, tuple[str, str]], by) -> None:
    """Record the status and note of the five DVO aspects of an assessment."""
    if Assessment.objects.select_for_update().get(pk=assessment.pk).is_final:
        raise FinalAssessmentError
    existing = {check.aspect: check for check in assessment.aspects.all()}
    for aspect, (status, note) in values.items():
        check = existing.get(aspect) or AspectCheck(assessment=assessment, aspect=aspect)
        if check.pk and (check.status, check.note) == (status, note):
            continue
        check.status, check.note, check.updated_by = status, note, by
        check.full_clean(validate_constraints=False, validate_unique=False)
        check.save()


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
    old_scores = previous.scores.select_related("process").prefetch_related("criteria_met")
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
        score = ProcessScore.objects.create(
            assessment=assessment,
            process=process,
            custom_name=old.custom_name,
            order=order,
            ambition_level=ambition,
            ambition_reason=old.ambition_reason if ambition is not None else "",
            updated_by=by,
        )
        if not copy_answers:
            continue
        carried = []
        for criterion in old.criteria_met.all():
            match = criteria.get(criterion.key)
            if match is None or match.process_id not in (None, process.pk):
                unmatched.append(
                    _("Criterion “%(key)s” met for “%(name)s” has no counterpart in %(version)s.")
                    % {"key": criterion.key, "name": old.display_name, "version": version}
                )
            else:
                carried.append(match)
        score.criteria_met.set(carried)
    assessment.carried_over = {"copied_answers": copy_answers, "unmatched": unmatched}
    assessment.save(update_fields=["carried_over"])
    return assessment


def changed_without_explanation(assessment: Assessment) -> list[str]:
    """Processes of a re-assessment whose level changed but whose change is not explained."""
    from .selectors import assessment_results

    if assessment.previous_id is None:
        return []
    _catalogue, results = assessment_results(assessment)
    _previous_catalogue, earlier = assessment_results(assessment.previous)
    before = {item.score.process.key: item.result.level for item in earlier}
    return [
        item.score.display_name
        for item in results
        if item.score.process.key in before
        and before[item.score.process.key] != item.result.level
        and not item.score.change_explanation.strip()
    ]
