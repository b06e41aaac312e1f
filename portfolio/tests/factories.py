"""Small makers of portfolio test data: clients of a consultant, scored and finalised."""

import datetime

from django.db.models import F, Q
from django.utils import timezone

from assessments.models import Assessment, BusinessProcess, Criterion, Membership, ProcessScore
from assessments.services import assessment_start, organisation_create

KEYS = ("marketing", "sales", "innovation", "production")


def set_level(assessment, key: str, level: int, ambition: int | None = None) -> None:
    """Score process `key` at `level`: every criterion of the levels 2..level met."""
    score = assessment.scores.get(process__key=key)
    met = Criterion.objects.filter(
        Q(process=None) | Q(process=score.process_id),
        version=assessment.version_id,
        level__number__range=(2, level),
    ).values_list("pk", flat=True)
    through = ProcessScore.criteria_met.through
    through.objects.filter(processscore=score).delete()
    through.objects.bulk_create(through(processscore=score, criterion_id=pk) for pk in met)
    ProcessScore.objects.filter(pk=score.pk).update(
        scored_at=timezone.now(), ambition_level=ambition
    )
    Assessment.objects.filter(pk=assessment.pk).update(revision=F("revision") + 1)


def make_final(assessment) -> Assessment:
    Assessment.objects.filter(pk=assessment.pk).update(
        status=Assessment.Status.FINAL, finalised_at=timezone.now(), revision=F("revision") + 1
    )
    assessment.refresh_from_db()
    return assessment


def make_client(
    name: str,
    consultant,
    version,
    *,
    assessed_on: datetime.date | None = None,
    levels=(("marketing", 2, 4), ("sales", 3, 3), ("innovation", 1, 3)),
    final: bool = True,
    manager=None,
):
    """A client of `consultant` with four processes in scope and, if `assessed_on` is given,
    a baseline of that date scored at `levels` (key, level, ambition), final unless told."""
    processes = list(BusinessProcess.objects.filter(version=version, key__in=KEYS))
    organisation = organisation_create(
        name=name, report_language="en", processes=processes, consultant=consultant
    )
    if manager is not None:
        Membership.objects.create(organisation=organisation, user=manager, role="manager")
    assessment = None
    if assessed_on is not None:
        assessment = assessment_start(
            organisation=organisation, version=version, by=consultant, assessed_on=assessed_on
        )
        for key, level, ambition in levels:
            set_level(assessment, key, level, ambition)
        if final:
            make_final(assessment)
    return organisation, assessment
