"""The deck's slides, each drawn from plain data onto a `Canvas`."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pptx.enum.chart import XL_AXIS_CROSSES, XL_CHART_TYPE, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_SHAPE
from pptx.util import Inches, Pt

from assessments.charts import COLOURS
from benchmark.charts import PEER_COLOUR
from roadmaps.models import RoadmapItem
from roadmaps.quarters import ROADMAP_QUARTERS

from ..summary import ExecutiveSummary
from .canvas import (
    CONTENT_HEIGHT,
    CONTENT_TOP,
    CONTENT_WIDTH,
    DARK,
    GREY,
    MARGIN,
    ROW_HEIGHT,
    SMALL_SIZE,
    WIDTH,
    Canvas,
    Cell,
    colour,
    fill,
    lines_of,
    pages,
    plot_area_at,
    row_height,
)

AMBITION = colour(COLOURS["ambition"])
PEERS = colour(PEER_COLOUR)
# Earlier measurements, the most recent darkest; the heatmap's dimensions after the accent.
EARLIER = [colour(value) for value in ("#8aa4bf", "#b3c3d3", "#d3dce6")]
PALETTE = [colour(value) for value in ("#e07b39", "#8aa4bf", "#5b8c5a", "#b5838d", "#6c757d")]
PROCESSES_PER_CHART = 12  # bars of a chart slide; more continue on the next slide
TABLE_ROOM = CONTENT_HEIGHT - Inches(0.35)
QUARTER_WIDTH = Inches(0.52)
TITLE_CHARACTERS = 80  # of a deliverable in the roadmap's table: two lines
HEADLINE_SIZE, LIST_SIZE = Pt(22), Pt(15)  # the summary's


def level_text(value: int | None) -> str:
    return _("not scored") if value is None else str(value)


def clipped(text: str, limit: int) -> str:
    """`text`, or as many of its words as fit in `limit` characters and "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,.;:") + "…"


