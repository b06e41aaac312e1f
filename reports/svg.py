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
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

STYLE = {
    "svg.fonttype": "none",  # text stays text: searchable in the PDF, rendered in our font
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "svg.hashsalt": "dvo-portal",  # stable ids, so the same data gives the same SVG
}


# No RDF block: nothing in it is read, and WeasyPrint parses every node.
NO_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}


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
    figure = Figure(figsize=(6.4, 5.2))
    ax = figure.add_subplot(projection="polar")
    ax.set_theta_offset(math.pi / 2)
    ax.set_theta_direction(-1)  # clockwise from the top, as plotly's angularaxis
    band = data.get("band")
    if band:
        # The peers' middle half as a ring from the lower to the upper quartile (one polygon
        # out along the upper and back along the lower), their median dotted; beneath the
        # organisation's own lines. A process without peer figures breaks the ring there.
        lower = [math.nan if value is None else value for value in band["lower"]]
        upper = [math.nan if value is None else value for value in band["upper"]]
        median = [math.nan if value is None else value for value in band["median"]]
        ax.fill(
            [*_closed(angles), *reversed(_closed(angles))],
            [*_closed(upper), *reversed(_closed(lower))],
            facecolor=to_rgba(band["colour"], 0.22),
            edgecolor="none",
            gid="peer-band",
        )
        ax.plot(
            _closed(angles),
            _closed(median),
            color=band["colour"],
            linestyle=":",
            linewidth=1.6,
            label=_text(band["median_name"]),
            gid="peer-median",
        )
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
            # A translucent fill colour, not `alpha`: WeasyPrint draws an element's opacity
            # as a group of its own, a fill colour's alpha as a plain fill.
            ax.fill(
                _closed(angles),
                _closed(values),
                facecolor=to_rgba(series["colour"], 0.25),
                edgecolor="none",
            )
    low, high = data["range"]
    ax.set_ylim(low, high)
    ax.set_yticks([tick["value"] for tick in data["ticks"]])
    ax.set_yticklabels([str(tick["value"]) for tick in data["ticks"]], color="#555555")
    ax.set_xticks(angles)
    ax.set_xticklabels([_text("\n".join(textwrap.wrap(axis, 16)) or axis) for axis in axes])
    ax.tick_params(axis="x", pad=12)
    ax.grid(color="#cccccc", linewidth=0.6)
    # No background disc and no legend: the report puts the legend beside the chart as text
    # (reports/_report_body.html), and WeasyPrint draws the chart a third faster without them.
    ax.patch.set_visible(False)
    # Nothing leaves the axes (levels stay within its range, labels sit outside by design):
    # without clip paths WeasyPrint draws the chart in two thirds of the time.
    for artist in [*ax.lines, *ax.patches, *ax.xaxis.get_gridlines(), *ax.yaxis.get_gridlines()]:
        artist.set_clip_on(False)
    return figure


def to_svg(figure: Figure) -> str:
    """SVG markup ready to inline in HTML (no XML declaration or doctype)."""
    buffer = io.StringIO()
    with rc_context(STYLE):
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata=NO_METADATA)
    svg = buffer.getvalue()
    svg = re.sub(r"<\?xml[^>]*\?>\s*", "", svg)
    return re.sub(r"<!DOCTYPE[^>]*>\s*", "", svg)


def radar_svg(data: dict) -> str:
    with rc_context(STYLE):
        return to_svg(radar_figure(data))


def sparkline_svg(values: list, top: int, colour: str, ambition: int | None = None) -> str:
    """One process's progress score over the measurements as a small line chart (a "small
    multiple": one per process on a shared scale, 1 to `top`), with its ambition as a dashed
    line. Plain SVG built here: thirty of them cost next to nothing, unlike thirty
    matplotlib figures. `values`: None where the process was not measured."""
    width, height, pad = 150, 54, 6
    count = len(values)

    def x(index: int) -> float:
        return pad + (width - 2 * pad) * (index / (count - 1) if count > 1 else 0.5)

    def y(value: float) -> float:
        return height - pad - (height - 2 * pad) * (value - 1) / max(top - 1, 1)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}">'
    ]
    for level in range(1, top + 1):
        parts.append(
            f'<line x1="{pad}" x2="{width - pad}" y1="{y(level):.1f}" y2="{y(level):.1f}" '
            'stroke="#e3e7eb" stroke-width="0.8"/>'
        )
    if ambition is not None:
        parts.append(
            f'<line x1="{pad}" x2="{width - pad}" y1="{y(ambition):.1f}" y2="{y(ambition):.1f}" '
            'stroke="#e07b39" stroke-width="1.2" stroke-dasharray="4 3"/>'
        )
    points = [(x(index), y(value)) for index, value in enumerate(values) if value is not None]
    if len(points) > 1:
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
    for px, py in points:
        parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="2.6" fill="{colour}"/>')
    parts.append("</svg>")
    return "".join(parts)
