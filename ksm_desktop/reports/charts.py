"""Charts for donor reports, drawn with reportlab graphics.

Labels are written in the document's language with the shared text machinery (Arabic shaped,
runs in the font that has their glyphs); an Arabic chart is mirrored: labels on the right, bars
growing leftwards, categories read from right to left, the value axis on the right.
Figures are floats here only to be drawn: every printed number comes formatted by the caller.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, Group, Rect, String
from reportlab.lib import colors
from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import stringWidth

from ksm_desktop.reports import fonts
from ksm_desktop.reports.text import fit, line_runs

INK = colors.HexColor("#333333")
AXIS = colors.HexColor("#9aa3ad")
PALETTE = (
    colors.HexColor("#1f4e79"),
    colors.HexColor("#c0504d"),
    colors.HexColor("#9bbb59"),
    colors.HexColor("#f79646"),
    colors.HexColor("#8064a2"),
    colors.HexColor("#4bacc6"),
)
LIGHT = colors.HexColor("#a9c4e0")

Format = Callable[[float], str]


def label(
    x: float,
    y: float,
    text: str,
    size: float = 7.5,
    anchor: str = "start",
    bold: bool = False,
    color: Color = INK,
) -> Group:
    """A line of text at (x, y), anchored start/middle/end, one String per font run."""
    pieces, total = line_runs(text, size, bold)
    start = {"start": x, "end": x - total, "middle": x - total / 2}[anchor]
    group = Group()
    for font, piece in pieces:
        group.add(String(start, y, piece, fontName=font, fontSize=size, fillColor=color))
        start += stringWidth(piece, font, size)
    return group


def legend(
    drawing: Drawing, items: Sequence[tuple[str, Color]], y: float, rtl: bool, size: float = 7.5
) -> None:
    """Swatches and names in one row from the reading side."""
    x = drawing.width if rtl else 0.0
    for name, colour in items:
        text_width = line_runs(name, size)[1]
        if rtl:
            drawing.add(Rect(x - 8, y, 8, 8, fillColor=colour, strokeColor=None))
            drawing.add(label(x - 11, y + 1, name, size, "end"))
            x -= 11 + text_width + 12
        else:
            drawing.add(Rect(x, y, 8, 8, fillColor=colour, strokeColor=None))
            drawing.add(label(x + 11, y + 1, name, size))
            x += 11 + text_width + 12


def hbars(
    rows: Sequence[tuple[str, float, str, Color]], width: float, rtl: bool, label_width: float = 0.32
) -> Drawing:
    """Horizontal bars: (label, value, printed value, colour) a row, labels on the reading side."""
    row_h, bar_h, size = 20.0, 11.0, 8.0
    drawing = Drawing(width, row_h * len(rows) + 4)
    text_w = width * label_width
    value_w = 62.0
    bar_w = width - text_w - value_w
    top = max((v for _l, v, _t, _c in rows), default=0.0) or 1.0
    for i, (name, value, printed, colour) in enumerate(rows):
        y = drawing.height - (i + 1) * row_h + (row_h - bar_h) / 2
        length = bar_w * max(value, 0.0) / top
        name = fit(name, size, text_w - 6)
        if rtl:
            right = width - text_w
            drawing.add(label(width, y + 2, name, size, "end"))
            drawing.add(
                Rect(right - bar_w, y, bar_w, bar_h, fillColor=colors.HexColor("#f1f4f7"), strokeColor=None)
            )
            drawing.add(Rect(right - length, y, length, bar_h, fillColor=colour, strokeColor=None))
            drawing.add(label(right - length - 4, y + 2, printed, size, "end", bold=True))
        else:
            drawing.add(label(0, y + 2, name, size))
            drawing.add(Rect(text_w, y, bar_w, bar_h, fillColor=colors.HexColor("#f1f4f7"), strokeColor=None))
            drawing.add(Rect(text_w, y, length, bar_h, fillColor=colour, strokeColor=None))
            drawing.add(label(text_w + length + 4, y + 2, printed, size, bold=True))
    return drawing


def grouped_bars(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[float], Color]],
    width: float,
    height: float,
    rtl: bool,
    number: Format,
) -> Drawing:
    """Vertical bars, one group per category and one bar per series, with a legend above."""
    drawing = Drawing(width, height)
    legend_h, names_h, axis_w = 14.0, 14.0, 34.0
    chart = VerticalBarChart()
    chart.x = 4 if rtl else axis_w
    chart.y = names_h
    chart.width = width - axis_w - 4
    chart.height = height - names_h - legend_h - 8
    order = list(reversed(range(len(categories)))) if rtl else list(range(len(categories)))
    bars = list(reversed(series)) if rtl else list(series)  # the first series on the reading side
    chart.data = [[float(values[i]) for i in order] for _n, values, _c in bars]
    for k, (_n, _v, colour) in enumerate(bars):
        chart.bars[k].fillColor = colour
        chart.bars[k].strokeColor = None
    chart.categoryAxis.categoryNames = [""] * len(categories)
    chart.categoryAxis.strokeColor = AXIS
    chart.categoryAxis.visibleTicks = False
    chart.valueAxis.valueMin = 0
    chart.valueAxis.strokeColor = AXIS
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#e3e7eb")
    chart.valueAxis.labels.fontName = fonts.LATIN
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = number
    if rtl:
        chart.valueAxis.joinAxisMode = "right"
        # Anchored by their west side, right of the axis: with the default east anchor they were
        # drawn across it.
        chart.valueAxis.labels.boxAnchor = "w"
        chart.valueAxis.labels.textAnchor = "start"
        chart.valueAxis.labels.dx = 4
    top = max((float(v) for _n, values, _c in series for v in values), default=0.0)
    if top <= 0:
        chart.valueAxis.valueMax = 1
        chart.valueAxis.visibleLabels = False
    chart.barLabelFormat = number
    chart.barLabels.fontName = fonts.LATIN
    chart.barLabels.fontSize = 6.5
    chart.barLabels.nudge = 5
    chart.barSpacing = 1
    chart.groupSpacing = 10
    drawing.add(chart)
    step = chart.width / max(len(categories), 1)
    for position, i in enumerate(order):
        x = chart.x + step * (position + 0.5)
        drawing.add(label(x, 3, fit(categories[i], 7.5, step - 4), 7.5, "middle"))
    legend(drawing, [(n, c) for n, _v, c in series], height - legend_h + 2, rtl)
    return drawing


def pie(slices: Sequence[tuple[str, float, Color]], width: float, height: float, rtl: bool) -> Drawing:
    """A pie on one side, its legend (the caller's labels, figures included) on the reading side."""
    drawing = Drawing(width, height)
    chart = Pie()
    size = min(height - 8, width * 0.42)
    chart.width = chart.height = size
    chart.y = (height - size) / 2
    chart.x = 4 if rtl else width - size - 4
    chart.data = [max(float(v), 0.0) for _l, v, _c in slices] or [1.0]
    chart.labels = None
    chart.slices.strokeColor = colors.white
    chart.slices.strokeWidth = 0.8
    chart.direction = "anticlockwise" if rtl else "clockwise"
    for k, (_l, _v, colour) in enumerate(slices):
        chart.slices[k].fillColor = colour
    drawing.add(chart)
    text_w = width - size - 20
    y = height / 2 + len(slices) * 7 - 10
    for name, _v, colour in slices:
        name = fit(name, 7.5, text_w - 14)
        if rtl:
            drawing.add(Rect(width - 8, y, 8, 8, fillColor=colour, strokeColor=None))
            drawing.add(label(width - 12, y + 1, name, 7.5, "end"))
        else:
            drawing.add(Rect(0, y, 8, 8, fillColor=colour, strokeColor=None))
            drawing.add(label(12, y + 1, name, 7.5))
        y -= 14
    return drawing
