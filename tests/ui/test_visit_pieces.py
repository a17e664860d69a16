"""A follow-up visit records the condition of each delivered piece: a tick per serial number, a
count per condition for an item's pieces without one; reopened, the visit shows what it recorded.
A serial-numbered piece gets a photo from its row; the visit's own photos and files are in its
Attachments panel."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog

from ksm_desktop.services import Services
from ksm_desktop.services.dto import (
    OrganisationInput,
)
from ksm_desktop.ui.fieldwork.visit_pieces import FIRST, PHOTO, PiecesTable
from ksm_desktop.ui.fieldwork.visits_tab import VisitDialog
from tests.serials_support import DELIVERED_ON, delivered_workshop
from tests.ui.forms_support import track, type_in_cell
from tests.unit.attachment_files import phone_photo

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


def _click(table: PiecesTable, row: int, col: int) -> None:
    rect = table.visualRect(table.model().index(row, col))
    QTest.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.center()))


def _choose(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a, **_k: (str(path), ""))


def test_a_piece_photo_from_its_row_and_the_visit_files(
    qtbot: Any, services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    org, _programme = delivered_workshop(services, ["SN-4471", "SN-4472"], 1)
    dialog = track(qtbot, VisitDialog(services, org, None))
    dialog.resize(1000, 820)
    dialog.show()
    qtbot.waitExposed(dialog)
    table = dialog.pieces
    assert table.horizontalHeaderItem(PHOTO).text() == "Photo"
    assert table.item(0, PHOTO).text() == "Add a photo…" and table.item(2, PHOTO).text() == ""
    # A new visit: its files wait for the first save.
    assert dialog.attachments.hint.isVisible() and not dialog.attachments.attach_button.isEnabled()
    dialog.visited_on.set_value(DELIVERED_ON + dt.timedelta(days=7))
    qtbot.keyClicks(dialog.visitor, "Naima")

    photo = tmp_path / "SN-4472.jpg"
    photo.write_bytes(phone_photo())
    _choose(monkeypatch, photo)
    _click(table, 1, PHOTO)  # no condition ticked yet: nothing to photograph
    assert "Tick the condition" in dialog._errors["pieces"].text()
    assert dialog.entity_id is None

    damaged = tmp_path / "coupee.jpg"
    damaged.write_bytes(phone_photo()[:3000])
    _tick(table, 1, BROKEN)
    _choose(monkeypatch, damaged)
    _click(table, 1, PHOTO)  # the visit is saved, the damaged photo refused
    visit_id = dialog.entity_id
    assert visit_id is not None
    assert "coupee.jpg is damaged" in dialog._errors["pieces"].text()
    assert services.attachments.list("visit", visit_id) == []

    _choose(monkeypatch, photo)
    _click(table, 1, PHOTO)
    assert table.item(1, PHOTO).text() == "1 photo" and not table.item(1, PHOTO).icon().isNull()
    [piece] = services.visits.get(visit_id).pieces
    assert piece.condition == "broken" and len(piece.photos) == 1
    assert [a.filename for a in services.attachments.list("visit_piece", piece.id)] == ["SN-4472.jpg"]
    # The visit's files list the piece's photo too, and take the visit's own photos.
    panel = dialog.attachments
    assert panel.attach_button.isEnabled() and panel.files.count() == 1
    workshop = tmp_path / "atelier.jpg"
    workshop.write_bytes(phone_photo(320, 240))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *_a, **_k: ([str(workshop)], ""))
    qtbot.mouseClick(panel.attach_button, Qt.MouseButton.LeftButton)
    assert panel.files.count() == 2 and "Photo" in panel.files.item(1).text()
    assert [a.filename for a in services.attachments.list("visit", visit_id)] == [
        "SN-4472.jpg",
        "atelier.jpg",
    ]

    again = track(qtbot, VisitDialog(services, org, visit_id))
    assert again.pieces.item(1, PHOTO).text() == "1 photo" and again.attachments.files.count() == 2
