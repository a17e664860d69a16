"""The GUI entry points: the PDF is made off the GUI thread and opened in the system viewer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget

from ksm_desktop.i18n import set_language
from ksm_desktop.services import Services
from ksm_desktop.ui import printing
from tests.reports.conftest import chems_number, pages_text


@pytest.fixture
def viewer(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Path, str]]:
    """The documents shown in the print preview, with the name they are saved under."""
    shown: list[tuple[Path, str]] = []
    monkeypatch.setattr(printing, "show_preview", lambda _parent, path, name: shown.append((path, name)))
    return shown


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    def warning(_parent: Any, _title: str, text: str, *args: Any) -> None:
        shown.append(text)

    monkeypatch.setattr(QMessageBox, "warning", staticmethod(warning))
    return shown


def test_grant_sheet_opens_in_the_preview_under_a_meaningful_name(
    qtbot: Any, demo: Services, viewer: list[tuple[Path, str]], warnings: list[str]
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    number = chems_number(demo)
    set_language("fr")
    printing.print_grant_sheet(parent, demo, number, "fr")
    qtbot.waitUntil(lambda: bool(viewer or warnings), timeout=20000)
    assert warnings == []
    path, name = viewer[0]
    assert path.parent == printing.documents_dir() and name == f"{number} fiche de dotation.pdf"
    assert "FICHE DE DOTATION" in pages_text(path.read_bytes())[0]


def test_member_list_and_programme(
    qtbot: Any, demo: Services, viewer: list[Path], warnings: list[str]
) -> None:
    org = demo.organisations.get_by_code("WEAM").id
    printing.print_member_list(None, demo, org, "ar")
    printing.print_programme_sheets(None, demo, "AGR-ERR", "en")
    qtbot.waitUntil(lambda: len(viewer) + len(warnings) == 2, timeout=30000)
    assert warnings == [] and all(p.read_bytes().startswith(b"%PDF") for p, _name in viewer)


def test_errors_are_shown_in_a_message_box(
    qtbot: Any, demo: Services, viewer: list[Path], warnings: list[str]
) -> None:
    printing.print_handover(None, demo, chems_number(demo), "fr")
    qtbot.waitUntil(lambda: bool(warnings or viewer), timeout=20000)
    assert "delivered" in warnings[0] and viewer == []


def test_the_programme_report_is_reached_from_the_file_menu(
    qtbot: Any, demo: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ksm_desktop.ui.main_window import MainWindow
    from tests.ui.conftest import loaded

    recorded: list[str] = []
    monkeypatch.setattr(printing, "print_programme_report", lambda _p, _s, code, *rest: recorded.append(code))
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda _p, _t, text, *a: told.append(text)))
    window = MainWindow(demo)
    qtbot.addWidget(window)
    window.show()
    window.show_page("programmes")
    page = loaded(qtbot, window.list_page("programmes"))
    page.table.clearSelection()
    window.report_action.trigger()
    assert recorded == [] and told  # nothing selected: says what to do
    page.table.selectRow(0)
    window.report_action.trigger()
    assert recorded == [page.model.rows[0].code]


def test_preview_prints_and_saves_under_the_remembered_folder(
    qtbot: Any, demo: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QFileDialog

    from ksm_desktop.reports import render_grant_sheet
    from ksm_desktop.ui.print_preview import PrintPreview

    source = tmp_path / "rendered.pdf"
    source.write_bytes(render_grant_sheet(demo, chems_number(demo), "fr"))
    preview = PrintPreview(source, "KSM-2026-0001 fiche de dotation.pdf")
    qtbot.addWidget(preview)
    assert len(preview.pages) == 1 and not preview.pages[0].pixmap().isNull()
    # Save as: the dialog opens on the document's name; the folder chosen is offered next time.
    folder = tmp_path / "Fiches"
    folder.mkdir()
    offered: list[str] = []

    def choose(_parent: Any, _title: str, start: str, _filter: str) -> tuple[str, str]:
        offered.append(start)
        return str(folder / Path(start).name), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(choose))
    saved = preview.save_as()
    assert (
        saved == folder / "KSM-2026-0001 fiche de dotation.pdf" and saved.read_bytes() == source.read_bytes()
    )
    preview.save_as()
    assert offered[1] == str(folder / "KSM-2026-0001 fiche de dotation.pdf")
    # Printing draws every page on the printer (a PDF printer here).
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    printer.setResolution(100)
    preview.print_to(printer)
    assert (tmp_path / "printed.pdf").read_bytes().startswith(b"%PDF")
