"""What the roadmap page shows of its items: every row (flags included), the counts and the
timeline's figures, as the page's filters have them.

The rendered rows are kept in each app process's local cache under a key of everything they
show: the roadmap's revision (bumped by every change of an item: they all go through
`roadmaps.services`), its assessment's revision,
the revision of the later assessment the items are judged by (achieved, no effect yet), the
current quarter (overdue), the language, whether the rows are editable and the filters. A hit is
exactly what rendering would give now. Nothing per user is in them (no CSRF token: the rows'
buttons submit the page's one action form).
"""

from django.core.cache import caches
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from assessments.charts import figure_json

from .charts import timeline_data, timeline_figure
from .models import Roadmap, RoadmapItem
from .quarters import Quarter
from .selectors import later_assessment, roadmap_choices, roadmap_rows

ROWS_TIMEOUT = 3600
STATUSES = {value for value, _label in RoadmapItem.Status.choices}


def clean_filters(query: QueryDict) -> dict[str, str]:
    """The page's filters as they can be: an id, "all" (cross-process items), a status, or
    nothing (anything else in the query string is left out, so it never reaches a key)."""
    process, dimension, status = (
        query.get(name, "") for name in ("process", "dimension", "status")
    )
    return {
        "process": process if process.isdigit() or process == "all" else "",
        "dimension": dimension if dimension.isdigit() else "",
        "status": status if status in STATUSES else "",
        "dropped": "1" if query.get("dropped") else "",
    }


def filtered(rows, filters: dict[str, str]):
    if process := filters["process"]:
        rows = [r for r in rows if str(r.item.process_id or "all") == process]
    if dimension := filters["dimension"]:
        rows = [r for r in rows if str(r.item.dimension_id or "") == dimension]
    if status := filters["status"]:
        rows = [r for r in rows if r.item.status == status]
    elif not filters["dropped"]:
        rows = [r for r in rows if r.item.status != RoadmapItem.Status.DROPPED]
    return rows


def row_texts() -> dict[str, str]:
    """The words every row shows, translated once per rendering rather than once per row."""
    return {
        "everywhere": _("All processes"),
        "proposed": _("proposed"),
        "overdue": _("overdue"),
        "achieved": _("achieved"),
        "no_effect": _("delivered, no effect yet"),
        "earlier": _("One quarter earlier"),
        "later": _("One quarter later"),
        "accept": _("Accept"),
        "edit": _("Edit"),
    }


def roadmap_parts(
    roadmap: Roadmap, filters: dict[str, str], *, later=None, timeline: bool = True
) -> dict:
    """Every row (a fixed number of queries however many items), the rows the filters keep,
    the counts and (`timeline`) the timeline's figures as JSON (for a `data-json` carrier)."""
    choices = roadmap_choices(roadmap)
    all_rows = roadmap_rows(roadmap, later=later, choices=choices)
    rows = filtered(all_rows, filters)
    dimensions = choices["dimensions"]
    parts = {
        "roadmap": roadmap,
        "last_quarter": roadmap.last_quarter.index,
        "texts": row_texts(),
        "choices": choices,
        "filters": filters,
        "all_rows": all_rows,
        "rows": rows,
        "total": len(all_rows),
        "proposals": sum(1 for r in all_rows if r.item.is_proposal and not r.item.is_closed),
        "overdue": sum(1 for r in all_rows if r.overdue),
    }
    if timeline:
        for colour_by in ("dimension", "status"):
            data = timeline_data(roadmap, rows, dimensions, colour_by)
            parts[f"timeline_{colour_by}"] = figure_json(timeline_figure(data))
    return parts


def rows_part(parts: dict, *, editable: bool, **extra) -> dict:
    """The rows of `roadmap_parts` as HTML (`extra`: e.g. the row whose form is open), the
    counts, the timeline's figures and the filter's options: what the page shows of them."""
    choices = parts["choices"]
    return {
        **{name: parts[name] for name in ("total", "proposals", "overdue")},
        "timeline_dimension": parts["timeline_dimension"],
        "timeline_status": parts["timeline_status"],
        "shown": len(parts["rows"]),
        "rows_html": render_to_string(
            "roadmaps/_items.html", {**parts, "editable": editable, **extra}
        ),
        "processes": [(process.pk, process.label) for process in choices["processes"]],
        "dimensions": [(dimension.pk, str(dimension.name)) for dimension in choices["dimensions"]],
    }


def _render(roadmap, filters, editable: bool, later) -> dict:
    return rows_part(roadmap_parts(roadmap, filters, later=later), editable=editable)


def rows_key(roadmap: Roadmap, later, filters: dict[str, str], editable: bool) -> str:
    return roadmap.assessment.cache_key(
        "roadmap",
        roadmap.pk,
        roadmap.created_at.timestamp(),
        roadmap.revision,
        f"{later.pk}.{later.revision}" if later else "-",
        Quarter.current().index,
        get_language(),
        int(editable),
        *filters.values(),
    )


def rendered_rows(roadmap: Roadmap, filters: dict[str, str], *, editable: bool) -> dict:
    """The rows as HTML, the counts, the timeline's figures and the filter's options."""
    later = later_assessment(roadmap)
    if not roadmap.assessment.version.is_published:  # a draft's names may change under it
        return _render(roadmap, filters, editable, later)
    return caches["local"].get_or_set(
        rows_key(roadmap, later, filters, editable),
        lambda: _render(roadmap, filters, editable, later),
        ROWS_TIMEOUT,
    )
