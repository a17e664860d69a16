"""The same grant for many households (AQUA-NOOR: a solar kit for each of 175 families), each
with its own number and installation date; and the households equipped per year and quarter."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QValueAxis
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ksm_desktop.domain.errors import KsmError
from ksm_desktop.domain.typed import parse_amount
from ksm_desktop.i18n import _, ngettext
from ksm_desktop.i18n.formatting import format_decimal
from ksm_desktop.services import ListQuery, Services
from ksm_desktop.services.dto import GrantInput
from ksm_desktop.services.dto_fieldwork import HouseholdAllocation
from ksm_desktop.ui.fieldwork.household_dialog import programme_choices
from ksm_desktop.ui.fieldwork.pages import _tribes
from ksm_desktop.ui.forms.base import FormDialog
from ksm_desktop.ui.forms.fields import AmountEdit, ChoiceCombo, OptionalDateEdit
from ksm_desktop.ui.forms.grant_items import ItemsTable
from ksm_desktop.ui.qt_checked import cell, record_id


class BulkGrantDialog(FormDialog):
    def __init__(self, services: Services, programme_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(services, None, parent)
        self.setWindowTitle(_("Same grant for many households"))
        self.setMinimumSize(820, 720)
        self.numbers: list[str] = []
        form = QFormLayout()
        self.content.addLayout(form)
        self.programme = self.add_row(
            form,
            _("Programme"),
            ChoiceCombo(programme_choices(services), empty=""),
            "programme",
            required=True,
        )
        self.tribe = ChoiceCombo(_tribes(services), empty=_("All tribes and douars"))
        form.addRow(_("Tribe / douar"), self.tribe)
        self.purpose = self.add_row(form, _("Purpose"), QLineEdit(), "purpose", required=True)
        self.grant_date = self.add_row(form, _("Grant date"), OptionalDateEdit(), "grant_date")
        self.grant_date.set_value(dt.date.today())
        money = QWidget()
        money_row = QHBoxLayout(money)
        money_row.setContentsMargins(0, 0, 0, 0)
        self.currency = ChoiceCombo([("EUR", "EUR"), ("MAD", "MAD")])
        self.rate = AmountEdit("eur_mad_rate")
        self.rate.set_value(Decimal("10.8000"), places=4)
        money_row.addWidget(self.currency)
        money_row.addWidget(QLabel(_("EUR → MAD rate")))
        money_row.addWidget(self.rate, 1)
        self.add_row(form, _("Currency"), money, "eur_mad_rate")
        self.watch(self.currency, self.rate)
        self.items = ItemsTable(serials=False)  # one grant for many households: no serial numbers
        self.items.table.setMinimumHeight(90)
        self.add_row(form, _("Items (per household)"), self.items, "items")
        self.households = QTableWidget(0, 3)
        self.households.setHorizontalHeaderLabels([_("Household"), _("Tribe / douar"), _("Installed on")])
        self.households.horizontalHeader().setStretchLastSection(True)
        self.households.verticalHeader().setVisible(False)
        self.households.itemChanged.connect(lambda _item: self._changed())
        self.add_row(form, _("Households"), self.households, "households")
        dates = QHBoxLayout()
        self.all_date = OptionalDateEdit()
        apply = QPushButton(_("Same installation date for the checked households"))
        apply.clicked.connect(self.apply_date_to_checked)
        for text, state in ((_("Check all"), True), (_("Check none"), False)):
            button = QPushButton(text)
            button.clicked.connect(lambda _c=False, s=state: self.check_all(s))
            dates.addWidget(button)
        dates.addStretch(1)
        dates.addWidget(self.all_date)
        dates.addWidget(apply)
        form.addRow("", self._wrap(dates))
        self.summary = QLabel()
        form.addRow("", self.summary)
        if programme_id is not None:
            self.programme.set_value(programme_id)
        self.programme.currentIndexChanged.connect(lambda _i: self.load_households())
        self.tribe.currentIndexChanged.connect(lambda _i: self.load_households())
        self.load_households()
        self.save_button.setText(_("Create the grants"))
        self.refresh()

    @staticmethod
    def _wrap(layout: QHBoxLayout) -> QWidget:
        holder = QWidget()
        layout.setContentsMargins(0, 0, 0, 0)
        holder.setLayout(layout)
        return holder

    def load_households(self) -> None:
        filters = {
            k: v
            for k, v in (("programme_id", self.programme.value()), ("location_id", self.tribe.value()))
            if v
        }
        rows = self.services.households.search(ListQuery(filters=filters, limit=None)).rows if filters else []
        self.households.blockSignals(True)
        self.households.setRowCount(len(rows))
        for n, row in enumerate(rows):
            item = QTableWidgetItem(f"{row.code} — {row.head_name}")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked if row.equipment else Qt.CheckState.Checked)
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            self.households.setItem(n, 0, item)
            place = QTableWidgetItem(row.location_name)
            place.setFlags(place.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.households.setItem(n, 1, place)
            self.households.setCellWidget(n, 2, OptionalDateEdit())
        self.households.blockSignals(False)
        self.households.resizeColumnsToContents()
        self._changed()

    def check_all(self, checked: bool) -> None:
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        for row in range(self.households.rowCount()):
            cell(self.households, row, 0).setCheckState(state)

    def apply_date_to_checked(self) -> None:
        for row in self._checked_rows():
            self._date_of(row).set_value(self.all_date.value())

    def _date_of(self, row: int) -> OptionalDateEdit:
        widget = self.households.cellWidget(row, 2)
        assert isinstance(widget, OptionalDateEdit)  # every row gets one when the table is filled
        return widget

    def _checked_rows(self) -> list[int]:
        return [
            r
            for r in range(self.households.rowCount())
            if cell(self.households, r, 0).checkState() == Qt.CheckState.Checked
        ]

    def allocations(self) -> list[HouseholdAllocation]:
        return [
            HouseholdAllocation(
                record_id(cell(self.households, r, 0).data(Qt.ItemDataRole.UserRole)),
                self._date_of(r).value(),
            )
            for r in self._checked_rows()
        ]

    def refresh(self) -> None:
        super().refresh()
        if hasattr(self, "summary"):
            n = len(self._checked_rows())
            self.summary.setText(
                ngettext("{count} household checked", "{count} households checked", n).format(
                    count=format_decimal(n)
                )
            )

    def error_label_for(self, field: str | None) -> QLabel | None:
        if field == "installed_on":
            field = "households"
        elif field and field.startswith("items."):
            self.items.mark(field)
            field = "items"
        return super().error_label_for(field)

    def do_save(self) -> int:
        data = GrantInput(
            purpose=self.purpose.text(),
            programme_id=self.programme.value(),  # type: ignore[arg-type]
            currency=str(self.currency.value()),
            eur_mad_rate=parse_amount(self.rate.text(), field="eur_mad_rate"),
            grant_date=self.grant_date.value(),
            items=self.items.items(),
        )
        self.numbers = self.services.households.grant_to_households(data, self.allocations())
        return len(self.numbers)

    def after_save(self) -> None:
        QMessageBox.information(
            self,
            self.windowTitle(),
            ngettext(
                "{count} grant created: {first} … {last}",
                "{count} grants created: {first} … {last}",
                len(self.numbers),
            ).format(count=format_decimal(len(self.numbers)), first=self.numbers[0], last=self.numbers[-1]),
        )
        self.dirty = False
        self.accept()


class ProgressDialog(QDialog):
    """Households of a programme equipped per quarter: a table and a bar chart."""

    def __init__(self, services: Services, programme_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle(_("Equipment progress"))
        self.resize(720, 520)
        box = QVBoxLayout(self)
        self.programme = ChoiceCombo(programme_choices(services))
        box.addWidget(self.programme)
        self.summary = QLabel()
        box.addWidget(self.summary)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([_("Year"), _("Quarter"), _("Households equipped")])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMaximumHeight(160)
        box.addWidget(self.table)
        self.chart = QChart()
        self.chart.legend().setVisible(False)
        view = QChartView(self.chart)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumHeight(240)
        box.addWidget(view, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)
        self.programme.currentIndexChanged.connect(lambda _i: self.load())
        if programme_id is not None:
            self.programme.set_value(programme_id)
        else:  # the programme with households first (AQUA-NOOR in the demo)
            for n in range(self.programme.count()):
                if services.households.search(
                    ListQuery(filters={"programme_id": self.programme.itemData(n)}, limit=1)
                ).total:
                    self.programme.setCurrentIndex(n)
                    break
        self.load()

    def load(self) -> None:
        programme_id = self.programme.value()
        if programme_id is None:
            return
        try:
            progress = self.services.households.equipment_progress(record_id(programme_id))
        except KsmError as exc:
            self.summary.setText(exc.message)
            return
        self.summary.setText(
            ngettext(
                "{equipped} of {households} household equipped",
                "{equipped} of {households} households equipped",
                progress.households,
            ).format(
                equipped=format_decimal(progress.equipped), households=format_decimal(progress.households)
            )
        )
        self.table.setRowCount(len(progress.periods))
        for n, p in enumerate(progress.periods):
            for col, text in enumerate(
                (str(p.year), _("Q{n}").format(n=p.quarter), format_decimal(p.households))
            ):
                self.table.setItem(n, col, QTableWidgetItem(text))
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        bars = QBarSet(_("Households equipped"))
        labels = []
        for p in progress.periods:
            bars.append(p.households)
            labels.append(_("Q{n} {year}").format(n=p.quarter, year=p.year))
        series = QBarSeries()
        series.append(bars)
        series.setLabelsVisible(True)
        self.chart.addSeries(series)
        x_axis = QBarCategoryAxis()
        x_axis.append(labels)
        y_axis = QValueAxis()
        y_axis.setLabelFormat("%d")
        y_axis.setRange(0, max([p.households for p in progress.periods] + [1]) * 1.15)
        self.chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)
