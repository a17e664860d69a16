"""The import preview shows the new people who look like a registered person; the user marks
one "same person" with the keyboard and the import makes that person a member instead."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from ksm_desktop.services import ListQuery, Services
from ksm_desktop.services.dto import OrganisationInput, PersonInput
from ksm_desktop.ui.import_dialog import PREVIEW, ImportMembersDialog

FILE = (
    "Nom;Prénom;Sexe;Année de naissance;Tél\nBen Ali;Mohammed;H;1980;06 61 23 45 67\nIdrissi;Hassan;H;1990;\n"
)


def test_mark_a_look_alike_same_person_links_instead_of_creating(
    qtbot: QtBot, services: Services, tmp_path: Path
) -> None:
    org = services.organisations.create(OrganisationInput(kind="cooperative", name="Coopérative Malika")).id
    registered = services.persons.create(
        PersonInput("Mohamed", "Benali", "M", birth_year=1980, phone="0661234567")
    ).id
    path = tmp_path / "membres.csv"
    path.write_text(FILE, "utf-8")
    dialog = ImportMembersDialog(services, org)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.path_edit.setText(str(path))
    dialog.next_button.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    dialog.next_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == PREVIEW and not dialog.busy, timeout=10_000)
    assert dialog.alike_table.isVisibleTo(dialog) and dialog.alike_table.rowCount() == 1
    assert dialog.alike_table.item(0, 0).text() == "2"
    assert "Mohamed Benali" in dialog.alike_table.item(0, 2).text()
    assert "same phone number" in dialog.alike_table.item(0, 2).text()
    assert dialog.count_labels["to_add"].text() == "2"

    combo = dialog.alike_table.cellWidget(0, 3)
    assert isinstance(combo, QComboBox) and combo.currentText() == "Not decided"
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)  # "Same person"
    qtbot.waitUntil(lambda: not dialog.busy and dialog.count_labels["linked"].text() == "1", timeout=10_000)
    assert dialog.count_labels["to_add"].text() == "1"
    with qtbot.waitSignal(dialog.imported, timeout=20_000):
        dialog.import_button.click()
    assert services.persons.search(ListQuery(limit=1)).total == 2  # only Hassan Idrissi was created
    assert registered in [m.person_id for m in services.persons.members_of(org)]
