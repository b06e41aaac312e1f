"""Scoring an assessment to given levels, as the grid would: the demo data and the tests."""

from assessments.models import Criterion
from assessments.services import score_save


def score_to(assessment, levels: dict, by) -> None:
    """Score `assessment` as the grid would: per process key in `levels`, the criteria met up
    to that level."""
    criteria = list(Criterion.objects.filter(version=assessment.version).select_related("level"))
    for score in assessment.scores.select_related("process"):
        if score.process.key not in levels:
            continue
        reached = levels[score.process.key]
        met = {
            c.pk
            for c in criteria
            if c.process_id in (None, score.process_id) and c.level.number <= reached
        }
        score_save(
            assessment_id=assessment.pk,
            score_id=score.pk,
            by=by,
            values={"criteria": met, "ambition_level": max(reached, 3)},
            scored=True,
        )