def chart_parts(count: int) -> list[slice]:
    """`count` bars over as few slides as hold them at `PROCESSES_PER_CHART` a slide, in
    parts of (about) one size: 30 as 10, 10 and 10, not 12, 12 and 6."""
    parts = max(1, -(-count // PROCESSES_PER_CHART))
    size = -(-count // parts)
    return [slice(start, start + size) for start in range(0, count, size)] or [slice(0, 0)]


def continued(title: str, page: int) -> str:
    return title if page == 0 else _("%(title)s (continued)") % {"title": title}


def title_slide(
    canvas: Canvas,
    *,
    client: str,
    kind_and_date: str,
    consultancy: str,
    consultancy_logo: bytes | None,
    client_logo: bytes | None,
) -> None:
    slide = canvas.blank_slide()
    fill(slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, WIDTH, Inches(0.3)), canvas.accent)
    if client_logo:
        canvas.picture(
            slide,
            client_logo,
            WIDTH - MARGIN - Inches(3.5),
            Inches(0.7),
            Inches(3.5),
            Inches(1.4),
            right=True,
        )
    if canvas.draft:
        canvas.draft_mark(slide, MARGIN, Inches(0.7), size=Pt(18))
    title = canvas.text(
        slide,
        MARGIN,
        Inches(2.3),
        CONTENT_WIDTH,
        Inches(3),
        [
            (client, Pt(40), canvas.accent, True),
            (_("Social Media Growth maturity"), Pt(26), DARK, False),
            (kind_and_date, Pt(20), GREY, False),
        ],
        space=Pt(10),
    )
    title.name = "Title"
    left = MARGIN
    if consultancy_logo:
        logo = canvas.picture(slide, consultancy_logo, MARGIN, Inches(5.85), Inches(3), Inches(0.9))
        left += logo.width + Inches(0.3)
    canvas.text(
        slide,
        left,
        Inches(6.05),
        Inches(7),
        Inches(0.6),
        [consultancy],
        size=Pt(18),
        bold=True,
    )


def fitting(lines: list[str], width: int, room: int, size: Pt = LIST_SIZE) -> list[str]:
    """As many of `lines` as fit in `room` (EMU) of a column, then "… and N more"."""
    line = Pt(size.pt * 1.2) + Pt(6)
    shown, used = [], 0
    for index, text in enumerate(lines):
        height = lines_of(text, width - Inches(0.25), size) * Pt(size.pt * 1.2) + Pt(6)
        if used + height > room - (line if index < len(lines) - 1 else 0):
            rest = len(lines) - index
            more = ngettext("… and %(count)s more", "… and %(count)s more", rest)
            return [*shown, more % {"count": rest}]
        shown.append(text)
        used += height
    return shown


def summary_slide(canvas: Canvas, summary: ExecutiveSummary) -> None:
    slide = canvas.slide(_("Summary"))
    canvas.text(
        slide,
        MARGIN,
        CONTENT_TOP - Inches(0.1),
        CONTENT_WIDTH,
        Inches(1.1),
        [summary.headline],
        size=HEADLINE_SIZE,
        bold=True,
    )
    gaps = [
        _("%(process)s: level %(level)s, ambition %(ambition)s (gap %(gap)s)")
        % {"process": gap.process, "level": gap.level, "ambition": gap.ambition, "gap": gap.gap}
        for gap in summary.gaps
    ] or [_("No scored process is below its ambition.")]
    baseline = summary.baseline_missing or [_("Every scored process meets the level-3 baseline.")]
    if summary.previous is None:
        changed_title = _("What changed")
        changes = [_("This is the first measurement.")]
    else:
        changed_title = _("Changed since %(date)s") % {
            "date": date_format(summary.previous.assessed_on, "DATE_FORMAT")
        }
        changes = [
            f"{change.process}: {level_text(change.before)} → {level_text(change.now)}"
            for change in summary.changes
        ] or [_("No process changed level.")]
    columns = [
        (_("Largest gaps"), gaps),
        (_("Level-3 baseline still needs"), baseline),
        (changed_title, changes),
    ]
    # Bold text runs about a fifth wider.
    headline_lines = lines_of(summary.headline, CONTENT_WIDTH, Pt(HEADLINE_SIZE.pt * 1.2))
    top = CONTENT_TOP + headline_lines * Pt(HEADLINE_SIZE.pt * 1.25) + Inches(0.3)
    width = (CONTENT_WIDTH - Inches(0.8)) // 3
    for index, (heading, lines) in enumerate(columns):
        room = CONTENT_TOP + CONTENT_HEIGHT - top - Inches(0.1)
        room -= lines_of(heading, width, Pt(18)) * Pt(22) + Pt(6)
        canvas.text(
            slide,
            MARGIN + index * (width + Inches(0.4)),
            top,
            width,
            Inches(4),
            [(heading, Pt(18), canvas.accent, True), *fitting(lines, width, room)],
            size=LIST_SIZE,
            bullets=True,
            space=Pt(6),
        )


def radar_slide(canvas: Canvas, *, processes: list[str], series: list[tuple], top_level: int):
    """`series`: (name, values, kind) with kind "earlier" (oldest first), "now", "ambition"
    or "peers" (the peers' median)."""
    slide = canvas.slide(
        _("Maturity per process"), _("The level each process reaches, and its ambition")
    )
    many = len(processes) > 16  # the names crowd each other: smaller
    chart = canvas.chart(
        slide,
        XL_CHART_TYPE.RADAR_MARKERS,
        processes,
        [s[:2] for s in series],
        MARGIN,
        CONTENT_TOP,
        CONTENT_WIDTH,
        CONTENT_HEIGHT,
        name="Radar chart",
        top_level=top_level,
        legend=XL_LEGEND_POSITION.RIGHT,
        font_size=Pt(11) if many else Pt(14),
    )
    # A square of 80% of the frame's height, left of the legend; the process names around it.
    side = CONTENT_HEIGHT * 0.8
    centre = Inches(5.3) - MARGIN
    plot_area_at(
        chart,
        x=round((centre - side / 2) / CONTENT_WIDTH, 4),
        y=0.1,
        w=round(side / CONTENT_WIDTH, 4),
        h=0.8,
    )
    earlier = iter(reversed(EARLIER[: sum(1 for s in series if s[2] == "earlier")]))
    for plotted, (_name, _values, kind) in zip(chart.plots[0].series, series, strict=True):
        line = plotted.format.line
        if kind == "now":
            rgb, line.width = canvas.accent, Pt(3)
        elif kind == "ambition":
            rgb, line.width = AMBITION, Pt(2.25)
            line.dash_style = MSO_LINE_DASH_STYLE.DASH
        elif kind == "peers":
            rgb, line.width = PEERS, Pt(2)
            line.dash_style = MSO_LINE_DASH_STYLE.ROUND_DOT
        else:
            rgb, line.width = next(earlier), Pt(2)
        line.color.rgb = rgb
        plotted.smooth = False
        plotted.marker.style, plotted.marker.size = XL_MARKER_STYLE.CIRCLE, 7
        plotted.marker.format.fill.solid()
        plotted.marker.format.fill.fore_color.rgb = rgb
        plotted.marker.format.line.color.rgb = rgb


def bar_chart(
    canvas: Canvas, slide, categories, series, top_level, *, name: str, width=CONTENT_WIDTH
):
    """Horizontal bars, the first category on top; `series` are (name, values, colour)."""
    chart = canvas.chart(
        slide,
        XL_CHART_TYPE.BAR_CLUSTERED,
        categories,
        [s[:2] for s in series],
        MARGIN,
        CONTENT_TOP,
        width,
        CONTENT_HEIGHT,
        name=name,
        top_level=top_level,
    )
    chart.category_axis.reverse_order = True
    # ... with the level axis kept at the bottom: where it crosses the categories is written in
    # its own element, which python-pptx sets only from the other axis' side.
    crossing = chart.value_axis._element
    crossing._remove_crosses()
    crossing._add_crosses(val=XL_AXIS_CROSSES.MAXIMUM)
    plot = chart.plots[0]
    plot.gap_width, plot.overlap = 60, 0
    for plotted, (_name, _values, rgb) in zip(plot.series, series, strict=True):
        plotted.format.fill.solid()
        plotted.format.fill.fore_color.rgb = rgb
        plotted.invert_if_negative = False
    return chart


def heatmap_slides(canvas: Canvas, *, rows: list[dict], dimensions: list[str], top_level: int):
    """`rows`: {"process", "scored", "cells"} per process, as `assessments.charts.heatmap_data`
    gives them (a cell per dimension: its level, or None)."""
    colours = [canvas.accent, *PALETTE]
    chunks = [rows[part] for part in chart_parts(len(rows))]
    for page, chunk in enumerate(chunks or [[]]):
        slide = canvas.slide(
            continued(_("Level per dimension"), page),
            _("The level each process reaches in each dimension"),
        )
        categories = [
            row["process"] if row["scored"] else f"{row['process']} ({_('not scored')})"
            for row in chunk
        ]
        # A process nobody scored has no levels (heatmap_data gives its cells all the same).
        series = [
            (
                dimension,
                [row["cells"][index] if row["scored"] else None for row in chunk],
                colours[index % len(colours)],
            )
            for index, dimension in enumerate(dimensions)
        ]
        bar_chart(canvas, slide, categories, series, top_level, name="Level per dimension chart")


def gaps_slides(canvas: Canvas, *, rows: list[list[str]], notes: list[str]) -> None:
    """`rows`: process, level, ambition, gap, largest gap first; `notes` under the table."""
    widths = [CONTENT_WIDTH - Inches(5.4), Inches(1.8), Inches(1.8), Inches(1.8)]
    header = [_("Process"), _("Level"), _("Ambition"), _("Gap")]
    notes_room = sum(lines_of(note, CONTENT_WIDTH) for note in notes) * Inches(0.3)
    chunks = pages(rows, lambda row: row_height(row, widths), TABLE_ROOM - ROW_HEIGHT)
    for page, chunk in enumerate(chunks):
        last = page == len(chunks) - 1
        slide = canvas.slide(continued(_("Gaps to ambition"), page), _("Largest first"))
        if chunk:
            canvas.table(
                slide,
                header_row(header, centred=(1, 2, 3)) + centred_rows(chunk, (1, 2, 3)),
                widths,
            )
        else:
            canvas.text(
                slide,
                MARGIN,
                CONTENT_TOP,
                CONTENT_WIDTH,
                Inches(0.6),
                [_("No scored process is below its ambition.")],
            )
        if last and notes:
            used = ROW_HEIGHT + sum(row_height(row, widths) for row in chunk)
            top = min(CONTENT_TOP + used + Inches(0.3), CONTENT_TOP + TABLE_ROOM - notes_room)
            canvas.text(
                slide, MARGIN, top, CONTENT_WIDTH, notes_room, notes, size=Pt(14), colour=GREY
            )


def benchmark_slides(canvas: Canvas, *, group: str, rows: list[list[str]]) -> None:
    """`rows`: process, its level, the peers' median, lower and upper quartile ("" where too
    few peers contribute: the row says so); `group`: whom it is compared with. No rows: too
    few peers for any figure."""
    widths = [CONTENT_WIDTH - Inches(7.2), Inches(1.8), Inches(1.8), Inches(1.8), Inches(1.8)]
    header = [_("Process"), _("Level"), _("Peers: median")]
    header += [_("Lower quartile"), _("Upper quartile")]
    shown = [
        row if row[2] else [row[0], row[1], _("too few peers to compare"), "", ""] for row in rows
    ]
    chunks = pages(shown, lambda row: row_height(row, widths), TABLE_ROOM - ROW_HEIGHT)
    for page, chunk in enumerate(chunks):
        title = continued(_("Peer benchmark"), page)
        slide = canvas.slide(title, _("Compared with: %(group)s") % {"group": group})
        if chunk:
            canvas.table(
                slide,
                header_row(header, centred=(1, 2, 3, 4)) + centred_rows(chunk, (1, 2, 3, 4)),
                widths,
            )
        else:
            canvas.text(
                slide,
                MARGIN,
                CONTENT_TOP,
                CONTENT_WIDTH,
                Inches(0.6),
                [_("Too few peers to compare yet.")],
            )


def roadmap_slides(canvas: Canvas, *, roadmap: dict | None) -> None:
    """`roadmap`: None without one, else {"quarters", "rows", "proposals"}: the eight quarters,
    the accepted items' rows (`roadmaps.selectors.ItemRow`) and the number of proposals left
    out."""
    if roadmap is None:
        slide = canvas.slide(_("Roadmap"))
        canvas.text(
            slide,
            MARGIN,
            CONTENT_TOP,
            CONTENT_WIDTH,
            Inches(0.6),
            [_("There is no roadmap for this assessment yet.")],
        )
        return
    quarters = roadmap["quarters"]
    note = _("Year 1 and year 2: %(first)s – %(last)s. Accepted items only.") % {
        "first": quarters[0],
        "last": quarters[-1],
    }
    left_out = ""
    if proposals := roadmap["proposals"]:
        left_out = ngettext(
            "%(count)s proposal not yet accepted is left out.",
            "%(count)s proposals not yet accepted are left out.",
            proposals,
        ) % {"count": proposals}
    widths = [Inches(1.75), Inches(1.4), *[QUARTER_WIDTH] * ROADMAP_QUARTERS]
    widths.insert(0, CONTENT_WIDTH - sum(widths))
    statuses = dict(RoadmapItem.Status.choices)

    def texts(row):
        # A drafted deliverable is named by its criterion's whole text: in the deck, as much
        # as two lines hold (the roadmap page and the PDF have it whole).
        title = clipped(row.item.title, TITLE_CHARACTERS)
        if row.item.status != RoadmapItem.Status.PLANNED:
            title += f" ({statuses[row.item.status]})"
        return [title, row.process_name, row.item.owner]

    rows = [(row, texts(row)) for row in roadmap["rows"]]
    # Below the header's two rows, and above the line on the proposals.
    room = TABLE_ROOM - 2 * ROW_HEIGHT - Inches(0.2) - (Inches(0.4) if left_out else 0)
    chunks = pages(rows, lambda row: row_height(row[1], widths[:3]), room)
    for page, chunk in enumerate(chunks):
        slide = canvas.slide(continued(_("Roadmap"), page), note)
        if left_out:
            canvas.text(
                slide,
                MARGIN,
                CONTENT_TOP + CONTENT_HEIGHT - Inches(0.4),
                CONTENT_WIDTH,
                Inches(0.35),
                [left_out],
                size=SMALL_SIZE,
                colour=GREY,
            )
        if chunk:
            roadmap_table(canvas, slide, chunk, quarters, widths)
        else:
            canvas.text(
                slide,
                MARGIN,
                CONTENT_TOP,
                CONTENT_WIDTH,
                Inches(0.6),
                [_("No roadmap item is accepted yet.")],
            )


def roadmap_table(canvas: Canvas, slide, rows, quarters, widths) -> None:
    """Deliverable, process, owner, and a column per quarter under "year 1" and "year 2", the
    quarters of the item's span filled."""
    first = [
        *(Cell(text, header=True, rows=2) for text in (_("Deliverable"), _("Process"), _("Owner"))),
        Cell(_("Year 1"), header=True, centred=True, span=4),
        None,
        None,
        None,
        Cell(_("Year 2"), header=True, centred=True, span=4),
        None,
        None,
        None,
    ]
    # The years are in the note above the table.
    second = [None, None, None]
    second += [
        Cell(_("Q%(quarter)s") % {"quarter": quarter.quarter}, header=True, centred=True)
        for quarter in quarters
    ]
    body = [
        [
            *texts,
            *(
                Cell(marked=row.item.start_quarter <= quarter.index <= row.item.end_quarter)
                for quarter in quarters
            ),
        ]
        for row, texts in rows
    ]
    canvas.table(slide, [first, second, *body], widths)


def header_row(texts: list[str], centred=()) -> list[list[Cell]]:
    return [[Cell(text, header=True, centred=i in centred) for i, text in enumerate(texts)]]


def centred_rows(rows: list[list[str]], centred=()) -> list[list[Cell]]:
    return [[Cell(text, centred=i in centred) for i, text in enumerate(row)] for row in rows]


def comparison_slides(
    canvas: Canvas,
    *,
    earlier: str,
    now: str,
    processes: list[str],
    before: list,
    after: list,
    changes: list[list[str]],
    top_level: int,
):
    """Before and now per process (`before`, `after`: levels or None, in the order of
    `processes`) as bars, beside the table of the levels that changed."""
    chart_width = Inches(7.1)
    table_left = MARGIN + chart_width + Inches(0.3)
    table_width = CONTENT_WIDTH - chart_width - Inches(0.3)
    widths = [table_width - Inches(2.6), Inches(1.3), Inches(1.3)]
    header = [_("Process"), _("Before"), _("Now")]
    chart_pages = [range(len(processes))[part] for part in chart_parts(len(processes))]
    room = TABLE_ROOM - Inches(0.5) - ROW_HEIGHT
    table_pages = pages(changes, lambda row: row_height(row, widths), room)
    note = _("%(before)s against %(now)s") % {"before": earlier, "now": now}
    for page in range(max(len(chart_pages), len(table_pages))):
        slide = canvas.slide(continued(_("Comparison with the previous assessment"), page), note)
        if page < len(chart_pages):
            shown = chart_pages[page]
            series = [
                (earlier, [before[i] for i in shown], EARLIER[0]),
                (now, [after[i] for i in shown], canvas.accent),
            ]
            categories = [processes[i] for i in shown]
            bar_chart(
                canvas,
                slide,
                categories,
                series,
                top_level,
                name="Comparison chart",
                width=chart_width,
            )
        if page < len(table_pages):
            canvas.text(
                slide,
                table_left,
                CONTENT_TOP - Inches(0.05),
                table_width,
                Inches(0.45),
                [_("Levels that changed")],
                size=Pt(18),
                colour=canvas.accent,
                bold=True,
            )
            if table_pages[page]:
                canvas.table(
                    slide,
                    header_row(header, (1, 2)) + centred_rows(table_pages[page], (1, 2)),
                    widths,
                    left=table_left,
                    top=CONTENT_TOP + Inches(0.5),
                )
            else:
                canvas.text(
                    slide,
                    table_left,
                    CONTENT_TOP + Inches(0.5),
                    table_width,
                    Inches(0.6),
                    [_("No process changed level.")],
                )
