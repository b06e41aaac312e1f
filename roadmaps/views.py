"""The roadmap page: items as compact rows; an item's form is fetched when it is opened.

Accepting, moving and saving an item answer htmx with that item's row only, plus the parts
that follow from it out of band (the counts, the proposals bar, the timeline's figures, which
charts.js redraws in place). Without htmx every POST redirects back to the page, and a refused
save shows the page with the form open and the input kept.
"""

from functools import partial
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from assessments.access import MAX_ID, get_assessment_for
from assessments.models import Membership

from . import services
from .access import get_item_for, get_roadmap_for
from .exports import roadmap_csv, roadmap_xlsx
from .forms import ItemForm, RoadmapCreateForm
from .models import Roadmap, RoadmapItem
from .quarters import Quarter
from .rendering import clean_filters, rendered_rows, roadmap_parts, rows_part
from .selectors import item_conflict, roadmap_choices, roadmap_rows


def _filters(request) -> dict[str, str]:
    """The page's filters: its query string, or for an htmx request that of the page it came
    from (so that an answer's timeline shows what the page shows)."""
    if request.htmx and request.htmx.current_url:
        return clean_filters(QueryDict(urlsplit(request.htmx.current_url).query))
    return clean_filters(request.GET)


def _editable(roadmap) -> bool:
    return roadmap.assessment.my_role == Membership.Role.CONSULTANT


def _item_form(roadmap, choices, item, data=None) -> ItemForm:
    return ItemForm(
        data,
        instance=item,
        roadmap=roadmap,
        prefix=f"item-{item.pk}" if item.pk else "new",
        processes=choices["processes"],
        dimensions=choices["dimensions"],
        levels=choices["levels"],
    )


def _page(request, roadmap, *, editing=None, adding=None, status=200):
    """The whole page. `editing`: (item, bound form, conflict or None) of a refused save;
    `adding`: the bound form of a refused new item. Without them, `?edit=<id>` opens that
    item's form and `?add=1` the new one (the way to them without JavaScript)."""
    editable = _editable(roadmap)
    filters = _filters(request)
    wanted = request.GET.get("edit", "")
    if editable and editing is None and wanted.isdigit() and int(wanted) <= MAX_ID:
        item = RoadmapItem.objects.filter(roadmap=roadmap, pk=int(wanted)).first()
        if item is not None:
            item.roadmap = roadmap
            editing = (item, _item_form(roadmap, roadmap_choices(roadmap), item), None)
    if editable and adding is None and request.GET.get("add"):
        adding = _item_form(roadmap, roadmap_choices(roadmap), RoadmapItem(roadmap=roadmap))
    if editing is None:
        parts = rendered_rows(roadmap, filters, editable=editable)
    else:  # one row with its form open: rendered for this request alone
        item, form, conflict = editing
        fresh = roadmap_parts(roadmap, filters)
        parts = rows_part(fresh, editable=editable, editing=item.pk, form=form, conflict=conflict)
    return render(
        request,
        "roadmaps/roadmap_detail.html",
        {
            **parts,
            "assessment": roadmap.assessment,
            "roadmap": roadmap,
            "editable": editable,
            "filters": filters,
            "new_form": adding,
            "statuses": RoadmapItem.Status.choices,
        },
        status=status,
    )


@login_required
@require_GET
def roadmap_detail(request, pk: int):
    """The roadmap of an assessment, or the offer to make one."""
    assessment = get_assessment_for(request.user, pk)
    roadmap = Roadmap.objects.filter(assessment=assessment).first()
    if roadmap is None:
        return render(
            request,
            "roadmaps/roadmap_missing.html",
            {
                "assessment": assessment,
                "is_consultant": assessment.my_role == Membership.Role.CONSULTANT,
                "form": RoadmapCreateForm(),
            },
        )
    roadmap.assessment = assessment
    return _page(request, roadmap)


def _back(roadmap, anchor: str = "") -> str:
    return reverse("roadmaps:detail", args=[roadmap.assessment_id]) + anchor


def _item_answer(request, roadmap, item_pk, *, whole=True, timeline=True, status=200, **extra):
    """An item's part (its row; `whole`: with its edit row, closed unless a form is given)
    and, out of band, the counts, the proposals bar and (`timeline`: unless nothing it shows
    changed) the timeline's figures."""
    context = roadmap_parts(roadmap, _filters(request), timeline=timeline)
    row = next(r for r in context["all_rows"] if r.item.pk == item_pk)
    context.update(row=row, item=row.item, editable=True, oob=True, **extra)
    template = "roadmaps/_item.html" if whole else "roadmaps/_item_answer.html"
    return render(request, template, context, status=status)


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


@login_required
@require_GET
def item_new(request, pk: int):
    """The form of a new item, fetched when "Add an item" opens."""
    roadmap = get_roadmap_for(request.user, pk, write=True)
    form = _item_form(roadmap, roadmap_choices(roadmap), RoadmapItem(roadmap=roadmap))
    return render(request, "roadmaps/_new_item_form.html", {"roadmap": roadmap, "form": form})


