"""The deck's drawing helpers over python-pptx: a 16:9 presentation in the brand's accent
colour, slides with a title, footer, number and draft mark, text boxes, tables and native charts.
Sizes in the readable range: body text 14 pt and more, titles 28 pt."""

import copy
import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from PIL import Image
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_LEGEND_POSITION
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.util import Emu, Inches, Pt

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)  # 16:9
MARGIN = Inches(0.6)
CONTENT_TOP = Inches(1.55)
CONTENT_WIDTH = WIDTH - 2 * MARGIN
CONTENT_HEIGHT = HEIGHT - CONTENT_TOP - Inches(0.65)  # above the footer

TITLE_SIZE, BODY_SIZE, SMALL_SIZE, FOOTER_SIZE = Pt(28), Pt(16), Pt(14), Pt(11)
SPACE = Pt(4)  # after a paragraph
DARK = RGBColor(0x22, 0x2B, 0x33)
GREY = RGBColor(0x5F, 0x6B, 0x76)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
GRIDLINE = RGBColor(0xD0, 0xD5, 0xDA)
DRAFT_RED = RGBColor(0xB0, 0x1E, 0x1E)

TABLE_GRID_STYLE = "{5940675A-B579-460E-94D1-54222C63F5DA}"
EMPTY_BODY = "<a:txBody><a:bodyPr/><a:lstStyle/><a:p/></a:txBody>"
LANGUAGES = {"en": "en-GB", "nl": "nl-NL"}
# A table row is at least ROW_HEIGHT, or its lines of 14 pt text (LINE_HEIGHT each, as
# PowerPoint spaces them) and the cell's margins.
ROW_HEIGHT, LINE_HEIGHT, CELL_MARGINS = Inches(0.36), Inches(0.235), Inches(0.1)
# Characters of 14 pt text per inch of a column, on the wide side: measured with DejaVu Sans,
# which LibreOffice draws in place of Calibri and which is wider. Breaks err towards room.
CHARACTERS_PER_INCH = 10


def colour(value: str) -> RGBColor:
    return RGBColor.from_string(value.lstrip("#")[:6].upper())


def lines_of(text: str, width: int, size: Pt = SMALL_SIZE) -> int:
    """About how many lines `text` takes in a column `width` wide (EMU), wrapped at words."""
    per_line = max(1, int((width - Inches(0.2)) / Inches(1) * CHARACTERS_PER_INCH * 14 / size.pt))
    lines = 0
    for part in text.splitlines() or [""]:
        lines, length = lines + 1, 0
        for word in part.split():
            if length and length + 1 + len(word) > per_line:
                lines, length = lines + 1, 0
            if len(word) > per_line:  # a word wider than the column breaks inside it
                lines += (len(word) - 1) // per_line
                length = len(word) % per_line or per_line
            else:
                length += (1 if length else 0) + len(word)
    return lines


def row_height(values: list[str], widths: list[int]) -> int:
    lines = max(lines_of(value, width) for value, width in zip(values, widths, strict=True))
    return max(ROW_HEIGHT, LINE_HEIGHT * lines + CELL_MARGINS)


def pages(rows: list, height_of, room: int) -> list[list]:
    """`rows` cut into pages whose rows' heights (`height_of(row)`) fit in `room`; at least one
    page, and at least one row a page."""
    result, page, used = [], [], 0
    for row in rows:
        height = height_of(row)
        if page and used + height > room:
            result.append(page)
            page, used = [], 0
        page.append(row)
        used += height
    return [*result, page]


@dataclass(frozen=True)
class Cell:
    """A table cell: a header is bold white on the accent colour, a marked cell is filled with
    it (a quarter of a roadmap item's span); `span` columns wide, `rows` rows high."""

    text: str = ""
    header: bool = False
    marked: bool = False
    centred: bool = False
    span: int = 1
    rows: int = 1


