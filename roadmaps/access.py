from django.http import Http404
from django.shortcuts import get_object_or_404

from assessments.access import MAX_ID, member_of, narrowed, require

from .models import Roadmap, RoadmapItem


def _valid(*ids: int) -> None:
    """An id beyond what the database holds matches nothing (and SQLite would refuse it)."""
    if not all(0 < pk <= MAX_ID for pk in ids):
        raise Http404


def get_roadmap_for(user, pk: int, *, write: bool = False) -> Roadmap:
    """Roadmap `pk` with its assessment (carrying the user's role as `my_role`), one query."""
    _valid(pk)
    queryset = member_of(Roadmap.objects.all(), user, "assessment__organisation")
    queryset = narrowed(queryset, user, "assessment")
    queryset = queryset.select_related("assessment__organisation", "assessment__version__model")
    roadmap = require(get_object_or_404(queryset, pk=pk), write)
    roadmap.assessment.my_role = roadmap.my_role
    return roadmap


def get_item_for(user, roadmap_pk: int, pk: int, *, write: bool = False) -> RoadmapItem:
    """Item `pk` of roadmap `roadmap_pk`, with its roadmap and assessment (carrying the user's
    role as `my_role`), in one query."""
    _valid(roadmap_pk, pk)
    queryset = member_of(RoadmapItem.objects.all(), user, "roadmap__assessment__organisation")
    queryset = narrowed(queryset, user, "roadmap__assessment")
    queryset = queryset.select_related(
        "roadmap__assessment__organisation", "roadmap__assessment__version__model"
    )
    item = require(get_object_or_404(queryset, pk=pk, roadmap_id=roadmap_pk), write)
    item.roadmap.my_role = item.roadmap.assessment.my_role = item.my_role
    return item
