from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render

from .models import Assessment, Membership, Organisation
from .selectors import assessment_results


@login_required
def home(request):
    """Start page: the organisations the user belongs to, with their assessments."""
    organisations = (
        Organisation.objects.visible_to(request.user)
        .annotate(process_count=Count("processes", distinct=True))
        .prefetch_related(
            Prefetch(
                "assessments",
                queryset=Assessment.objects.select_related("version__model").annotate(
                    score_count=Count("scores")
                ),
            ),
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(user=request.user),
                to_attr="my_memberships",
            ),
        )
    )
    return render(request, "assessments/home.html", {"organisations": organisations})


def get_assessment_for(user, pk: int) -> Assessment:
    """The one access check for an assessment: visible through membership, else 404."""
    return get_object_or_404(
        Assessment.objects.visible_to(user).select_related("organisation", "version__model"),
        pk=pk,
    )


@login_required
def assessment_detail(request, pk: int):
    assessment = get_assessment_for(request.user, pk)
    catalogue, results = assessment_results(assessment)
    scored = sum(1 for item in results if item.result.met_count or item.score.override_level)
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            "assessment": assessment,
            "catalogue": catalogue,
            "results": results,
            "scored": scored,
        },
    )