@login_required
@require_POST
def item_create(request, pk: int):
    roadmap = get_roadmap_for(request.user, pk, write=True)
    item = RoadmapItem(roadmap=roadmap)
    form = _item_form(roadmap, roadmap_choices(roadmap), item, request.POST)
    if form.is_valid():
        try:
            item = services.item_create(roadmap=roadmap, values=form.values(), by=request.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The item was added."))
            return redirect(_back(roadmap, f"#item-{item.pk}"))
    return _page(request, roadmap, adding=form, status=422)


@login_required
@require_GET
def item_form(request, pk: int, item_pk: int):
    """The form of one item, fetched when its row's "Edit" is clicked."""
    item = get_item_for(request.user, pk, item_pk, write=True)
    form = _item_form(item.roadmap, roadmap_choices(item.roadmap), item)
    return render(
        request,
        "roadmaps/_item_edit.html",
        {"roadmap": item.roadmap, "item": item, "form": form, "editable": True},
    )


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
@require_POST
def item_update(request, pk: int, item_pk: int):
    """Save an item's form: merged with what others saved since it was loaded; a field both
    changed is refused (409) with both values, a bad value (422) at its field, the input kept."""
    item = get_item_for(request.user, pk, item_pk, write=True)
    roadmap = item.roadmap
    form = _item_form(roadmap, roadmap_choices(roadmap), item, request.POST)
    conflict, status = None, 422
    if form.is_valid():
        seen, keep = form.cleaned_data["keep"]
        try:
            services.item_save(
                item=item,
                values=form.values(),
                by=request.user,
                base_revision=form.cleaned_data["revision"],
                keep_mine=keep,
                seen_revision=seen,
            )
        except services.ItemConflict as error:
            conflict, status = item_conflict(error, form), 409
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if not request.htmx:
                messages.success(request, _("Saved."))
                return redirect(_back(roadmap, f"#item-{item.pk}"))
            return _item_answer(request, roadmap, item.pk)
    if not request.htmx:
        return _page(request, roadmap, editing=(item, form, conflict), status=status)
    return _item_answer(request, roadmap, item.pk, form=form, conflict=conflict, status=status)


def _row_action(request, item, action, *, timeline: bool):
    """Accept or move: the item's row (without its edit row, which may hold typed input) or,
    without htmx, back to the page. `timeline`: whether the action changes what it shows."""
    error = ""
    try:
        action()
    except ValidationError as refused:
        error = " ".join(refused.messages)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(_back(item.roadmap, f"#item-{item.pk}"))
    return _item_answer(
        request,
        item.roadmap,
        item.pk,
        whole=False,
        timeline=timeline and not error,
        row_error=error,
        status=422 if error else 200,
    )


@login_required
@require_POST
def item_accept(request, pk: int, item_pk: int):
    item = get_item_for(request.user, pk, item_pk, write=True)
    accept = partial(services.item_accept, item=item, by=request.user)
    return _row_action(request, item, accept, timeline=False)  # the timeline shows no proposals


@login_required
@require_POST
def item_move(request, pk: int, item_pk: int):
    item = get_item_for(request.user, pk, item_pk, write=True)
    quarters = request.POST.get("quarters", "")

    def move():
        if quarters not in ("-1", "1"):
            raise ValidationError(_("An item moves one quarter at a time."))
        services.item_move(item=item, quarters=int(quarters), by=request.user)

    return _row_action(request, item, move, timeline=True)


def _seen(values) -> dict[int, int]:
    """Item id -> revision, from the checkboxes' values ("<id>:<revision>"); anything else
    is left out."""
    seen = {}
    for value in values:
        pk, _sep, revision = value.partition(":")
        if pk.isdigit() and revision.isdigit():
            seen[int(pk)] = int(revision)
    return seen


@login_required
@require_POST
def proposals_decide(request, pk: int):
    """Accept or drop the proposals ticked (or all listed), in one transaction; what was
    refused is reported and stays ticked."""
    roadmap = get_roadmap_for(request.user, pk, write=True)
    action = request.POST.get("action", "")
    seen = _seen(request.POST.getlist("shown" if action == "accept-all" else "item"))
    if action not in ("accept", "drop", "accept-all"):
        decided = None
        message = _("Choose to accept or to drop the proposals.")
    elif not seen:
        decided = None
        message = _("Tick the proposals first.")
    else:
        decided = services.proposals_decide(
            roadmap=roadmap, seen=seen, accept=action != "drop", by=request.user
        )
        message = _decided_message(decided, accept=action != "drop")
    if not request.htmx:
        if decided is None or decided.refused:
            messages.warning(request, message)
        else:
            messages.success(request, message)
        return redirect(_back(roadmap))
    # Accepting changes nothing the timeline shows; dropping takes items off it.
    context = roadmap_parts(roadmap, _filters(request), timeline=action == "drop")
    reasons = {pk: reason for pk, _item, reason in decided.refused} if decided else {}
    changed = {item.pk for item in decided.done} | set(reasons) if decided else set()
    context.update(
        editable=True,
        oob=True,
        message=message,
        message_level="success" if decided and not decided.refused else "warning",
        changed=[
            (r, reasons.get(r.item.pk, "")) for r in context["all_rows"] if r.item.pk in changed
        ],
        ticked=set(seen) if decided is None else set(reasons),
    )
    return render(request, "roadmaps/_items_answer.html", context)


def _decided_message(decided, *, accept: bool) -> str:
    done = len(decided.done)
    text = (
        ngettext("%(count)s proposal accepted.", "%(count)s proposals accepted.", done)
        if accept
        else ngettext("%(count)s proposal dropped.", "%(count)s proposals dropped.", done)
    ) % {"count": done}
    if decided.refused:
        text += " " + ngettext(
            "%(count)s was not decided; see the marked row.",
            "%(count)s were not decided; see the marked rows.",
            len(decided.refused),
        ) % {"count": len(decided.refused)}
        details = [
            f"{item.title if item else f'#{pk}'}: {reason}" for pk, item, reason in decided.refused
        ]
        text += " " + " ".join(details)
    return text


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
