"""The dashboard's charts (QtCharts): each built from its figures and told what a click opens.

Axis numbers are grouped as the cards write them (500 000 in French, 500.000 in Arabic).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QHorizontalBarSeries,
    QHorizontalStackedBarSeries,
    QPieSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QLocale, QMargins, Qt
from PySide6.QtGui import QColor, QFont

from ksm_desktop.domain.dashboard import StatusTotal
from ksm_desktop.domain.enums import GrantStatus
from ksm_desktop.i18n import LOCALES, current_language
from ksm_desktop.i18n.formatting import group_symbol

WOMEN, MEN, OTHER = QColor("#c2185b"), QColor("#1565c0"), QColor("#9e9e9e")
PALETTE = ["#00695c", "#f9a825", "#6a1b9a", "#ef6c00", "#2e7d32", "#455a64", "#ad1457", "#0277bd"]
STATUS_COLOURS = {
    GrantStatus.DRAFT: "#9e9e9e",
    GrantStatus.VALIDATED: "#f9a825",
    GrantStatus.DELIVERED: "#2e7d32",
    GrantStatus.CLOSED: "#00695c",
    GrantStatus.CANCELLED: "#c62828",
}
Colour = QColor | str
BAR_KINDS = {  # (horizontal, stacked)
    (False, False): QBarSeries,
    (True, False): QHorizontalBarSeries,
    (False, True): QStackedBarSeries,
    (True, True): QHorizontalStackedBarSeries,
}


def axis_locale() -> QLocale:
    """Qt's locale for the axes' numbers, grouping thousands as the cards do (Babel's CLDR data):
    Qt's own fr_MA groups with '.', where French, and Babel's fr_MA, use a narrow space."""
    lang = current_language()
    group = group_symbol(lang)
    for locale in (QLocale(LOCALES[lang]), QLocale(lang)):
        if locale.groupSeparator() == group:
            return locale
    return QLocale(LOCALES[lang])


def new_chart(title: str) -> QChart:
    """An empty chart in the dashboard's style: bold title, no animation, numbers localised."""
    chart = QChart()
    chart.setTitle(title)
    font = QFont(chart.titleFont())
    font.setBold(True)
    chart.setTitleFont(font)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setLocale(axis_locale())
    chart.setLocalizeNumbers(True)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    return chart


def _value_axis(top: float) -> QValueAxis:
    axis = QValueAxis()
    axis.setRange(0, top * 1.1 or 1)
    axis.setLabelFormat("%.0f")
    axis.applyNiceNumbers()
    return axis


def bar_chart(
    title: str,
    categories: Sequence[str],
    sets: Sequence[tuple[str, Sequence[Decimal | int], Colour]],
    on_click: Callable[[int], object] | None,
    *,
    horizontal: bool = False,
    stacked: bool = False,
) -> QChart:
    """Bars per category, one set per (label, values, colour); `on_click(category index)`."""
    chart = new_chart(title)
    series = BAR_KINDS[horizontal, stacked]()
    top = 0.0
    for label, values, colour in sets:
        bar_set = QBarSet(label)
        bar_set.setColor(QColor(colour))
        for value in values:
            bar_set.append(float(value))
        series.append(bar_set)
        top = max(top, *(float(v) for v in values), 0.0)
    if stacked:
        top = max((sum(float(s[1][i]) for s in sets) for i in range(len(categories))), default=0.0)
    if on_click is not None:
        series.clicked.connect(lambda index, _set: on_click(index))
    chart.addSeries(series)
    axis = QBarCategoryAxis()
    axis.append(list(categories))
    values_axis = _value_axis(top)
    chart.addAxis(axis, Qt.AlignmentFlag.AlignLeft if horizontal else Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(values_axis, Qt.AlignmentFlag.AlignBottom if horizontal else Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(axis)
    series.attachAxis(values_axis)
    chart.legend().setVisible(len(sets) > 1)
    return chart


def status_chart(title: str, statuses: Sequence[StatusTotal], on_click: Callable[[str], object]) -> QChart:
    """One coloured bar per grant status (its EUR total), named in the legend; `on_click(status)`."""
    chart = new_chart(title)
    series = QBarSeries()
    for s in statuses:
        bar_set = QBarSet(GrantStatus(s.status).label)
        bar_set.setColor(QColor(STATUS_COLOURS[GrantStatus(s.status)]))
        bar_set.append(float(s.total_eur))
        series.append(bar_set)
    series.clicked.connect(lambda _index, bar_set: on_click(statuses[series.barSets().index(bar_set)].status))
    chart.addSeries(series)
    axis = _value_axis(max([float(s.total_eur) for s in statuses] + [0.0]))
    chart.addAxis(axis, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(axis)
    return chart


def pie_chart(
    title: str, parts: Sequence[tuple[str, int, Colour]], on_click: Callable[[int], object]
) -> QChart:
    """A ring of (label, value, colour) parts, the legend beside it; `on_click(part index)`."""
    chart = new_chart(title)
    pie = QPieSeries()
    for label, value, colour in parts:
        pie.append(label, value).setColor(QColor(colour))
    pie.clicked.connect(lambda part: on_click(pie.slices().index(part)))
    pie.setHoleSize(0.35)
    chart.addSeries(pie)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
    return chart
