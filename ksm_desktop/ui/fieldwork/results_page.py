"""The results framework of a programme: expected results (R1…R6), their indicators with
baseline and targets, the measurements recorded, and a bar of achieved against target."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ksm_desktop.domain.errors import KsmError
from ksm_desktop.i18n import _, ngettext
from ksm_desktop.i18n.formatting import format_date, format_decimal, format_percent
from ksm_desktop.services import Services
from ksm_desktop.services.dto_fieldwork import IndicatorDTO, IndicatorInput, MeasurementDTO, MeasurementInput
from ksm_desktop.ui.fieldwork.household_dialog import programme_choices
from ksm_desktop.ui.forms import _run
from ksm_desktop.ui.forms.base import FormDialog, error_label
from ksm_desktop.ui.forms.fields import AmountEdit, ChoiceCombo, OptionalDateEdit
from ksm_desktop.ui.forms.organisation_dialog import fill_table, read_table, selected_id
from ksm_desktop.ui.qt_checked import cell, record_id

ROLE = Qt.ItemDataRole.UserRole


def _figure(value: Decimal | None) -> str:
    return "" if value is None else format_decimal(value.normalize())


class ResultDialog(FormDialog):
    """A new expected result (code and statement) of a programme."""

    def __init__(self, services: Services, programme_id: int, parent: QWidget | None = None) -> None:
        super().__init__(services, None, parent)
        self.programme_id = programme_id
        self.setWindowTitle(_("New expected result"))
        form = QFormLayout()
        self.content.addLayout(form)
        self.code = self.add_row(form, _("Code"), QLineEdit(), "code", required=True)
        self.code.setPlaceholderText("R1")
        self.statement = self.add_row(form, _("Expected result"), QLineEdit(), "statement", required=True)
        self.refresh()

    def do_save(self) -> int:
        return self.services.results.add_result(self.programme_id, self.code.text(), self.statement.text()).id

    def after_save(self) -> None:
        self.accept()


class IndicatorDialog(FormDialog):
    """An indicator of a result: unit, baseline, target and, when counted by sex, the split."""

    def __init__(
        self,
        services: Services,
        result_id: int,
        indicator: IndicatorDTO | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(services, indicator.id if indicator else None, parent)
        self.result_id = result_id
        self.setWindowTitle(_("Indicator"))
        form = QFormLayout()
        self.content.addLayout(form)
        self.code = self.add_row(form, _("Code"), QLineEdit(), "code", required=True)
        self.name = self.add_row(form, _("Indicator"), QLineEdit(), "name", required=True)
        self.unit = self.add_row(form, _("Unit"), QLineEdit(), "unit", required=True)
        self.baseline = self.add_row(form, _("Baseline"), AmountEdit("baseline"), "baseline")
        self.target = self.add_row(form, _("Target"), AmountEdit("target"), "target", required=True)
        self.target_women = self.add_row(form, _("Target, women"), AmountEdit("target_women"), "target_women")
        self.target_men = self.add_row(form, _("Target, men"), AmountEdit("target_men"), "target_men")
        if indicator is not None:
            self.code.setText(indicator.code)
            self.name.setText(indicator.name)
            self.unit.setText(indicator.unit)
            for edit, value in (
                (self.baseline, indicator.baseline),
                (self.target, indicator.target),
                (self.target_women, indicator.target_women),
                (self.target_men, indicator.target_men),
            ):
                edit.setText(_figure(value))
            self.dirty = False
        self.refresh()

    def do_save(self) -> int:
        data = IndicatorInput(
            code=self.code.text(),
            name=self.name.text(),
            unit=self.unit.text(),
            target=self.target.value() or Decimal(0),
            baseline=self.baseline.value() or Decimal(0),
            target_women=self.target_women.value(),
            target_men=self.target_men.value(),
        )
        if self.entity_id is None:
            return self.services.results.add_indicator(self.result_id, data).id
        return self.services.results.update_indicator(self.entity_id, data).id

    def after_save(self) -> None:
        self.accept()


class MeasurementDialog(FormDialog):
    """The value of an indicator on a date (with women and men when it is counted by sex); with a
    `measurement`, its correction."""

    def __init__(
        self,
        services: Services,
        indicator: IndicatorDTO,
        parent: QWidget | None = None,
        measurement: MeasurementDTO | None = None,
    ) -> None:
        super().__init__(services, None if measurement is None else measurement.id, parent)
        self.indicator = indicator
        self.measurement = measurement
        self.setWindowTitle(_("Measurement — {code} {name}").format(code=indicator.code, name=indicator.name))
        form = QFormLayout()
        self.content.addLayout(form)
        self.measured_on = self.add_row(form, _("Date"), OptionalDateEdit(), "measured_on", required=True)
        self.measured_on.set_value(dt.date.today())
        self.value = self.add_row(
            form, _("Value ({unit})").format(unit=indicator.unit), AmountEdit("value"), "value", required=True
        )
        self.women = self.add_row(form, _("Women"), AmountEdit("women"), "women")
        self.men = self.add_row(form, _("Men"), AmountEdit("men"), "men")
        by_sex = indicator.target_women is not None
        self.women.setEnabled(by_sex)
        self.men.setEnabled(by_sex)
        self.note = self.add_row(form, _("Note"), QLineEdit(), "note")
        if measurement is not None:
            self.setWindowTitle(
                _("Correct the measurement — {code} {name}").format(code=indicator.code, name=indicator.name)
            )
            self.measured_on.set_value(measurement.measured_on)
            for edit, value in (
                (self.value, measurement.value),
                (self.women, measurement.women),
                (self.men, measurement.men),
            ):
                edit.setText(_figure(value))
            self.note.setText(measurement.note or "")
            self.dirty = False
        self.refresh()

    def do_save(self) -> int:
        data = MeasurementInput(
            measured_on=self.measured_on.value(),  # type: ignore[arg-type]
            value=self.value.value(),  # type: ignore[arg-type]
            women=self.women.value(),
            men=self.men.value(),
            note=self.note.text(),
        )
        if self.measurement is not None:
            return self.services.results.update_measurement(self.measurement.id, data).id
        return self.services.results.record(self.indicator.id, data).id

    def after_save(self) -> None:
        self.accept()


class ResultsPage(QWidget):
    """One programme's results framework at a time."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setObjectName("resultsPage")
        self._started = False
        self.indicators: dict[int, IndicatorDTO] = {}
        self.programme = ChoiceCombo([])
        self.programme.setMinimumWidth(320)
        self.programme.currentIndexChanged.connect(lambda _i: self.refresh())
        self.tree = QTreeWidget()
        self.tree.setObjectName("resultsTree")
        self.tree.setHeaderLabels(
            [
                _("Code"),
                _("Result / indicator"),
                _("Unit"),
                _("Baseline"),
                _("Target"),
                _("Women / men target"),
                _("Achieved"),
                _("Progress"),
            ]
        )
        self.tree.setAlternatingRowColors(True)
        self.tree.currentItemChanged.connect(lambda *_a: self._show_measurements())
        self.tree.itemDoubleClicked.connect(lambda *_a: self.edit_indicator())
        self.measurements = read_table([_("Date"), _("Value"), _("Women"), _("Men"), _("Note")], wide=4)
        self.measurements.itemSelectionChanged.connect(self._update_buttons)
        self.measurements_label = QLabel(_("Measurements"))
        self.error = error_label()
        bar = QHBoxLayout()
        bar.addWidget(QLabel(_("Programme")))
        bar.addWidget(self.programme)
        bar.addStretch(1)
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot in (
            ("result", _("New result…"), self.add_result),
            ("indicator", _("New indicator…"), self.add_indicator),
            ("measure", _("Record a measurement…"), self.record),
            ("delete", _("Delete…"), self.delete_selected),
        ):
            self.buttons[key] = QPushButton(text)
            self.buttons[key].clicked.connect(slot)
            bar.addWidget(self.buttons[key])
        lower = QWidget()
        lower_box = QVBoxLayout(lower)
        lower_box.setContentsMargins(0, 0, 0, 0)
        measures_bar = QHBoxLayout()
        measures_bar.addWidget(self.measurements_label)
        measures_bar.addStretch(1)
        for key, text, slot in (
            ("remeasure", _("Correct the measurement…"), self.edit_measurement),
            ("unmeasure", _("Delete the measurement…"), self.delete_measurement),
        ):
            self.buttons[key] = QPushButton(text)
            self.buttons[key].clicked.connect(slot)
            measures_bar.addWidget(self.buttons[key])
        self.measurements.itemDoubleClicked.connect(lambda _item: self.edit_measurement())
        lower_box.addLayout(measures_bar)
        lower_box.addWidget(self.measurements)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.tree)
        split.addWidget(lower)
        split.setSizes([480, 180])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addLayout(bar)
        layout.addWidget(self.error)
        layout.addWidget(split, 1)

    def start(self) -> None:
        if self._started:
            return
        self._started = True
        self.programme.blockSignals(True)
        chosen = None
        for label, value in programme_choices(self.services):
            self.programme.addItem(label, value)
            if chosen is None and self.services.results.results_of(record_id(value)):
                chosen = value
        self.programme.set_value(chosen)
        self.programme.blockSignals(False)
        self.refresh()

    def programme_id(self) -> int | None:
        value = self.programme.value()
        return None if value is None else record_id(value)

    def refresh(self) -> None:
        self.tree.clear()
        self.indicators.clear()
        programme_id = self.programme_id()
        if programme_id is None:
            return
        progress = {
            (p.result_code, p.indicator_code): p for p in self.services.results.progress(programme_id)
        }
        for result in self.services.results.results_of(programme_id):
            top = QTreeWidgetItem(self.tree, [f"{result.code}   {result.statement}"])
            top.setData(0, ROLE, ("result", result.id))
            top.setFirstColumnSpanned(True)
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            for i in result.indicators:
                self.indicators[i.id] = i
                p = progress[(result.code, i.code)]
                split = (
                    "" if i.target_women is None else f"{_figure(i.target_women)} / {_figure(i.target_men)}"
                )
                item = QTreeWidgetItem(
                    top,
                    [
                        i.code,
                        i.name,
                        i.unit,
                        _figure(i.baseline),
                        _figure(i.target),
                        split,
                        _figure(p.achieved),
                        "",
                    ],
                )
                item.setData(0, ROLE, ("indicator", i.id))
                for col in (3, 4, 5, 6):
                    item.setTextAlignment(col, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                bar = QProgressBar()
                bar.setRange(0, 100)
                bar.setValue(min(int((p.progress or 0) * 100), 100))
                bar.setFormat(format_percent(p.progress) if p.progress is not None else _("not measured"))
                bar.setMaximumHeight(18)
                self.tree.setItemWidget(item, 7, bar)
        self.tree.expandAll()
        for col in range(1, 7):
            self.tree.resizeColumnToContents(col)
        self.tree.setColumnWidth(0, 96)
        self.tree.setColumnWidth(1, min(self.tree.columnWidth(1), 420))
        self._show_measurements()

    def _current(self) -> tuple[str, int] | None:
        item = self.tree.currentItem()
        return item.data(0, ROLE) if item is not None else None

    def current_indicator(self) -> IndicatorDTO | None:
        current = self._current()
        return self.indicators.get(current[1]) if current and current[0] == "indicator" else None

    def _current_result_id(self) -> int | None:
        item = self.tree.currentItem()
        while item is not None and item.parent() is not None:
            item = item.parent()
        return item.data(0, ROLE)[1] if item is not None else None

    def _show_measurements(self) -> None:
        indicator = self.current_indicator()
        rows = indicator.measurements if indicator else ()
        fill_table(
            self.measurements,
            [
                (format_date(m.measured_on), _figure(m.value), _figure(m.women), _figure(m.men), m.note or "")
                for m in rows
            ],
            [m.id for m in rows],
        )
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.buttons["measure"].setEnabled(self.current_indicator() is not None)
        self.buttons["indicator"].setEnabled(self._current_result_id() is not None)
        self.buttons["delete"].setEnabled(self._current() is not None)
        for key in ("remeasure", "unmeasure"):
            self.buttons[key].setEnabled(bool(self.measurements.selectedItems()))

    def _open(self, dialog: FormDialog) -> None:
        if _run(dialog)[0]:
            self.refresh()

    def add_result(self) -> None:
        if self.programme_id() is not None:
            self._open(ResultDialog(self.services, self.programme_id(), self))  # type: ignore[arg-type]

    def add_indicator(self) -> None:
        result_id = self._current_result_id()
        if result_id is not None:
            self._open(IndicatorDialog(self.services, result_id, None, self))

    def edit_indicator(self) -> None:
        indicator = self.current_indicator()
        if indicator is not None:
            self._open(IndicatorDialog(self.services, indicator.result_id, indicator, self))

    def record(self) -> None:
        indicator = self.current_indicator()
        if indicator is not None:
            self._open(MeasurementDialog(self.services, indicator, self))

    def delete_selected(self) -> None:
        """The selected result (with its indicators) or indicator (with its measurements), once
        the user has confirmed what goes with it."""
        current = self._current()
        if current is None:
            return
        kind, entity_id = current
        if kind == "indicator":
            indicator = self.indicators[entity_id]
            question = ngettext(
                "Delete the indicator {code} and its {count} measurement?",
                "Delete the indicator {code} and its {count} measurements?",
                len(indicator.measurements),
            ).format(code=indicator.code, count=len(indicator.measurements))
            action = partial(self.services.results.delete_indicator, entity_id)
        else:
            item = self.tree.currentItem()
            if item is None:
                return
            count = item.childCount()
            question = ngettext(
                "Delete the expected result {code} with its {count} indicator and their measurements?",
                "Delete the expected result {code} with its {count} indicators and their measurements?",
                count,
            ).format(code=item.text(0).split()[0], count=count)
            action = partial(self.services.results.delete_result, entity_id)
        if QMessageBox.question(self, _("Delete"), question) == QMessageBox.StandardButton.Yes:
            self._apply(action)

    def edit_measurement(self) -> None:
        indicator = self.current_indicator()
        measurement_id = selected_id(self.measurements)
        if indicator is not None and measurement_id is not None:
            measurement = next(m for m in indicator.measurements if m.id == measurement_id)
            self._open(MeasurementDialog(self.services, indicator, self, measurement))

    def delete_measurement(self) -> None:
        """A value typed wrong: deleted (after confirming), then recorded again."""
        measurement_id = selected_id(self.measurements)
        if measurement_id is None:
            return
        date = cell(self.measurements, self.measurements.currentRow(), 0).text()
        question = _("Delete the value recorded on {date}?").format(date=date)
        if (
            QMessageBox.question(self, _("Delete the measurement"), question)
            == QMessageBox.StandardButton.Yes
        ):
            self._apply(partial(self.services.results.delete_measurement, measurement_id))

    def _apply(self, action: Callable[[], None]) -> None:
        """Run a change; a refusal (a read-only account) is said above the tree."""
        self.error.clear()
        try:
            action()
        except KsmError as exc:
            self.error.setText(exc.message)
            return
        self.refresh()
