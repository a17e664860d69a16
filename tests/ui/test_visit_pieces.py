"""A follow-up visit records the condition of each delivered piece: a tick per serial number, a
count per condition for an item's pieces without one; reopened, the visit shows what it recorded."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from ksm_desktop.services import Services
from ksm_desktop.services.dto import (
    OrganisationInput,
)
from ksm_desktop.ui.fieldwork.visit_pieces import FIRST, PiecesTable
from ksm_desktop.ui.fieldwork.visits_tab import VisitDialog
from tests.serials_support import DELIVERED_ON, delivered_workshop
from tests.ui.forms_support import track, type_in_cell

IN_SERVICE, BROKEN, SOLD = FIRST, FIRST + 1, FIRST + 2


def _tick(table: PiecesTable, row: int, col: int) -> None:
    """Select the cell and press Space, as a person ticks a box from the keyboard."""
    table.setFocus()
    table.setCurrentCell(row, col)
    QTest.keyClick(table, Qt.Key.Key_Space)


def test_visit_records_each_piece(qtbot: Any, services: Services) -> None:
    org, programme = delivered_workshop(services, ["SN-4471", "SN-4472"], 3)
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
    type_in_cell(table, 2, IN_SERVICE, "2")
    type_in_cell(table, 2, SOLD, "2")  # four of three overlockers
    assert not dialog.save_button.isEnabled()
    assert "has 3 pieces without a serial number; 4 are recorded" in dialog._errors["pieces"].text()
    type_in_cell(table, 2, SOLD, "1")
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
