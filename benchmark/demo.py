"""Peer organisations with final assessments, straight into the database: the demo data
(`load_demo_benchmark`), the bench (bench/benchmark_rows.py) and the tests use them."""

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from assessments.models import Assessment, Criterion, ProcessScore
from assessments.services import assessment_finalise, assessment_start

SECTORS = [
    ("Retail", "Detailhandel"),
    ("Healthcare", "Zorg"),
    ("Public sector", "Overheid"),
    ("Manufacturing", "Industrie"),
]
SIZE_CLASSES = [
    ("Small (up to 50 staff)", "Klein (tot 50 medewerkers)"),
    ("Medium (50 to 250 staff)", "Middelgroot (50 tot 250 medewerkers)"),
    ("Large (over 250 staff)", "Groot (meer dan 250 medewerkers)"),
]


def lists_ensure():
    """The demo's sectors and size classes (English and Dutch names), made once."""
    from .models import Sector, SizeClass

    sectors = [
        Sector.objects.get_or_create(name=name, defaults={"name_nl": nl, "order": order})[0]
        for order, (name, nl) in enumerate(SECTORS, start=1)
    ]
    sizes = [
        SizeClass.objects.get_or_create(name=name, defaults={"name_nl": nl, "order": order})[0]
        for order, (name, nl) in enumerate(SIZE_CLASSES, start=1)
    ]
    return sectors, sizes


def criteria_up_to(assessment: Assessment, level_of: Callable[[str], int | None]) -> None:
    """Tick, for every process of the draft `assessment`, the applicable criteria up to the
    level `level_of(process key)` (None: leave it unscored): one insert for all of them."""
    criteria = list(Criterion.objects.filter(version=assessment.version_id).select_related("level"))
    links, scored = [], []
    through = ProcessScore.criteria_met.through
    for score in assessment.scores.select_related("process"):
        level = level_of(score.process.key)
        if level is None:
            continue
        scored.append(score.pk)
        links += [
            through(processscore_id=score.pk, criterion_id=c.pk)
            for c in criteria
            if c.process_id in (None, score.process_id) and c.level.number <= level
        ]
    through.objects.bulk_create(links, ignore_conflicts=True)
    ProcessScore.objects.filter(pk__in=scored).update(scored_at=timezone.now())


@transaction.atomic
def final_assessment(*, organisation, version, by, level_of, assessed_on=None) -> Assessment:
    """A baseline of `organisation` scored to `level_of(process key)` per process, final."""
    assessment = assessment_start(
        organisation=organisation, version=version, by=by, assessed_on=assessed_on
    )
    criteria_up_to(assessment, level_of)
    return assessment_finalise(assessment=assessment)
