"""The roadmap timeline: data defined once; plotly draws it on the page, the PDF draws the same
data as a table of quarters."""

import html

from django.utils.translation import gettext as _

from .models import RoadmapItem
from .quarters import ROADMAP_QUARTERS, quarter_range

DIMENSION_COLOURS = ["#1f4e79", "#e07b39", "#2e8b57", "#8e44ad", "#b8860b", "#5f9ea0"]
NO_DIMENSION_COLOUR = "#7f8c8d"
STATUS_COLOURS = {
    RoadmapItem.Status.PLANNED: "#5b7fa6",
    RoadmapItem.Status.IN_PROGRESS: "#e07b39",
    RoadmapItem.Status.DONE: "#2e8b57",
    RoadmapItem.Status.DROPPED: "#c0c0c0",
}


def timeline_data(roadmap, rows, dimensions, colour_by: str = "dimension") -> dict:
    """Bars per item (offsets in quarters from the roadmap's start), grouped for colour."""
    first = roadmap.start_quarter
    colours = {
        d.pk: DIMENSION_COLOURS[i % len(DIMENSION_COLOURS)] for i, d in enumerate(dimensions)
    }
    # Labels once, not per bar (a choice's display and gettext are slow in a loop).
    statuses = {value: str(label).capitalize() for value, label in RoadmapItem.Status.choices}
    everywhere, no_dimension = str(_("All processes")), str(_("No dimension"))
    names = {d.pk: str(d.name) for d in dimensions}
    bars = []
    for row in rows:
        item = row.item
        if colour_by == "status":
            group, colour = statuses[item.status], STATUS_COLOURS[item.status]
        elif item.dimension_id:
            group = names.get(item.dimension_id) or str(item.dimension.name)
            colour = colours.get(item.dimension_id, NO_DIMENSION_COLOUR)
        else:
            group, colour = no_dimension, NO_DIMENSION_COLOUR
        process = row.process_name or everywhere
        bars.append(
            {
                "label": f"{process}: {item.title}",
                "process": process,
                "title": item.title,
                "start": item.start_quarter - first,
                "end": item.end_quarter - first,
                "group": group,
                "colour": colour,
                "id": item.pk,
            }
        )
    order = list(statuses.values()) if colour_by == "status" else [*names.values(), no_dimension]
    return {
        "quarters": [str(q) for q in quarter_range(roadmap.first_quarter)],
        "bars": bars,
        "groups": [group for group in order if any(bar["group"] == group for bar in bars)],
        "colour_by": colour_by,
    }


def _short(text: str, width: int = 44) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def timeline_figure(data: dict) -> dict:
    """Horizontal bars over the eight quarters, one trace per colour group."""
    groups: dict[str, list] = {group: [] for group in data["groups"]}
    for bar in data["bars"]:
        groups.setdefault(bar["group"], []).append(bar)
    # Every bar gets its own category (two items may share a title); the label shows the title.
    categories = [f"{index}" for index in range(len(data["bars"]))]
    labels = [html.escape(_short(bar["label"])) for bar in data["bars"]]
    index_of = {bar["id"]: str(index) for index, bar in enumerate(data["bars"])}
    traces = [
        {
            "type": "bar",
            "orientation": "h",
            "name": html.escape(group),
            "y": [index_of[bar["id"]] for bar in bars],
            "x": [bar["end"] - bar["start"] + 1 for bar in bars],
            "base": [bar["start"] for bar in bars],
            "marker": {"color": bars[0]["colour"]},
            "customdata": [html.escape(bar["label"]) for bar in bars],
            "hovertemplate": "%{customdata}<extra></extra>",
            "meta": group,
        }
        for group, bars in groups.items()
    ]
    count = len(data["bars"])
    return {
        "data": traces,
        "layout": {
            "barmode": "overlay",
            "height": 120 + 26 * max(count, 1),
            "margin": {"l": 340, "r": 20, "t": 30, "b": 40},
            "xaxis": {
                "range": [0, ROADMAP_QUARTERS],
                "tickvals": [i + 0.5 for i in range(ROADMAP_QUARTERS)],
                "ticktext": data["quarters"],
                "side": "top",
                "showgrid": False,
                "fixedrange": True,
            },
            "yaxis": {
                "categoryorder": "array",
                "categoryarray": categories,
                "tickvals": categories,
                "ticktext": labels,
                "autorange": "reversed",
                "fixedrange": True,
            },
            "shapes": [
                {
                    "type": "line",
                    "x0": x,
                    "x1": x,
                    "y0": 0,
                    "y1": 1,
                    "yref": "paper",
                    "line": {
                        "color": "#1f4e79" if x == 4 else "#dee2e6",
                        "width": 2 if x == 4 else 1,
                    },
                }
                for x in range(1, ROADMAP_QUARTERS)
            ],
            "showlegend": True,
            "legend": {"orientation": "h", "y": -0.02, "yanchor": "top"},
            "paper_bgcolor": "rgba(0,0,0,0)",
            "plot_bgcolor": "rgba(0,0,0,0)",
            "font": {"family": "system-ui, sans-serif", "size": 12},
        },
        "config": {"displayModeBar": False, "responsive": True},
    }
