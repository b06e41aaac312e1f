"""Writes of the roadmaps app."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from assessments.models import Assessment, BusinessProcess, Criterion
from assessments.selectors import assessment_results

from . import planning
from .models import Roadmap, RoadmapItem
from .quarters import ROADMAP_QUARTERS, Quarter

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
    language = assessment.organisation.report_language
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
    return len(items)


@transaction.atomic
def item_save(*, item: RoadmapItem, values: dict, by) -> RoadmapItem:
    for field, value in values.items():
        setattr(item, field, value)
    item.updated_by = by
    item.full_clean(validate_unique=False)
    item.save()
    return item


@transaction.atomic
def item_accept(*, item: RoadmapItem, by) -> RoadmapItem:
    return item_save(item=item, values={"is_proposal": False}, by=by)


@transaction.atomic
def item_move(*, item: RoadmapItem, quarters: int, by) -> RoadmapItem:
    """Shift the item by `quarters`, keeping its length, within the roadmap's two years."""
    roadmap = item.roadmap
    start, end = item.start_quarter + quarters, item.end_quarter + quarters
    if start < roadmap.start_quarter or end > roadmap.last_quarter.index:
        raise ValidationError(
            _("%(item)s cannot move outside the roadmap (%(first)s – %(last)s).")
            % {"item": item.title, "first": roadmap.first_quarter, "last": roadmap.last_quarter}
        )
    return item_save(item=item, values={"start_quarter": start, "end_quarter": end}, by=by)
