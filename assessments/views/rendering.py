"""The parts of the grid every visitor sees alike, rendered once per change of the assessment.

Kept in each app process's local cache under the assessment's revision (bumped by every change
of what the grid shows), the previous assessment's revision for a re-assessment, the language
and the published model version: a hit is exactly what rendering would give now. Everything
per user (CSRF tokens, whether the rows are editable) stays outside.
"""

from django.core.cache import caches
from django.template.loader import render_to_string
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


def _render(assessment) -> dict:
    catalogue, results = assessment_results(assessment)
    previous = previous_results(assessment)
    context = {
        "assessment": assessment,
        "rows": [(item, previous.get(item.score.process.key)) for item in results],
        "radar": radar_figure(radar_data(assessment, catalogue, results)),
        "heatmap": heatmap_data(catalogue, results),
        "left": [item.score.display_name for item in results if not item.is_scored],
        "total": len(results),
        # Marked for an out-of-band swap, so any answer can carry them (in a full page the
        # attribute does nothing).
        "oob": True,
    }
    context["scored"] = context["total"] - len(context["left"])
    return {
        "rows": render_to_string("assessments/_grid_rows.html", context),
        "progress": render_to_string("assessments/_grid_progress.html", context),
        "heatmap": render_to_string("assessments/_heatmap.html", context),
        "radar_json": figure_json(context["radar"]),
        "scored": context["scored"],
        "total": context["total"],
    }


def rendered_grid(assessment) -> dict:
    """The rows, heatmap, radar figure and progress of the grid, plus the counts."""
    if not assessment.version.is_published:  # a draft's catalogue may change under it
        return _render(assessment)
    return caches["local"].get_or_set(
        grid_key(assessment), lambda: _render(assessment), GRID_TIMEOUT
    )
