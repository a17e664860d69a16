"""The GUI entry points: the PDF is made off the GUI thread and opened in the system viewer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from ksm_desktop.services import Services
from ksm_desktop.ui import printing
from tests.reports.conftest import chems_number, pages_text


@pytest.fixture
def viewer(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    opened: list[Path] = []

    def open_url(url: QUrl) -> bool:
        opened.append(Path(url.toLocalFile()))
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(open_url))
    return opened


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    def warning(_parent: Any, _title: str, text: str, *args: Any) -> None:
        shown.append(text)

    monkeypatch.setattr(QMessageBox, "warning", staticmethod(warning))
    return shown


def test_grant_sheet_opens_in_the_viewer(
    qtbot: Any, demo: Services, viewer: list[Path], warnings: list[str]
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    printing.print_grant_sheet(parent, demo, chems_number(demo), "fr")
    qtbot.waitUntil(lambda: bool(viewer or warnings), timeout=20000)
    assert warnings == []
    assert viewer[0].parent == printing.documents_dir()
    assert "FICHE DE DOTATION" in pages_text(viewer[0].read_bytes())[0]


def test_member_list_and_programme(
    qtbot: Any, demo: Services, viewer: list[Path], warnings: list[str]
) -> None:
    org = demo.organisations.get_by_code("WEAM").id
    printing.print_member_list(None, demo, org, "ar")
    printing.print_programme_sheets(None, demo, "AGR-ERR", "en")
    qtbot.waitUntil(lambda: len(viewer) + len(warnings) == 2, timeout=30000)
    assert warnings == [] and all(p.read_bytes().startswith(b"%PDF") for p in viewer)


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
    page = loaded(qtbot, window.lists["programmes"])
    page.table.clearSelection()
    window.report_action.trigger()
    assert recorded == [] and told  # nothing selected: says what to do
    page.table.selectRow(0)
    window.report_action.trigger()
    assert recorded == [page.model.rows[0].code]
