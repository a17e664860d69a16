"""The member import dialog: file → columns → preview → import, all or nothing."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from ksm_desktop.services import ListQuery, Services
from ksm_desktop.ui.import_dialog import MAPPING, PREVIEW, SUMMARY, ImportMembersDialog

GOOD = "Famille;Prénom;CIN;Sexe;Tél\nOufkir;Zahra;XQ1;Femme;0661234567\nIdrissi;Omar;;ذكر;\n"
BAD = "Nom;Prénom;CIN;Sexe\nOufkir;Zahra;XQ1;Femme\nIdrissi;Omar;123;H\nTazi;Sara;;?\n"


def open_dialog(qtbot: QtBot, services: Services, code: str = "MALIKA") -> ImportMembersDialog:
    dialog = ImportMembersDialog(services, services.organisations.get_by_code(code).id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def read(qtbot: QtBot, dialog: ImportMembersDialog, path: Path) -> None:
    dialog.path_edit.setText(str(path))
    dialog.next_button.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)


def test_import_with_mapping_override(qtbot: QtBot, demo: Services, tmp_path: Path, engine_kind: str) -> None:
    path = tmp_path / "membres.csv"
    path.write_text(GOOD, "utf-8-sig")
    dialog = open_dialog(qtbot, demo)
    read(qtbot, dialog, path)
    assert dialog.pages.currentIndex() == MAPPING
    assert dialog.mapping() == ["", "first_name", "cin", "sex", "phone"]  # "Famille" is not known
    dialog.next_button.click()
    assert "Last name" in dialog.status.text()  # the mapping lacks the last name
    dialog.set_field(0, "last_name")
    dialog.next_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == PREVIEW, timeout=10_000)
    assert dialog.count_labels["to_add"].text() == "2"
    assert dialog.import_button.isEnabled()
    before = demo.persons.search(ListQuery(limit=1)).total
    with qtbot.waitSignal(dialog.imported, timeout=20_000) as blocker:
        dialog.import_button.click()
    assert blocker.args[0].committed
    assert dialog.pages.currentIndex() == SUMMARY
    if engine_kind == "sqlite":  # a file database gets a copy first; a server has its own backups
        assert "Backup made before the import" in dialog.summary.toPlainText()
    assert demo.persons.search(ListQuery(limit=1)).total == before + 2

    again = open_dialog(qtbot, demo, "WEAM")
    read(qtbot, again, path)
    assert again.mapping()[0] == "last_name"  # the user's choice was remembered


def test_rejected_rows_block_the_import(qtbot: QtBot, demo: Services, tmp_path: Path) -> None:
    path = tmp_path / "membres.csv"
    path.write_text(BAD, "utf-8")
    dialog = open_dialog(qtbot, demo)
    read(qtbot, dialog, path)
    dialog.next_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == PREVIEW, timeout=10_000)
    table = dialog.rejected_table
    assert table.rowCount() == 2
    assert [table.item(i, 0).text() for i in range(2)] == ["3", "4"]
    assert "CIN" in table.item(0, 1).text() and "sex" in table.item(1, 1).text()
    assert not dialog.import_button.isEnabled()
    assert "rejected" in dialog.status.text()


def test_bad_file_shows_its_reason_and_stays(qtbot: QtBot, demo: Services, tmp_path: Path) -> None:
    path = tmp_path / "members.xlsx"
    path.write_text("not a workbook", "utf-8")
    dialog = open_dialog(qtbot, demo)
    read(qtbot, dialog, path)
    assert dialog.pages.currentIndex() == 0
    assert "not an Excel workbook" in dialog.status.text()
    assert dialog.next_button.isEnabled()


def test_an_excel_date_column_is_shown_as_dates(qtbot: QtBot, demo: Services, tmp_path: Path) -> None:
    import datetime as dt

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Nom", "Prénom", "Sexe", "Date de naissance"])
    sheet.append(["Oufkir", "Zahra", "F", dt.datetime(1984, 3, 15)])
    book.save(tmp_path / "membres.xlsx")
    dialog = open_dialog(qtbot, demo)
    read(qtbot, dialog, tmp_path / "membres.xlsx")
    assert dialog.mapping_table.item(3, 1).text() == "15/03/1984"