class Canvas:
    """A presentation with the brand's accent colour (the brand's accent is validated dark
    enough for white text: the table headers carry white text on it)."""

    def __init__(self, *, accent: str, footer: str, draft: bool, language: str):
        self.presentation = Presentation()
        self.presentation.slide_width, self.presentation.slide_height = WIDTH, HEIGHT
        self.accent = colour(accent)
        self.footer = footer
        self.draft = draft
        self.language = LANGUAGES.get(language, language)  # of the text, for spelling
        self._chrome = None  # the XML of the shapes every slide carries, once drawn

    def save(self) -> bytes:
        buffer = io.BytesIO()
        self.presentation.save(buffer)
        return buffer.getvalue()

    # --- slides

    def blank_slide(self):
        return self.presentation.slides.add_slide(self.presentation.slide_layouts[6])

    def slide(self, title: str, note: str = ""):
        """A slide with its title in the title placeholder (what the outline, the slide sorter
        and screen readers show), a note under it, and the chrome: an accent rule, the footer,
        the draft mark and the slide's number (a field: the same on every slide, so the shapes
        are drawn once and copied, a tenth of the time)."""
        slide = self.presentation.slides.add_slide(self.presentation.slide_layouts[5])
        heading = slide.shapes.title
        heading.left, heading.top = MARGIN, Inches(0.3)
        heading.width, heading.height = CONTENT_WIDTH, Inches(0.8)
        frame = heading.text_frame
        frame.word_wrap = True
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        frame.paragraphs[0].alignment = PP_ALIGN.LEFT
        self.run(frame.paragraphs[0], title, TITLE_SIZE, self.accent, bold=True)
        if self._chrome is None:
            self._chrome = [copy.deepcopy(shape) for shape in self._draw_chrome(slide)]
        else:
            tree = slide.shapes._spTree
            for shape in self._chrome:
                tree.append(copy.deepcopy(shape))
        if note:
            self.text(
                slide,
                MARGIN + Inches(1.6),
                Inches(0.98),
                CONTENT_WIDTH - Inches(1.6),
                Inches(0.35),
                [note],
                size=SMALL_SIZE,
                colour=GREY,
            )
        return slide

    def _draw_chrome(self, slide) -> list:
        rule = slide.shapes.add_shape(
            MSO_SHAPE.RECTANGLE, MARGIN, Inches(1.12), Inches(1.4), Inches(0.06)
        )
        fill(rule, self.accent)
        bottom = HEIGHT - Inches(0.5)
        footer = self.text(
            slide,
            MARGIN,
            bottom,
            CONTENT_WIDTH - Inches(4),
            Inches(0.35),
            [self.footer],
            size=FOOTER_SIZE,
            colour=GREY,
        )
        number = self.text(
            slide,
            WIDTH - MARGIN - Inches(0.6),
            bottom,
            Inches(0.6),
            Inches(0.35),
            [""],
            size=FOOTER_SIZE,
            align=PP_ALIGN.RIGHT,
        )
        number.name = "Slide number"
        # python-pptx has no API for fields: the slide-number field as XML.
        number.text_frame.paragraphs[0]._p.append(
            parse_xml(
                f'<a:fld {nsdecls("a")} id="{{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}}"'
                f' type="slidenum"><a:rPr sz="{FOOTER_SIZE.centipoints}">'
                f'<a:solidFill><a:srgbClr val="{GREY}"/></a:solidFill></a:rPr>'
                "<a:t>‹#›</a:t></a:fld>"
            )
        )
        shapes = [rule, footer, number]
        if self.draft:  # on every slide: a page forwarded alone still says so
            mark = self.text(
                slide,
                WIDTH - MARGIN - Inches(4),
                bottom,
                Inches(3.4),
                Inches(0.35),
                [_("Draft — not final")],
                size=Pt(12),
                colour=DRAFT_RED,
                bold=True,
                align=PP_ALIGN.RIGHT,
            )
            mark.name = "Draft mark"
            shapes.append(mark)
        return [shape._element for shape in shapes]

    # --- parts

    def text(
        self,
        slide,
        left,
        top,
        width,
        height,
        lines,
        *,
        size=BODY_SIZE,
        colour=DARK,
        bold=False,
        align=PP_ALIGN.LEFT,
        bullets=False,
        space=SPACE,
    ):
        """A text box of paragraphs; `lines` are strings or (string, size, colour, bold)
        (bulleted, if `bullets`, are the strings)."""
        box = slide.shapes.add_textbox(left, top, width, height)
        frame = box.text_frame
        frame.word_wrap = True
        for index, line in enumerate(lines):
            plain = not isinstance(line, tuple)
            text, line_size, line_colour, line_bold = (line, size, colour, bold) if plain else line
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            paragraph.alignment = align
            paragraph.space_after = space
            if bullets and plain:
                bullet(paragraph)
            self.run(paragraph, text, line_size, line_colour, line_bold)
        return box

    def run(self, paragraph, text: str, size, colour: RGBColor | None = None, bold=False):
        """A run of text in the deck's language (for spelling and reading aloud); without
        `colour` in the theme's text colour (near black)."""
        added = paragraph.add_run()
        added.text = text
        added.font.size = size
        added._r.get_or_add_rPr().set("lang", self.language)
        if bold:
            added.font.bold = True
        if colour is not None:
            added.font.color.rgb = colour
        return added

    def draft_mark(self, slide, left, top, size=SMALL_SIZE):
        """The draft mark in a red frame as wide as its text (about)."""
        text = _("Draft — not final")
        width = Inches(0.4 + len(text) * size.pt * 0.0092)
        mark = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, left, top, width, Inches(0.5))
        mark.name = "Draft mark"
        mark.fill.solid()
        mark.fill.fore_color.rgb = WHITE
        mark.line.color.rgb = DRAFT_RED
        mark.line.width = Pt(1.5)
        mark.shadow.inherit = False
        frame = mark.text_frame
        frame.margin_left = frame.margin_right = Inches(0.05)
        frame.paragraphs[0].alignment = PP_ALIGN.CENTER
        self.run(frame.paragraphs[0], text, size, DRAFT_RED, bold=True)
        return mark

    def picture(self, slide, png: bytes, left, top, max_width, max_height, *, right=False):
        """A logo fitted into the box, in its proportions (at the box's right edge if `right`)."""
        with Image.open(io.BytesIO(png)) as image:
            width, height = image.size
        scale = min(max_width / width, max_height / height)
        width, height = int(width * scale), int(height * scale)
        if right:
            left += max_width - width
        return slide.shapes.add_picture(io.BytesIO(png), left, top, width, height)

    def table(self, slide, rows: list[list], widths, *, left=MARGIN, top=CONTENT_TOP):
        """A table of `rows` of cells: a `Cell`, a string (plain text) or None (covered by a
        merged cell to its left or above), over a thin grid ("No Style, Table Grid": white
        cells). Written as one piece of XML: python-pptx's cell by cell API takes ~1 ms a
        cell, which for a roadmap of sixty items was most of the deck's time."""
        cells = [
            [Cell(value) if isinstance(value, str) else value for value in row] for row in rows
        ]
        frame = slide.shapes.add_table(
            1, 1, left, top, sum(widths), ROW_HEIGHT * len(rows)
        )  # for the frame; its table is replaced
        merged_below: set[tuple[int, int]] = set()
        xml_rows = []
        for row_index, row in enumerate(cells):
            xml_cells = []
            for column, cell in enumerate(row):
                if cell is None:
                    merge = "vMerge" if (row_index, column) in merged_below else "hMerge"
                    xml_cells.append(f'<a:tc {merge}="1">{EMPTY_BODY}<a:tcPr/></a:tc>')
                    continue
                for below in range(1, cell.rows):
                    merged_below.add((row_index + below, column))
                xml_cells.append(self._cell_xml(cell))
            xml_rows.append(f'<a:tr h="{ROW_HEIGHT}">{"".join(xml_cells)}</a:tr>')
        grid = "".join(f'<a:gridCol w="{width}"/>' for width in widths)
        table = parse_xml(
            f'<a:tbl {nsdecls("a")}><a:tblPr firstRow="1"><a:tableStyleId>{TABLE_GRID_STYLE}'
            f"</a:tableStyleId></a:tblPr><a:tblGrid>{grid}</a:tblGrid>"
            f"{''.join(xml_rows)}</a:tbl>"
        )
        old = frame._element.xpath("./a:graphic/a:graphicData/a:tbl")[0]
        old.getparent().replace(old, table)
        return frame.table

    def _cell_xml(self, cell: "Cell") -> str:
        spans = (f' gridSpan="{cell.span}"' if cell.span > 1 else "") + (
            f' rowSpan="{cell.rows}"' if cell.rows > 1 else ""
        )
        header = cell.header
        fill = self.accent if header or cell.marked else None
        paragraph = '<a:pPr algn="ctr"/>' if cell.centred else ""
        if cell.text:
            bold = ' b="1"' if header else ""
            colour = f'<a:solidFill><a:srgbClr val="{WHITE}"/></a:solidFill>' if header else ""
            paragraph += (
                f'<a:r><a:rPr lang="{self.language}" sz="{SMALL_SIZE.centipoints}"{bold}>'
                f"{colour}</a:rPr><a:t>{escape(cell.text)}</a:t></a:r>"
            )
        properties = ' anchor="ctr"' if header else ""
        fill_xml = f'<a:solidFill><a:srgbClr val="{fill}"/></a:solidFill>' if fill else ""
        return (
            f"<a:tc{spans}><a:txBody><a:bodyPr/><a:lstStyle/><a:p>{paragraph}</a:p></a:txBody>"
            f"<a:tcPr{properties}>{fill_xml}</a:tcPr></a:tc>"
        )

    def chart(
        self,
        slide,
        chart_type,
        categories,
        series,
        left,
        top,
        width,
        height,
        *,
        name: str,
        top_level: int,
        legend=XL_LEGEND_POSITION.BOTTOM,
        font_size=SMALL_SIZE,
    ):
        """A native chart of `series` ((name, values) pairs) over `categories`, its value axis
        the levels 0 to `top_level`."""
        data = CategoryChartData()
        data.categories = categories
        for series_name, values in series:
            data.add_series(series_name, values)
        frame = slide.shapes.add_chart(chart_type, left, top, width, height, data)
        frame.name = name
        chart = frame.chart
        chart.font.size = font_size
        chart.font.color.rgb = DARK
        chart.has_legend = True
        chart.legend.position = legend
        chart.legend.include_in_layout = False
        axis = chart.value_axis
        axis.minimum_scale, axis.maximum_scale, axis.major_unit = 0, top_level, 1
        axis.has_major_gridlines = True
        axis.major_gridlines.format.line.color.rgb = GRIDLINE
        axis.tick_labels.number_format, axis.tick_labels.number_format_is_linked = "0", False
        return chart


