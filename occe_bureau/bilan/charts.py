"""Drawing a chart: one definition (papers.Chart) drawn once, by ReportLab's own graphics, into a
Drawing that the PDF places as it is (vectors) and that the screen shows as SVG (Qt's SVG
renderer): the same bars, colours and labels on the screen and on paper.

Why ReportLab's graphics: ReportLab already makes every printed document, so a chart costs no new
library, goes into the PDF as vectors, and its SVG output serves the screen; matplotlib would add
tens of megabytes and half a second of import, and Qt's charts cannot draw into a ReportLab PDF.
"""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import mm

from occe_bureau.bilan.papers import CHART_WIDTH, Chart, ChartKind, Unit
from occe_bureau.formats import format_int
from occe_bureau.printing import FONT, FONT_BOLD, fit_text, register_fonts, text_width

CURRENT = colors.HexColor("#2f6db5")
PREVIOUS = colors.HexColor("#b8c3cf")
GRID = colors.HexColor("#d9dee4")
WIDTH = CHART_WIDTH
BAR_ROW = 5.2 * mm


def size(chart: Chart, width: float = WIDTH) -> tuple[float, float]:
    """The chart's width and height (points): the same on the screen and in the PDF."""
    if chart.kind is ChartKind.BARS:
        return width, 16 * mm + BAR_ROW * max(2, len(chart.labels))
    return width, 58 * mm


def _scaled(chart: Chart, values) -> list[float]:
    return [v / 100 for v in values] if chart.unit is Unit.CENTS else list(values)


def drawing(chart: Chart, width: float = WIDTH) -> Drawing:
    register_fonts()
    width, height = size(chart, width)
    d = Drawing(width, height)
    d.add(String(0, height - 9, fit_text(chart.title, FONT_BOLD, 8.5, width), fontName=FONT_BOLD,
                 fontSize=8.5))
    if chart.is_empty:
        d.add(String(0, height - 24, "Rien sur la période.", fontName=FONT, fontSize=8,
                     fillColor=colors.HexColor("#666666")))
        return d
    data = [_scaled(chart, chart.values)]
    if chart.previous is not None:
        data.append(_scaled(chart, chart.previous))
    bars = _bars(chart, data, width, height)
    d.add(bars)
    if chart.previous is not None and any(chart.series):
        d.add(_legend(chart, width, height))
    return d


def _bars(chart: Chart, data, width: float, height: float):
    labels = list(chart.labels)
    if chart.kind is ChartKind.BARS:
        bars = HorizontalBarChart()
        room = min(width * 0.42, max(text_width(label, FONT, 6.5) for label in labels) + 4)
        bars.x, bars.y = room, 12
        bars.width, bars.height = width - room - 6, height - 42
        # the first category on top, as a reader expects a list, and in each the period shown
        # above the previous one (a horizontal chart draws its series from the bottom up)
        bars.data = [list(reversed(series)) for series in reversed(data)]
        bars.categoryAxis.categoryNames = [fit_text(label, FONT, 6.5, room - 4) for label in reversed(labels)]
        bars.categoryAxis.labels.boxAnchor = "e"
        bars.categoryAxis.labels.dx = -3
    else:
        bars = VerticalBarChart()
        bars.x, bars.y = 34, 16
        bars.width, bars.height = width - 40, height - 46
        bars.data = data
        bars.categoryAxis.categoryNames = labels
        bars.categoryAxis.labels.boxAnchor = "n"
        bars.categoryAxis.labels.dy = -2
        if len(labels) > 12:
            bars.categoryAxis.labels.angle = 45
            bars.categoryAxis.labels.boxAnchor = "ne"
    bars.categoryAxis.labels.fontName = FONT
    bars.categoryAxis.labels.fontSize = 6.5
    bars.categoryAxis.strokeColor = colors.HexColor("#888888")
    axis = bars.valueAxis
    axis.valueMin = 0
    top = max(max(series) for series in data)
    if top <= 4:
        axis.valueMax, axis.valueStep = 4, 1
    axis.labels.fontName = FONT
    axis.labels.fontSize = 6.5
    axis.labelTextFormat = lambda v: format_int(round(v)) + (" €" if chart.unit is Unit.CENTS else "")
    axis.visibleGrid = True
    axis.gridStrokeColor = GRID
    axis.strokeColor = colors.HexColor("#888888")
    fills = [CURRENT, PREVIOUS][:len(data)]
    if chart.kind is ChartKind.BARS:
        fills.reverse()
    for index, fill in enumerate(fills):
        bars.bars[index].fillColor = fill
    bars.bars.strokeColor = None
    bars.barSpacing = 0.5
    bars.groupSpacing = 3
    return bars


def _legend(chart: Chart, width: float, height: float) -> Legend:
    legend = Legend()
    legend.fontName = FONT
    legend.fontSize = 6.5
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.dx = legend.dy = 6
    legend.deltax = 0
    legend.dxTextSpace = 3
    legend.variColumn = True
    legend.boxAnchor = "nw"
    legend.x, legend.y = 0, height - 14
    legend.strokeColor = None
    legend.colorNamePairs = [(CURRENT, chart.series[0]), (PREVIOUS, chart.series[1])]
    return legend


def svg(chart: Chart, width: float = WIDTH) -> bytes:
    """The chart as SVG, for the screen."""
    from reportlab.graphics import renderSVG

    # useClip: the page clip as an attribute, not a clipPath (which Qt's SVG Tiny renderer draws)
    return renderSVG.drawToString(drawing(chart, width), useClip=True).encode("utf-8")
