"""The dashboard: key figures and charts for donor reports, filtered by programme and period.

Figures come from DashboardService (SQL aggregates) computed off the GUI thread. Clicking a card
or a bar asks the main window to open the matching list: `open_list(kind, filters)`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from PySide6.QtCharts import QChart, QChartView
from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QFont, QMouseEvent, QPainter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ksm_desktop.domain.dashboard import Dashboard, DashboardFilter, GroupTotal, ProgrammeChoice
from ksm_desktop.domain.enums import OrgKind, Sex
from ksm_desktop.domain.errors import KsmError
from ksm_desktop.i18n import _, ngettext
from ksm_desktop.i18n.formatting import format_decimal, format_money
from ksm_desktop.ui import dashboard_charts as charts
from ksm_desktop.ui.workers import run_in_background


def kind_count(kind: OrgKind, n: int) -> str:
    """'24 associations / OSC', '1 coopérative', '5 تعاونيات': the number agrees with the noun."""
    count = format_decimal(n)
    forms = {
        OrgKind.COOPERATIVE: ngettext("{count} cooperative", "{count} cooperatives", n),
        OrgKind.ASSOCIATION: ngettext("{count} association / CSO", "{count} associations / CSOs", n),
        OrgKind.GROUPEMENT: ngettext("{count} producer group", "{count} producer groups", n),
        OrgKind.AGR: ngettext("{count} individual IGA", "{count} individual IGAs", n),
        OrgKind.PARTNER: ngettext("{count} partner", "{count} partners", n),
        OrgKind.DONOR: ngettext("{count} donor", "{count} donors", n),
    }
    return forms[kind].format(count=count)


def women_and_men(women: int, men: int) -> str:
    """'57 femmes · 1 homme', each number agreeing with its noun."""
    return " · ".join(
        (
            ngettext("{n} woman", "{n} women", women).format(n=format_decimal(women)),
            ngettext("{n} man", "{n} men", men).format(n=format_decimal(men)),
        )
    )


class Card(QFrame):
    """A key figure: big number, title, detail line; clickable."""

    clicked = Signal()

    def __init__(self, title: str) -> None:
        super().__init__()
        self.setObjectName("card")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setStyleSheet(
            "#card { background: white; border: 1px solid #dfe3e8; border-radius: 8px; }"
            "#card:hover { border-color: #00695c; }"
        )
        self.title = QLabel(title)
        self.title.setStyleSheet("color: #5f6b7a;")
        self.value = QLabel("–")
        font = QFont(self.value.font())
        font.setPointSizeF(font.pointSizeF() * 1.9)
        font.setBold(True)
        self.value.setFont(font)
        self.detail = QLabel()
        self.detail.setStyleSheet("color: #5f6b7a;")
        self.detail.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        for widget in (self.title, self.value, self.detail):
            layout.addWidget(widget)

    def set(self, value: str, detail: str) -> None:
        self.value.setText(value)
        self.detail.setText(detail)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)


class DashboardSource(Protocol):
    """Where the figures come from: the services' DashboardService, or at start the first
    figures read before the services are ready (db/first_figures.py)."""

    def programme_choices(self) -> tuple[ProgrammeChoice, ...]: ...

    def figures(self, flt: DashboardFilter = ...) -> Dashboard: ...


class DashboardPage(QWidget):
    """Key figures and charts; `open_list(kind, filters)` asks for a filtered list
    (kind: "organisations" | "members" | "programmes" | "grants"; filters for ListQuery).

    Built on the first figures (`filters=False`), it shows them with the filters disabled until
    `attach` gives it the services' figures."""

    open_list = Signal(str, dict)
    refreshed = Signal()

    def __init__(
        self, source: DashboardSource, parent: QWidget | None = None, *, filters: bool = True
    ) -> None:
        super().__init__(parent)
        self.source = source
        self.attached = filters  # False while it shows the first figures, before the services
        self.data: Dashboard | None = None
        self.busy = False
        self._generation = 0
        self._programme_ids: list[int] = []

        self.programme = QComboBox()
        self.programme.setMinimumWidth(260)
        self.period = QCheckBox(_("Granted between"))
        self.date_from = QDateEdit(QDate(QDate.currentDate().year(), 1, 1))
        self.date_to = QDateEdit(QDate.currentDate())
        self.and_label = QLabel(_("and"))
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
            edit.setEnabled(False)
            edit.dateChanged.connect(self.refresh)
        self.period.toggled.connect(self._period_toggled)
        self.programme.currentIndexChanged.connect(self.refresh)
        self.message = QLabel()
        self.message.setStyleSheet("color: #c62828;")
        bar = QHBoxLayout()
        bar.addWidget(QLabel(_("Programme")))
        bar.addWidget(self.programme)
        bar.addSpacing(16)
        for widget in (self.period, self.date_from, self.and_label, self.date_to):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.message)
        self.filters: tuple[QWidget, ...] = (self.programme, self.period)
        for filter_widget in self.filters:
            filter_widget.setEnabled(filters)

        self.cards = {
            "organisations": Card(_("Organisations")),
            "members": Card(_("Members")),
            "beneficiaries": Card(_("Direct beneficiaries")),
            "grants": Card(_("Grants")),
        }
        cards = QHBoxLayout()
        for key, card in self.cards.items():
            cards.addWidget(card)
            target = "grants" if key == "beneficiaries" else key
            card.clicked.connect(lambda target=target: self._open(target))

        self.views = [QChartView() for _n in range(8)]
        grid = QGridLayout()
        for i, view in enumerate(self.views):
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumHeight(260)
            grid.addWidget(view, i // 2, i % 2)
        content = QWidget()
        body = QVBoxLayout(content)
        body.addLayout(cards)
        body.addLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(scroll, 1)
        self.load_programmes()

    def attach(self, source: DashboardSource) -> None:
        """The services are ready: their figures from now on, read again, and the filters."""
        self.source = source
        self.attached = True
        for filter_widget in self.filters:
            filter_widget.setEnabled(True)
        self.load_programmes()

    # --- filters -------------------------------------------------------------------------------

    def load_programmes(self) -> None:
        """Fill the programme filter (call again after programmes change)."""
        choices = self.source.programme_choices()
        self.programme.blockSignals(True)
        self.programme.clear()
        self.programme.addItem(_("All programmes"), None)
        for choice in choices:
            self.programme.addItem(f"{choice.code} – {choice.name}", choice.id)
        self.programme.blockSignals(False)
        self.refresh()

    def _period_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self.refresh()

    def current_filter(self) -> DashboardFilter:
        programme = self.programme.currentData()
        if not self.period.isChecked():
            return DashboardFilter(programme_id=programme)
        return DashboardFilter(
            programme_id=programme,
            date_from=self.date_from.date().toPython(),  # type: ignore[arg-type]
            date_to=self.date_to.date().toPython(),  # type: ignore[arg-type]
        )

    def _list_filters(self, **extra: object) -> dict[str, object]:
        filters: dict[str, object] = {}
        if self.programme.currentData() is not None:
            filters["programme_id"] = self.programme.currentData()
        return filters | extra

    def _open(self, target: str) -> None:
        """A card clicked: its list, with the dashboard's filters that list understands."""
        if target == "grants":
            self.open_list.emit(target, self._grant_filters())
        elif target == "members":  # the people page, on the members the card counts
            self.open_list.emit(target, self._list_filters(member=True))
        else:
            self.open_list.emit(target, self._list_filters())

    def _grant_filters(self, **extra: object) -> dict[str, object]:
        """The grants a figure sums: those of the chosen programme and period, cancelled ones left
        out (unless the bar clicked is the cancelled ones)."""
        flt = self.current_filter()
        filters: dict[str, object] = {} if "status" in extra else {"live": True}
        if flt.date_from is not None:
            filters["date_from"] = flt.date_from
        if flt.date_to is not None:
            filters["date_to"] = flt.date_to
        return self._list_filters(**filters) | extra

    # --- computing -----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Recompute the figures off the GUI thread; a newer request supersedes an older one."""
        self._generation += 1
        generation = self._generation
        flt = self.current_filter()
        self.busy = True

        def done(data: Dashboard) -> None:
            if generation == self._generation:
                self.busy = False
                self.message.clear()
                self.show_figures(data)
                self.refreshed.emit()

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self.busy = False
                self.message.setText(exc.message if isinstance(exc, KsmError) else str(exc))

        if not self.attached:  # the first figures, already read: shown at once
            return done(self.source.figures(flt))
        source = self.source
        run_in_background(lambda: source.figures(flt), done, failed, owner=self)

    def show_figures(self, d: Dashboard) -> None:
        self.data = d
        count = format_decimal
        self.cards["organisations"].set(
            count(d.organisations),
            ", ".join(kind_count(OrgKind(k.kind), k.count) for k in d.organisations_by_kind[:3]),
        )
        self.cards["members"].set(
            count(d.members.total),
            women_and_men(d.members.women, d.members.men),
        )
        b = d.beneficiaries
        detail = women_and_men(b.women, b.men)
        if b.unspecified:
            detail += " · " + ngettext(
                "{n} person not split by sex", "{n} people not split by sex", b.unspecified
            ).format(n=count(b.unspecified))
        self.cards["beneficiaries"].set(count(b.total), detail)
        self.cards["grants"].set(
            format_money(d.granted("EUR"), "EUR"),
            ngettext("{n} grant · {mad}", "{n} grants · {mad}", d.grant_count).format(
                n=count(d.grant_count), mad=format_money(d.granted("MAD"), "MAD")
            ),
        )
        self._charts(d)

    def _charts(self, d: Dashboard) -> None:
        """The eight charts; a click on a bar or a slice opens the list of what it counts."""
        grants = self._open_grants
        self._set(0, charts.status_chart(_("Grants by status (EUR)"), d.grants_by_status, grants("status")))
        spent = [p for p in d.programmes if p.budget or p.granted]
        self._set(
            1,
            charts.bar_chart(
                _("Budget and granted per programme"),
                [p.code for p in spent],
                [
                    (_("Budget"), [p.budget or 0 for p in spent], "#b0bec5"),
                    (_("Granted"), [p.granted for p in spent], "#00695c"),
                ],
                lambda i: grants("programme_id")(spent[i].programme_id),
            ),
        )
        reached = [p for p in d.programmes if p.beneficiaries.total]
        self._set(
            2,
            charts.bar_chart(
                _("Direct beneficiaries per programme"),
                [p.code for p in reached],
                [
                    (Sex.FEMALE.label, [p.beneficiaries.women for p in reached], charts.WOMEN),
                    (Sex.MALE.label, [p.beneficiaries.men for p in reached], charts.MEN),
                    (_("Not split by sex"), [p.beneficiaries.unspecified for p in reached], charts.OTHER),
                ],
                lambda i: grants("programme_id")(reached[i].programme_id),
                stacked=True,
            ),
        )
        kinds = d.organisations_by_kind
        self._set(
            3,
            charts.pie_chart(
                _("Organisations by kind"),
                [
                    (f"{OrgKind(k.kind).label} ({k.count})", k.count, charts.PALETTE[i % len(charts.PALETTE)])
                    for i, k in enumerate(kinds)
                ],
                lambda i: self.open_list.emit("organisations", self._list_filters(kind=kinds[i].kind)),
            ),
        )
        sexes = ((Sex.FEMALE, d.members.women, charts.WOMEN), (Sex.MALE, d.members.men, charts.MEN))
        self._set(
            4,
            charts.pie_chart(
                _("Members by sex"),
                [(f"{sex.label} ({value})", value, colour) for sex, value, colour in sexes],
                lambda i: self.open_list.emit("members", {"member": True, "sex": sexes[i][0].value}),
            ),
        )
        groups = (
            (_("Grants by year (EUR)"), d.by_year, _("no date"), "year"),
            (_("Grants by sector (EUR)"), d.by_sector, _("not specified"), "sector"),
            (_("Grants by province (EUR)"), d.by_province, _("not specified"), "province_id"),
        )
        for index, (title, totals, unnamed, key) in enumerate(groups, start=5):
            self._set(index, self._groups_chart(title, totals, unnamed, key))

    def _groups_chart(self, title: str, totals: Sequence[GroupTotal], unnamed: str, key: str) -> QChart:
        """EUR granted per year, sector or province: a bar opens those grants (none for the
        grants without one)."""

        def value(total: GroupTotal) -> object:
            if key == "year":
                return int(total.key) if total.key else None
            return total.id if key == "province_id" else total.key

        def click(i: int) -> None:
            if value(totals[i]) is not None:
                self._open_grants(key)(value(totals[i]))

        return charts.bar_chart(
            title,
            [t.key or unnamed for t in totals],
            [(_("EUR"), [t.total_eur for t in totals], "#00695c")],
            click,
            horizontal=key != "year",
        )

    def _open_grants(self, key: str) -> Callable[[object], None]:
        """What a click on a grant chart does: the grants list, filtered by `key`=the value clicked."""
        return lambda value: self.open_list.emit("grants", self._grant_filters(**{key: value}))

    def _set(self, index: int, chart: QChart) -> None:
        self.views[index].setChart(chart)
