"""The Households, Activities and Results pages in the main window, on the demo portfolio."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from ksm_desktop.i18n.formatting import format_date
from ksm_desktop.services import Actor, ListQuery, Services
from ksm_desktop.ui.fieldwork.pages import HouseholdsPage
from ksm_desktop.ui.fieldwork.results_page import ResultsPage
from ksm_desktop.ui.main_window import MainWindow
from tests.ui.conftest import loaded


def _texts(page: Any, row: int) -> list[str]:
    return [page.model.index(row, c).data() for c in range(page.model.columnCount())]


def test_households_list_shows_head_tribe_and_equipment(
    window: MainWindow, demo: Services, qtbot: Any
) -> None:
    window.show_page("households")
    page = loaded(qtbot, window.list_page("households"))
    assert page.count_label.text() == "175 households"
    first = _texts(page, 0)
    row = demo.households.search(ListQuery(limit=1)).rows[0]
    assert first[:3] == [row.code, row.head_name, row.location_name]
    assert row.equipment[0].number in first[5] and first[6] == "AQUA-NOOR"


def test_households_filter_by_tribe_and_search(window: MainWindow, demo: Services, qtbot: Any) -> None:
    window.show_page("households")
    page = loaded(qtbot, window.list_page("households"))
    combo = page.filter_combos["location_id"]
    qtbot.waitUntil(lambda: combo.count() > 1)
    tribe = combo.findText("Ouled Tafrat")
    combo.setCurrentIndex(tribe)
    qtbot.waitUntil(lambda: not page.model.loading and page.count_label.text() != "175 households")
    names = {page.model.index(r, 2).data() for r in range(page.model.rowCount())}
    assert names == {"Ouled Tafrat"}


def test_activities_list_shows_direct_and_indirect(window: MainWindow, demo: Services, qtbot: Any) -> None:
    window.show_page("activities")
    page = loaded(qtbot, window.list_page("activities"))
    rows = demo.activities.search(ListQuery(limit=None)).rows
    assert page.model.total == len(rows)
    shown = {(t[2], t[4], t[5]) for t in (_texts(page, r) for r in range(page.model.rowCount()))}
    assert shown == {(r.topic, str(r.direct), str(r.indirect)) for r in rows}
    assert any(r.indirect for r in rows)  # TAMKIN's 132 declared indirect beneficiaries


def test_results_page_shows_progress_against_target(demo: Services, qtbot: Any) -> None:
    page = ResultsPage(demo)
    qtbot.addWidget(page)
    page.start()
    programme_id = page.programme_id()
    assert programme_id is not None
    progress = [p for p in demo.results.progress(programme_id) if p.progress is not None]
    assert progress, "the demo measures some indicators"
    first = page.tree.topLevelItem(0)
    assert first.text(0).startswith("R1")
    indicator = first.child(0)
    bar = page.tree.itemWidget(indicator, 7)
    p = next(p for p in demo.results.progress(programme_id) if p.indicator_code == indicator.text(0))
    assert bar.value() == min(int(p.progress * 100), 100)
    page.tree.setCurrentItem(indicator)
    assert page.measurements.rowCount() == len(page.current_indicator().measurements)
    assert page.buttons["measure"].isEnabled()


def test_households_page_opens_the_progress(demo: Services, qtbot: Any, monkeypatch: Any) -> None:
    from ksm_desktop.ui.fieldwork.bulk_grant import ProgressDialog

    dialog = ProgressDialog(demo, None)
    qtbot.addWidget(dialog)
    assert dialog.programme.currentText().startswith("AQUA-NOOR")
    assert dialog.table.rowCount() == 5  # four quarters of 2021 and Q1 2022
    assert dialog.summary.text() == "175 of 175 households equipped"


def test_bulk_button_opens_the_dialog_on_the_filtered_programme(
    demo: Services, qtbot: Any, monkeypatch: Any
) -> None:
    from ksm_desktop.ui.fieldwork import bulk_grant

    opened: list[int | None] = []
    monkeypatch.setattr(
        bulk_grant.BulkGrantDialog, "exec", lambda self: opened.append(self.programme.value()) or 0
    )
    page = HouseholdsPage(demo)
    qtbot.addWidget(page)
    aqua = demo.programmes.get_by_code("AQUA-NOOR").id
    page.filter_combos["programme_id"].addItem("AQUA-NOOR", aqua)
    page.filter_combos["programme_id"].setCurrentIndex(1)
    page.bulk_button.click()
    assert opened == [aqua]


def _measured_indicator(page: ResultsPage) -> Any:
    """The first indicator with measurements, selected in the tree."""
    for r in range(page.tree.topLevelItemCount()):
        result = page.tree.topLevelItem(r)
        for i in range(result.childCount()):
            page.tree.setCurrentItem(result.child(i))
            if page.current_indicator().measurements:
                return result.child(i)
    raise AssertionError("the demo measures some indicators")


def _measurement_ids(services: Services, programme_id: int) -> set[int]:
    return {
        m.id for r in services.results.results_of(programme_id) for i in r.indicators for m in i.measurements
    }


def test_a_wrong_measurement_is_deleted_after_confirming(
    demo: Services, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = ResultsPage(demo)
    qtbot.addWidget(page)
    page.start()
    _measured_indicator(page)
    indicator = page.current_indicator()
    assert not page.buttons["unmeasure"].isEnabled()  # nothing chosen yet
    page.measurements.selectRow(0)
    assert page.buttons["unmeasure"].isEnabled()
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    questions: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda _p, _t, text: questions.append(text) or answers.pop(0)
    )
    page.buttons["unmeasure"].click()  # "No": nothing changes
    remaining = _measurement_ids(demo, page.programme_id())
    assert indicator.measurements[0].id in remaining
    page.measurements.selectRow(0)
    page.buttons["unmeasure"].click()  # "Yes"
    assert format_date(indicator.measurements[0].measured_on) in questions[0]
    remaining = _measurement_ids(demo, page.programme_id())
    assert indicator.measurements[0].id not in remaining
    assert {m.id for m in indicator.measurements[1:]} <= remaining  # only that one


def test_a_measurement_is_corrected_in_its_form(demo: Services, qtbot: Any) -> None:
    from ksm_desktop.ui.fieldwork.results_page import MeasurementDialog

    page = ResultsPage(demo)
    qtbot.addWidget(page)
    page.start()
    _measured_indicator(page)
    indicator = page.current_indicator()
    first = indicator.measurements[0]
    page.measurements.selectRow(0)
    assert page.buttons["remeasure"].isEnabled()
    form = MeasurementDialog(demo, indicator, page, first)
    qtbot.addWidget(form)
    assert form.value.value() == first.value and form.measured_on.value() == first.measured_on
    assert not form.dirty  # nothing changed yet: closing asks nothing
    form.measured_on.set_value(indicator.measurements[1].measured_on)  # another measurement's date
    assert not form.save()
    assert form._errors["measured_on"].text()
    form.measured_on.set_value(first.measured_on)
    form.value.setText(str(first.value + 10))
    if first.women is not None:
        form.women.setText(str(first.women + 10))
    assert form.save()
    corrected = demo.results.results_of(page.programme_id())
    values = {m.id: m.value for r in corrected for i in r.indicators for m in i.measurements}
    assert values[first.id] == first.value + 10 and len(values) == len(
        _measurement_ids(demo, page.programme_id())
    )


def test_an_indicator_is_deleted_with_its_measurements_and_a_reader_cannot(
    demo: Services, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
    reader = ResultsPage(Services(demo.db, Actor("lecteur", "readonly")))
    qtbot.addWidget(reader)
    reader.start()
    _measured_indicator(reader)
    code = reader.current_indicator().code
    reader.buttons["delete"].click()
    assert "can view and print" in reader.error.text()
    assert code in [i.code for r in demo.results.results_of(reader.programme_id()) for i in r.indicators]

    page = ResultsPage(demo)
    qtbot.addWidget(page)
    page.start()
    _measured_indicator(page)
    indicator = page.current_indicator()
    page.buttons["delete"].click()
    assert indicator.id not in [
        i.id for r in demo.results.results_of(page.programme_id()) for i in r.indicators
    ]
    assert indicator.id not in page.indicators  # the tree was read again


def test_results_framework_result_indicator_and_measurement(demo: Services, qtbot: Any) -> None:
    from ksm_desktop.ui.fieldwork.results_page import IndicatorDialog, MeasurementDialog, ResultDialog

    tamkin = demo.programmes.get_by_code("TAMKIN").id
    result = ResultDialog(demo, tamkin)
    qtbot.addWidget(result)
    assert not result.save_button.isEnabled()
    result.code.setText("r1")
    result.statement.setText("Associations mieux gouvernees")
    assert result.save()
    result_id = demo.results.results_of(tamkin)[0].id
    assert demo.results.results_of(tamkin)[0].code == "R1"

    indicator = IndicatorDialog(demo, result_id, None)
    qtbot.addWidget(indicator)
    for edit, text in (
        (indicator.code, "R1.1"),
        (indicator.name, "Representants formes"),
        (indicator.unit, "personnes"),
    ):
        edit.setText(text)
    indicator.target.setText("22")
    indicator.target_women.setText("10")
    indicator.target_men.setText("10")
    assert not indicator.save()  # 10 + 10 is not 22
    assert "add up to 22" in indicator._errors["target_women"].text()
    indicator.target_men.setText("12")
    assert indicator.save()
    saved = demo.results.results_of(tamkin)[0].indicators[0]

    measure = MeasurementDialog(demo, saved)
    qtbot.addWidget(measure)
    measure.value.setText("deux")
    assert not measure.save()
    assert measure._errors["value"].text()
    measure.value.setText("11")
    measure.women.setText("5")
    measure.men.setText("6")
    measure.measured_on.set_value(dt.date(2023, 6, 30))
    assert measure.save()
    progress = demo.results.progress(tamkin)[0]
    assert progress.achieved == Decimal("11") and progress.progress == Decimal("0.5")

    page = ResultsPage(demo)
    qtbot.addWidget(page)
    page.start()
    page.programme.set_value(tamkin)
    bar = page.tree.itemWidget(page.tree.topLevelItem(0).child(0), 7)
    assert bar.value() == 50 and bar.format().startswith("50")
