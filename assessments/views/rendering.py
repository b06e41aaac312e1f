"""The parts of the grid every visitor sees alike, rendered once per change of the assessment.

Kept in each app process's local cache under the assessment's revision (bumped by every change
of what the grid shows), the previous assessment's revision for a re-assessment, the language
and the published model version: a hit is exactly what rendering would give now. Everything
per user (CSRF tokens, whether the rows are editable) stays outside.
"""

from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from ..charts import figure_json, heatmap_data, radar_data, radar_figure
from ..selectors import assessment_results, previous_results

GRID_TIMEOUT = 3600


def grid_key(assessment) -> str:
    version = assessment.version
    return assessment.cache_key(
        "grid",
        getattr(assessment, "previous_revision", None),
        get_language(),
        version.pk,
        version.published_at.timestamp() if version.published_at else "draft",
    )


def results_data(assessment, catalogue, results) -> dict:
    """What the progress, the heatmap and the radar show, as plain data, row by row."""
    return {
        "ids": [item.score.pk for item in results],
        "names": [item.score.display_name for item in results],
        "scored": [item.is_scored for item in results],
        "heatmap": heatmap_data(catalogue, results),
        "radar": radar_data(assessment, catalogue, results),
    }


def _results_parts(assessment, data: dict) -> dict:
    """The progress, the heatmap and the radar's figure: what every change redraws."""
    left = [name for name, scored in zip(data["names"], data["scored"], strict=True) if not scored]
    context = {
        "assessment": assessment,
        "heatmap": data["heatmap"],
        "left": left,
        "total": len(data["names"]),
        "scored": len(data["names"]) - len(left),
        # Marked for an out-of-band swap, so any answer can carry them (in a full page the
        # attribute does nothing).
        "oob": True,
    }
    return {
        "data": data,
        "progress": render_to_string("assessments/_grid_progress.html", context),
        "heatmap": render_to_string("assessments/_heatmap.html", context),
        "radar_json": figure_json(radar_figure(data["radar"])),
        "scored": context["scored"],
        "total": context["total"],
        # On every part: a page drops an answer older than what it shows (two saves' answers
        # can arrive in either order).
        "revision": assessment.revision,
    }


def results_after_save(assessment, item, catalogue) -> dict | None:
    """The progress, heatmap and radar right after `item` was saved, from what was kept for
    the revision before the save with this one process's row replaced (the save held the
    assessment's lock: nothing else changed in between). None when that is not kept here."""
    if not assessment.version.is_published:
        return None
    cache = caches["local"]
    assessment.revision -= 1
    before = cache.get(f"{grid_key(assessment)}:results")
    assessment.revision += 1
    if before is None or item.score.pk not in before["data"]["ids"]:
        return None
    data = before["data"]
    index = data["ids"].index(item.score.pk)
    new = results_data(assessment, catalogue, [item])
    data["scored"][index] = new["scored"][0]
    data["heatmap"]["rows"][index] = new["heatmap"]["rows"][0]
    for series, changed in zip(data["radar"]["series"][-2:], new["radar"]["series"], strict=True):
        series["values"][index] = changed["values"][0]  # the current and the ambition series
    parts = _results_parts(assessment, data)
    cache.set(f"{grid_key(assessment)}:results", parts, GRID_TIMEOUT)
    return parts


def _rows(assessment, results) -> list[tuple[int, str]]:
    """Each row rendered apart (score pk, HTML), so the page can put them in another order
    and add what extensions show per row, outside what is kept."""
    previous = previous_results(assessment)
    return [
        (
            item.score.pk,
            render_to_string(
                "assessments/_score_row.html",
                {
                    "assessment": assessment,
                    "item": item,
                    "score": item.score,
                    "previous": previous.get(item.score.process.key),
                    "oob": True,
                },
            ),
        )
        for item in results
    ]


def rendered_grid(assessment, *, rows: bool = True) -> dict:
    """The progress, heatmap and radar figure of the grid (and with `rows` its rendered rows),
    plus the counts. Kept apart, so that the answer after a save (`rows=False`) renders only
    what it shows, and the next visitor of the grid the rows."""
    cache = caches["local"]
    key = grid_key(assessment)
    wanted = [f"{key}:results", *([f"{key}:rows"] if rows else [])]
    kept = assessment.version.is_published  # a draft's catalogue may change under it
    found = cache.get_many(wanted) if kept else {}
    if len(found) < len(wanted):
        catalogue, results = assessment_results(assessment)
        if f"{key}:results" not in found:
            data = results_data(assessment, catalogue, results)
            found[f"{key}:results"] = _results_parts(assessment, data)
        if rows and f"{key}:rows" not in found:
            found[f"{key}:rows"] = _rows(assessment, results)
        if kept:
            cache.set_many(found, GRID_TIMEOUT)
    parts = dict(found[f"{key}:results"])
    if rows:
        parts["row_list"] = found[f"{key}:rows"]
        parts["rows"] = mark_safe("".join(html for _pk, html in parts["row_list"]))  # noqa: S308
    return parts
