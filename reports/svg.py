"""Charts for the PDF: matplotlib draws the same chart data as plotly does on the page, as
SVG (WeasyPrint runs no JavaScript). Labels, series, scales and colours come from
`assessments.charts`; nothing is defined here a second time."""

import io
import math
import os
import re
import tempfile
import textwrap

os.environ.setdefault("MPLCONFIGDIR", os.path.join(tempfile.gettempdir(), "dvo-matplotlib"))

from matplotlib import rc_context
from matplotlib.figure import Figure

STYLE = {
    "svg.fonttype": "none",  # text stays text: searchable in the PDF, rendered in our font
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "svg.hashsalt": "dvo-portal",  # stable ids, so the same data gives the same SVG
}


def _text(label: str) -> str:
    """Client-given text as plain text: matplotlib reads $...$ as TeX and hides labels that
    start with an underscore."""
    label = str(label).replace("$", r"\$")
    return " " + label if label.startswith("_") else label


def _closed(values):
    return [*values, values[0]] if values else values


def radar_figure(data: dict) -> Figure:
    """A matplotlib polar chart of `assessments.charts.radar_data`."""
    axes = data["axes"]
    count = max(len(axes), 1)
    angles = [2 * math.pi * index / count for index in range(len(axes))]
    figure = Figure(figsize=(6.4, 5.6))
    ax = figure.add_subplot(projection="polar")
    ax.set_theta_offset(math.pi / 2)
    ax.set_theta_direction(-1)  # clockwise from the top, as plotly's angularaxis
    for series in data["series"]:
        values = [math.nan if value is None else value for value in series["values"]]
        ax.plot(
            _closed(angles),
            _closed(values),
            color=series["colour"],
            linestyle="--" if series.get("dash") else "-",
            linewidth=2,
            marker="o",
            markersize=4,
            label=_text(series["name"]),
            gid=series["key"],
        )
        if series["fill"]:
            ax.fill(_closed(angles), _closed(values), color=series["colour"], alpha=0.25)
    low, high = data["range"]
    ax.set_ylim(low, high)
    ax.set_yticks([tick["value"] for tick in data["ticks"]])
    ax.set_yticklabels([str(tick["value"]) for tick in data["ticks"]], color="#555555")
    ax.set_xticks(angles)
    ax.set_xticklabels([_text("\n".join(textwrap.wrap(axis, 16)) or axis) for axis in axes])
    ax.tick_params(axis="x", pad=12)
    ax.grid(color="#cccccc", linewidth=0.6)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncols=3, frameon=False)
    return figure


def to_svg(figure: Figure) -> str:
    """SVG markup ready to inline in HTML (no XML declaration or doctype)."""
    buffer = io.StringIO()
    with rc_context(STYLE):
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = re.sub(r"<\?xml[^>]*\?>\s*", "", svg)
    return re.sub(r"<!DOCTYPE[^>]*>\s*", "", svg)


def radar_svg(data: dict) -> str:
    with rc_context(STYLE):
        return to_svg(radar_figure(data))


def trend_figure(data: dict, average_label: str) -> Figure:
    """Progress per process over the assessments (`assessments.comparison.trend`), and the
    average as a thick dashed line, as the page's plotly chart."""
    from assessments.charts import COLOURS

    labels = [point["label"] for point in data["points"]]
    positions = list(range(len(labels)))
    figure = Figure(figsize=(6.4, 3.6))
    ax = figure.add_subplot()
    for key, name in data["processes"].items():
        values = [point["progress"].get(key, math.nan) for point in data["points"]]
        ax.plot(
            positions, values, marker="o", linewidth=1.4, markersize=3.5, label=_text(name), gid=key
        )
    ax.plot(
        positions,
        [point["average"] for point in data["points"]],
        color=COLOURS["current"],
        linestyle="--",
        linewidth=3,
        marker="o",
        label=average_label,
        gid="average",
    )
    ax.set_xticks(positions)
    # Dates written out ("15 oktober 2026") are long: slanted once they would touch.
    if len(labels) > 4:
        ax.set_xticklabels(labels, rotation=30, horizontalalignment="right")
    else:
        ax.set_xticklabels(labels)
    ax.set_ylim(0.8, data["top"] + 0.2)
    ax.set_yticks(list(range(1, data["top"] + 1)))
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=7)
    return figure


def trend_svg(data: dict, average_label: str) -> str:
    with rc_context(STYLE):
        return to_svg(trend_figure(data, average_label))
