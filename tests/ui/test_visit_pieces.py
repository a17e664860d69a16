"""A follow-up visit records the condition of each delivered piece: a tick per serial number, a
count per condition for an item's pieces without one; reopened, the visit shows what it recorded."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from ksm_desktop.services import Services
from ksm_desktop.services.dto import (
    DeliveryInput,
    GrantInput,
    GrantItemInput,
    OrganisationInput,
    ProgrammeInput,
)
from ksm_desktop.ui.fieldwork.visit_pieces import FIRST, PiecesTable
from ksm_desktop.ui.fieldwork.visits_tab import VisitDialog
from tests.ui.forms_support import track

DELIVERED_ON = dt.date.today() - dt.timedelta(days=30)
IN_SERVICE, BROKEN, SOLD = FIRST, FIRST + 1, FIRST + 2


def _tick(table: PiecesTable, row: int, col: int) -> None:
    """Select the cell and press Space, as a person ticks a box from the keyboard."""
    table.setFocus()
    table.setCurrentCell(row, col)
    QTest.keyClick(table, Qt.Key.Key_Space)


def _type_count(table: PiecesTable, row: int, col: int, text: str) -> None:
    table.setFocus()
    table.setCurrentCell(row, col)
    QTest.keyClick(table, Qt.Key.Key_F2)
    field = table.indexWidget(table.model().index(row, col))
    assert isinstance(field, QLineEdit)
    field.selectAll()
    QTest.keyClicks(field, text)
    QTest.keyClick(field, Qt.Key.Key_Return)
    QApplication.processEvents()  # the view commits the typed text on its next turn


def test_visit_records_each_piece(qtbot: Any, services: Services) -> None:
    org = services.organisations.create(OrganisationInput(kind="cooperative", name="Coopérative Malika")).id
    programme = services.programmes.create(ProgrammeInput(code="AGR-ERR", name="AGR Errachidia")).id
    grant = services.grants.create(
        GrantInput(
            purpose="Atelier de couture",
            organisation_id=org,
            programme_id=programme,
            grant_date=DELIVERED_ON,
            items=[
                GrantItemInput("Machine à coudre", Decimal(2), Decimal(520), serials=["SN-4471", "SN-4472"]),
                GrantItemInput("Surjeteuse", Decimal(3), Decimal(380)),
            ],
        )
    )
    services.grants.transition(grant.id, "validated")
    services.grants.transition(
        grant.id, "delivered", delivery=DeliveryInput(DELIVERED_ON, "Errachidia", "Rachida Ait Baha")
    )
    dialog = track(qtbot, VisitDialog(services, org, None))
    dialog.show()
    qtbot.waitExposed(dialog)
    table = dialog.pieces
    assert [table.item(r, 2).text() for r in range(table.rowCount())] == [
        "SN-4471",
        "SN-4472",
        "3 without a serial number",
    ]
    dialog.visited_on.set_value(DELIVERED_ON + dt.timedelta(days=7))
    qtbot.keyClicks(dialog.visitor, "Naima")
    _tick(table, 0, IN_SERVICE)
    _tick(table, 1, IN_SERVICE)
    _tick(table, 1, BROKEN)  # changed her mind: one condition per piece
    assert table.item(1, IN_SERVICE).checkState() == Qt.CheckState.Unchecked
    _type_count(table, 2, IN_SERVICE, "2")
    _type_count(table, 2, SOLD, "2")  # four of three overlockers
    assert not dialog.save_button.isEnabled()
    assert "has 3 pieces without a serial number; 4 are recorded" in dialog._errors["pieces"].text()
    _type_count(table, 2, SOLD, "1")
    assert dialog.save_button.isEnabled()
    assert dialog.save()

    figures = services.figures.equipment_condition(programme)
    assert figures.by_condition == {"in_service": 3, "broken": 1, "sold": 1}
    visit_id = dialog.entity_id
    assert visit_id is not None
    again = track(qtbot, VisitDialog(services, org, visit_id))
    shown = again.pieces
    assert shown.item(0, IN_SERVICE).checkState() == Qt.CheckState.Checked
    assert shown.item(1, BROKEN).checkState() == Qt.CheckState.Checked
    assert (shown.item(2, IN_SERVICE).text(), shown.item(2, SOLD).text()) == ("2", "1")


def test_no_equipment_no_table(qtbot: Any, services: Services) -> None:
    org = services.organisations.create(OrganisationInput(kind="agr", name="AGR Couscous Itto")).id
    dialog = track(qtbot, VisitDialog(services, org, None))
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not dialog.pieces.isVisible()
