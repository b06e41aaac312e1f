from django.shortcuts import get_object_or_404

from assessments.access import require, role_of

from .models import Roadmap, RoadmapItem


def get_roadmap_for(user, pk: int, *, write: bool = False) -> Roadmap:
    queryset = (
        Roadmap.objects.visible_to(user)
        .select_related("assessment__organisation", "assessment__version__model")
        .annotate(my_role=role_of(user, "assessment__organisation"))
    )
    return require(get_object_or_404(queryset, pk=pk), write)


def get_item_for(user, roadmap_pk: int, pk: int, *, write: bool = False) -> RoadmapItem:
    roadmap = get_roadmap_for(user, roadmap_pk, write=write)
    item = get_object_or_404(RoadmapItem.objects.filter(roadmap=roadmap), pk=pk)
    item.roadmap = roadmap
    return item
