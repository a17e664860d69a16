"""Serial numbers typed in the grant editor's items, pasted as a list, checked as they are typed,
and frozen once the grant is delivered."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QInputDialog, QTableWidget

from ksm_desktop.services import Services
from ksm_desktop.services.dto import DeliveryInput, OrganisationInput
from ksm_desktop.ui.forms.grant_dialog import GrantDialog
from ksm_desktop.ui.forms.grant_items import SERIALS_COL
from tests.ui.forms_support import track, type_in_cell


@pytest.fixture
def editor(qtbot: Any, services: Services) -> GrantDialog:
    org = services.organisations.create(OrganisationInput(kind="cooperative", name="Coopérative Malika"))
    dialog = track(qtbot, GrantDialog(services, None))
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.recipient.set_value(("organisation", org.id), org.name)
    dialog.purpose.setText("Atelier de couture")
    for row, (designation, quantity, price) in enumerate(
        (("Machine Singer", "3", "520"), ("Surjeteuse", "2", "380"))
    ):
        dialog.items.add_row()
        for col, text in enumerate((designation, quantity, "", price)):
            type_in_cell(dialog.items.table, row, col, text)
    return dialog


def test_serials_typed_checked_and_saved(
    editor: GrantDialog, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    type_in_cell(editor.items.table, 0, SERIALS_COL, "SN-4471, SN-4472, SN-4473, SN-4474")
    assert not editor.save_button.isEnabled()
    assert "Line 1: 4 serial numbers for 3 pieces" in editor.items_error.text()
    type_in_cell(editor.items.table, 0, SERIALS_COL, " SN-4471; SN-4472 ,SN-4473")
    assert editor.save_button.isEnabled() and not editor.items_error.isVisibleTo(editor)
    # A column copied from a spreadsheet, pasted in the "Serial numbers…" box of line 2.
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *_a, **_k: ("OV-01\nOV-02\n", True))
    editor.items.table.setCurrentCell(1, 0)
    button = next(b for b in editor.items.buttons if b.text() == "Serial numbers…")
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    assert editor.items.table.item(1, SERIALS_COL).text() == "OV-01, OV-02"
    QTest.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.entity_id is not None
    grant = services.grants.get(editor.entity_id)
    assert [i.serials for i in grant.items] == [("SN-4471", "SN-4472", "SN-4473"), ("OV-01", "OV-02")]


def test_serials_frozen_once_delivered(qtbot: Any, editor: GrantDialog, services: Services) -> None:
    type_in_cell(editor.items.table, 0, SERIALS_COL, "SN-4471")
    assert editor.save()
    grant_id = editor.entity_id
    assert grant_id is not None
    services.grants.transition(grant_id, "validated")
    services.grants.transition(
        grant_id, "delivered", delivery=DeliveryInput(dt.date.today(), "Errachidia", "Rachida Ait Baha")
    )
    reopened = track(qtbot, GrantDialog(services, grant_id))
    table = reopened.items.table
    assert table.item(0, SERIALS_COL).text() == "SN-4471"
    assert table.editTriggers() == QTableWidget.EditTrigger.NoEditTriggers
    assert not any(b.isEnabled() for b in reopened.items.buttons)