def fill(shape, colour: RGBColor):
    shape.fill.solid()
    shape.fill.fore_color.rgb = colour
    shape.line.fill.background()
    shape.shadow.inherit = False


def bullet(paragraph):
    """A real bullet with a hanging indent: python-pptx has no API for it, so its XML."""
    properties = paragraph._p.get_or_add_pPr()
    properties.set("marL", str(Emu(Inches(0.25))))
    properties.set("indent", str(-Emu(Inches(0.25))))
    properties.append(properties.makeelement(qn("a:buChar"), {"char": "•"}))


def plot_area_at(chart, *, x: float, y: float, w: float, h: float):
    """Place the plot (the circle of a radar) at fractions of the chart's frame, as
    PowerPoint's "manual layout": left to itself, LibreOffice draws a radar a third of the size
    the frame allows. python-pptx has no API for it, so its XML."""
    layout = chart._chartSpace.xpath("c:chart/c:plotArea/c:layout")[0]
    for child in list(layout):
        layout.remove(child)
    manual = layout.makeelement(qn("c:manualLayout"), {})
    layout.append(manual)
    values = [("layoutTarget", "inner"), ("xMode", "edge"), ("yMode", "edge")]
    values += [("x", x), ("y", y), ("w", w), ("h", h)]
    for tag, value in values:
        manual.append(manual.makeelement(qn(f"c:{tag}"), {"val": str(value)}))
