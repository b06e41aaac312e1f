from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from assessments.access import get_assessment_for
from assessments.models import Dimension, Level, Membership, ProcessScore

from . import services
from .access import get_item_for, get_roadmap_for
from .charts import timeline_data, timeline_figure
from .exports import roadmap_csv, roadmap_xlsx
from .forms import ItemForm, RoadmapCreateForm
from .models import Roadmap, RoadmapItem
from .quarters import Quarter
from .selectors import roadmap_rows


def _choices(roadmap):
    """Processes (under the client's names), dimensions and levels of the assessment."""
    assessment = roadmap.assessment
    processes = []
    for score in ProcessScore.objects.filter(assessment=assessment).select_related("process"):
        score.process.label = score.display_name
        processes.append(score.process)
    return {
        "processes": processes,
        "dimensions": list(Dimension.objects.filter(version=assessment.version_id)),
        "levels": list(Level.objects.filter(version=assessment.version_id)),
    }


def _filtered(rows, request):
    process, dimension, status = (
        request.GET.get(k, "") for k in ("process", "dimension", "status")
    )
    if process:
        rows = [r for r in rows if str(r.item.process_id or "all") == process]
    if dimension:
        rows = [r for r in rows if str(r.item.dimension_id or "") == dimension]
    if status:
        rows = [r for r in rows if r.item.status == status]
    elif not request.GET.get("dropped"):
        rows = [r for r in rows if r.item.status != RoadmapItem.Status.DROPPED]
    return rows


@login_required
@require_GET
def roadmap_detail(request, pk: int):
    """The roadmap of an assessment, or the offer to make one."""
    assessment = get_assessment_for(request.user, pk)
    is_consultant = assessment.my_role == Membership.Role.CONSULTANT
    roadmap = Roadmap.objects.filter(assessment=assessment).first()
    if roadmap is None:
        return render(
            request,
            "roadmaps/roadmap_missing.html",
            {"assessment": assessment, "is_consultant": is_consultant, "form": RoadmapCreateForm()},
        )
    roadmap.assessment = assessment
    choices = _choices(roadmap)
    all_rows = roadmap_rows(roadmap)
    rows = _filtered(all_rows, request)
    editable = is_consultant
    forms = (
        {
            row.item.pk: ItemForm(
                roadmap=roadmap,
                initial={
                    "title": row.item.title,
                    "description": row.item.description,
                    "process": row.item.process_id,
                    "dimension": row.item.dimension_id,
                    "target_level": row.item.target_level,
                    "start_quarter": row.item.start_quarter,
                    "end_quarter": row.item.end_quarter,
                    "owner": row.item.owner,
                    "status": row.item.status,
                },
                prefix=f"item-{row.item.pk}",
                **choices,
            )
            for row in rows
        }
        if editable
        else {}
    )
    return render(
        request,
        "roadmaps/roadmap_detail.html",
        {
            "assessment": assessment,
            "roadmap": roadmap,
            "rows": [(row, forms.get(row.item.pk)) for row in rows],
            "total": len(all_rows),
            "proposals": sum(1 for row in all_rows if row.item.is_proposal),
            "overdue": sum(1 for row in all_rows if row.overdue),
            "editable": editable,
            "new_form": ItemForm(roadmap=roadmap, prefix="new", **choices) if editable else None,
            "choices": choices,
            "statuses": RoadmapItem.Status.choices,
            "filters": request.GET,
            "timeline_dimension": timeline_figure(
                timeline_data(roadmap, rows, choices["dimensions"], "dimension")
            ),
            "timeline_status": timeline_figure(
                timeline_data(roadmap, rows, choices["dimensions"], "status")
            ),
            "today": Quarter.current(),
        },
    )


def _back(roadmap, anchor: str = "") -> str:
    return reverse("roadmaps:detail", args=[roadmap.assessment_id]) + anchor


@login_required
@require_POST
def roadmap_create(request, pk: int):
    assessment = get_assessment_for(request.user, pk, write=True)
    form = RoadmapCreateForm(request.POST)
    if form.is_valid():
        try:
            services.roadmap_create(
                assessment=assessment, start=Quarter(form.cleaned_data["start"])
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Choose the first quarter of the roadmap."))
    return redirect("roadmaps:detail", pk=assessment.pk)


@login_required
@require_POST
def roadmap_draft(request, pk: int):
    roadmap = get_roadmap_for(request.user, pk, write=True)
    try:
        added = services.roadmap_draft(roadmap=roadmap, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_back(roadmap))
    if added:
        messages.success(
            request,
            ngettext(
                "%(count)s item was proposed from the gaps; review it below.",
                "%(count)s items were proposed from the gaps; review them below.",
                added,
            )
            % {"count": added},
        )
    else:
        messages.info(request, _("No new items: every gap already has its items."))
    return redirect(_back(roadmap))


def _save_item(request, roadmap, item, prefix):
    form = ItemForm(request.POST, roadmap=roadmap, prefix=prefix, **_choices(roadmap))
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return False
    try:
        services.item_save(item=item, values=form.values(), by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    return True


@login_required
@require_POST
def item_create(request, pk: int):
    roadmap = get_roadmap_for(request.user, pk, write=True)
    item = RoadmapItem(roadmap=roadmap)
    if _save_item(request, roadmap, item, "new"):
        messages.success(request, _("The item was added."))
        return redirect(_back(roadmap, f"#item-{item.pk}"))
    return redirect(_back(roadmap, "#new-item"))


@login_required
@require_POST
def item_update(request, pk: int, item_pk: int):
    item = get_item_for(request.user, pk, item_pk, write=True)
    if _save_item(request, item.roadmap, item, f"item-{item.pk}"):
        messages.success(request, _("Saved."))
    return redirect(_back(item.roadmap, f"#item-{item.pk}"))


@login_required
@require_POST
def item_accept(request, pk: int, item_pk: int):
    item = get_item_for(request.user, pk, item_pk, write=True)
    services.item_accept(item=item, by=request.user)
    return redirect(_back(item.roadmap, f"#item-{item.pk}"))


@login_required
@require_POST
def item_move(request, pk: int, item_pk: int):
    item = get_item_for(request.user, pk, item_pk, write=True)
    try:
        quarters = int(request.POST.get("quarters", ""))
    except ValueError:
        quarters = 0
    if quarters not in (-1, 1):
        messages.error(request, _("An item moves one quarter at a time."))
    else:
        try:
            services.item_move(item=item, quarters=quarters, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect(_back(item.roadmap, f"#item-{item.pk}"))


def _download(roadmap, content: bytes, content_type: str, extension: str) -> HttpResponse:
    assessment = roadmap.assessment
    name = f"roadmap-{slugify(assessment.organisation.name)[:60]}-{assessment.assessed_on:%Y-%m-%d}"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{name}.{extension}"
    )
    return response


@login_required
@require_GET
def export_csv(request, pk: int):
    roadmap = get_roadmap_for(request.user, pk)
    return _download(roadmap, roadmap_csv(roadmap_rows(roadmap)), "text/csv; charset=utf-8", "csv")


@login_required
@require_GET
def export_xlsx(request, pk: int):
    roadmap = get_roadmap_for(request.user, pk)
    return _download(
        roadmap,
        roadmap_xlsx(roadmap_rows(roadmap)),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    )
