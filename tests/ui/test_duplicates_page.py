"""The Duplicates page as an officer uses it: review a pair, merge it choosing a value, undo the
merge from the audit log; and the double-dipping report with its Excel export."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QMessageBox, QTableWidget

from ksm_desktop.i18n import set_language
from ksm_desktop.services import Actor, Services
from ksm_desktop.services.dto import (
    GrantInput,
    GrantItemInput,
    OrganisationInput,
    PersonInput,
    ProgrammeInput,
)
from ksm_desktop.ui.audit_view import AuditView
from ksm_desktop.ui.duplicates_page import DuplicatesPage
from ksm_desktop.ui.main_window import MainWindow
from ksm_desktop.ui.qt_checked import cell
from tests.ui.forms_support import answer


def _click_row(table: QTableWidget, row: int) -> None:
    rect = table.visualItemRect(cell(table, row, 0))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _pair(services: Services) -> tuple[int, int]:
    org = services.organisations.create(OrganisationInput(kind="cooperative", name="Coopérative Malika")).id
    province = services.locations.by_level("province")[0].id
    commune = services.locations.add("commune", "Tendrara", province).id
    douar = services.locations.add("douar", "Ouled Sidi Ali", commune).id
    a = services.persons.create(
        PersonInput("Mohamed", "Benali", "M", birth_year=1980, location_id=douar, phone="0661234567")
    ).id
    b = services.persons.create(
        PersonInput(
            "Mohammed",
            "Ben Ali",
            "M",
            full_name_ar="محمد بن علي",
            cin="AB123456",
            birth_year=1980,
            location_id=douar,
            phone="0661234567",
        )
    ).id
    services.persons.add_member(org, b)
    return a, b


def _page(services: Services, qtbot: Any) -> tuple[MainWindow, DuplicatesPage]:
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    item = window.nav.item(window.nav.count() - 1)
    assert item.text() in ("Duplicates", "Doublons")
    rect = window.nav.visualItemRect(item)
    QTest.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    page = window.stack.currentWidget()
    assert isinstance(page, DuplicatesPage)
    return window, page


def test_review_a_pair_merge_with_a_choice_then_undo_it_from_the_audit_log(
    services: Services, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_language("fr")
    a, b = _pair(services)
    _window, page = _page(services, qtbot)
    review = page.review
    qtbot.waitUntil(lambda: not review.loading and review.table.rowCount() == 1, timeout=10_000)
    assert cell(review.table, 0, 0).text().startswith("9")  # a percentage, over 90 %
    assert "même numéro de téléphone" in cell(review.table, 0, 3).text()
    assert not review.merge_button.isEnabled()

    _click_row(review.table, 0)
    compared = {
        cell(review.comparison, r, 0).text(): (
            cell(review.comparison, r, 1).text(),
            cell(review.comparison, r, 2).text(),
        )
        for r in range(review.comparison.rowCount())
    }
    assert compared["CIN"] == ("", "AB123456")
    assert compared["Organisations"] == ("", "Coopérative Malika")
    assert "Ouled Sidi Ali" in compared["Douar / commune"][0]

    assert review.merge_button.isEnabled()
    QTest.keyClick(review.table, Qt.Key.Key_Return)  # Enter on the pair: Merge…
    dialog = review.merge_dialog
    assert dialog is not None and dialog.isVisible()
    assert set(dialog.choices) == {"first_name", "last_name"}  # where both hold different values
    last_name = dialog.choices["last_name"]
    last_name.setFocus()
    QTest.keyClick(last_name, Qt.Key.Key_Down)  # "Ben Ali", the other record's spelling
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)

    kept = services.persons.get(a)
    assert (kept.first_name, kept.last_name, kept.cin) == ("Mohamed", "Ben Ali", "AB123456")
    assert [m.organisation_name for m in services.persons.memberships_of(a)] == ["Coopérative Malika"]
    assert "fusionné" in review.status.text().lower()
    qtbot.waitUntil(lambda: not review.loading, timeout=10_000)
    assert review.table.rowCount() == 0

    admin = Services(services.db, Actor("amina", "admin"))
    view = AuditView(admin)
    qtbot.addWidget(view)
    view.show()
    merge_row = next(r for r, e in enumerate(view.entries) if e.action == "merge")
    assert not view.undo_button.isEnabled()
    _click_row(view.table, merge_row)
    asked = answer(monkeypatch, QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(view.undo_button, Qt.MouseButton.LeftButton)
    assert asked and "Mohammed Ben Ali" in asked[0]
    back = services.persons.get(b)
    assert (back.last_name, back.cin) == ("Ben Ali", "AB123456")
    assert services.persons.get(a).last_name == "Benali"
    assert [m.organisation_name for m in services.persons.memberships_of(b)] == ["Coopérative Malika"]
    assert f"Mohammed Ben Ali (#{b})" in view.notice.text()
    # the same merge again: refused, said in the view
    merge_row = next(r for r, e in enumerate(view.entries) if e.action == "merge")
    _click_row(view.table, merge_row)
    qtbot.mouseClick(view.undo_button, Qt.MouseButton.LeftButton)
    assert "déjà" in view.notice.text()


def test_read_only_account_cannot_merge(services: Services, qtbot: Any) -> None:
    _pair(services)
    reader = Services(services.db, Actor("lecteur", "readonly"))
    _window, page = _page(reader, qtbot)
    qtbot.waitUntil(lambda: not page.review.loading and page.review.table.rowCount() == 1, timeout=10_000)
    _click_row(page.review.table, 0)
    assert page.review.comparison.rowCount() > 0
    assert not page.review.merge_button.isEnabled()


def test_double_dipping_tab_lists_and_exports(
    services: Services, qtbot: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    set_language("fr")
    person = services.persons.create(PersonInput("Aïcha", "Ouali", "F")).id
    for code in ("AQUA-NOOR", "TAMKIN"):
        programme = services.programmes.create(ProgrammeInput(code, code.title())).id
        services.grants.create(
            GrantInput(
                purpose="Kit",
                programme_id=programme,
                person_id=person,
                items=[GrantItemInput("Kit solaire", Decimal("1"), Decimal("250"))],
            )
        )
    _window, page = _page(services, qtbot)
    tab = page.double_dipping
    page.tabBar().setFocus()
    QTest.keyClick(page.tabBar(), Qt.Key.Key_Right)
    assert page.currentWidget() is tab
    qtbot.waitUntil(lambda: not tab.loading, timeout=10_000)
    assert tab.table.rowCount() == 1
    assert cell(tab.table, 0, 0).text() == "Aïcha Ouali"
    assert cell(tab.table, 0, 4).text() == "AQUA-NOOR, TAMKIN"
    assert "500,00" in cell(tab.table, 0, 6).text()
    target = tmp_path / "double.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    rows = list(openpyxl.load_workbook(target).worksheets[0].iter_rows(values_only=True))
    assert rows[1][0] == "Aïcha Ouali"
    assert "double.xlsx" in tab.status.text()
