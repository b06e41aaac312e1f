"""Chart data, defined once: the page draws it with plotly.js, the PDF with matplotlib.

`*_data` functions return plain dicts (labels, series, scales, colours); `*_figure` turns them
into a plotly figure whose JSON the page hands to `Plotly.react`.
"""

import html
import json
import textwrap

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _

COLOURS = {
    "current": "#1f4e79",
    "ambition": "#e07b39",
    "previous": "#8aa4bf",
}


def radar_data(assessment, catalogue, results, previous: dict | None = None) -> dict:
    """One axis per process: the measured progress score and the ambition, and the previous
    measurement's progress score where there is one (`previous`: process key -> progress)."""
    levels = catalogue.levels
    series = []
    if previous is not None:
        series.append(
            {
                "key": "previous",
                "name": _("Previous measurement"),
                "values": [previous.get(item.score.process.key) for item in results],
                "colour": COLOURS["previous"],
                "fill": False,
            }
        )
    return {
        "axes": [item.score.display_name for item in results],
        "range": [0, levels[-1].number if levels else 5],
        "ticks": [{"value": level.number, "label": str(level)} for level in levels],
        "series": [
            *series,
            {
                "key": "current",
                "name": assessment.get_kind_display().capitalize(),
                # A process nobody scored yet is a gap in the line, not level 1.
                "values": [item.result.progress if item.is_scored else None for item in results],
                "colour": COLOURS["current"],
                "fill": True,
            },
            {
                "key": "ambition",
                "name": _("Ambition"),
                "values": [item.result.ambition for item in results],
                "colour": COLOURS["ambition"],
                "fill": False,
                "dash": True,
            },
        ],
    }


def _wrapped(label: str, width: int = 14) -> str:
    # Plotly reads a little HTML in labels; client-given names are text, so escape them.
    return "<br>".join(html.escape(line) for line in textwrap.wrap(label, width)) or label


def _closed(values: list) -> list:
    return [*values, values[0]] if values else values


def radar_figure(data: dict) -> dict:
    """A plotly figure as a plain dict (what `Plotly.react` takes)."""
    traces = [
        {
            "type": "scatterpolar",
            "name": series["name"],
            "r": _closed(series["values"]),
            "theta": _closed([_wrapped(axis) for axis in data["axes"]]),
            "mode": "lines+markers",
            "fill": "toself" if series["fill"] else "none",
            "line": {
                "color": series["colour"],
                "width": 2.5,
                "dash": "dash" if series.get("dash") else "solid",
            },
            "marker": {"size": 7},
            "connectgaps": False,
            "hovertemplate": "%{theta}: %{r}<extra>" + series["name"] + "</extra>",
            "meta": series["key"],
        }
        for series in data["series"]
    ]
    return {
        "data": traces,
        "layout": {
            "polar": {
                "radialaxis": {
                    "range": data["range"],
                    "tickvals": [tick["value"] for tick in data["ticks"]],
                    "ticktext": [str(tick["value"]) for tick in data["ticks"]],
                    "angle": 90,
                    "tickangle": 90,
                },
                "angularaxis": {"direction": "clockwise"},
            },
            "showlegend": True,
            "legend": {"orientation": "h", "y": -0.12},
            # Room for the process names beside the circle at either side (wrapped at 14).
            "margin": {"l": 105, "r": 105, "t": 40, "b": 30},
            "paper_bgcolor": "rgba(0,0,0,0)",
            "font": {"family": "system-ui, sans-serif", "size": 13},
        },
        "config": {"displayModeBar": False, "responsive": True},
    }


def figure_json(figure: dict) -> str:
    """A figure as JSON for an element's `data-json` (the template escapes it), where charts.js
    finds it: the way for a part htmx swaps, since htmx drops every `<script>` in it."""
    return json.dumps(figure, cls=DjangoJSONEncoder)


def heatmap_data(catalogue, results) -> dict:
    """Process × dimension: the level each process reaches per dimension (None where no
    criterion of the dimension applies: shown as "—"); a process not scored has no cells."""
    return {
        "dimensions": [dimension.name for dimension in catalogue.dimensions],
        "rows": [
            {
                "process": item.score.display_name,
                "scored": item.is_scored,
                "cells": [
                    item.result.dimension_levels.get(dimension.key)
                    for dimension in catalogue.dimensions
                ],
            }
            for item in results
        ],
        "top": catalogue.levels[-1].number if catalogue.levels else 5,
    }
