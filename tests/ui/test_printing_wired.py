"""Printing reached from the grant editor and from the lists' Ctrl+P."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QItemSelectionModel, Qt

from ksm_desktop.services import ListQuery, Services
from ksm_desktop.ui import printing
from ksm_desktop.ui.forms.grant_dialog import GrantDialog
from ksm_desktop.ui.main_window import MainWindow
from tests.ui.conftest import loaded
from tests.ui.forms_support import track


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files shown in the print preview (no window really opens)."""
    files: list[str] = []
    monkeypatch.setattr(printing, "show_preview", lambda _parent, path, _name: files.append(str(path)))
    return files


def _grant(demo: Services, status: str) -> Any:
    return next(r for r in demo.grants.search(ListQuery(limit=None)).rows if r.status == status)


def _text(path: str) -> str:
    return "".join(page.extract_text() for page in PdfReader(path).pages)


def test_print_from_the_grant_dialog_opens_the_sheet(qtbot, demo: Services, opened: list[str]) -> None:
    row = _grant(demo, "draft")
    editor = track(qtbot, GrantDialog(demo, row.id))
    assert editor.print_button.isEnabled()
    assert not editor.handover_action.isVisible()  # not delivered yet
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    qtbot.keyClick(editor.purpose, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(opened), timeout=20000)
    assert Path(opened[0]).suffix == ".pdf"
    assert row.number in _text(opened[0])


def test_a_new_grant_cannot_be_printed_before_it_is_saved(qtbot, demo: Services) -> None:
    editor = track(qtbot, GrantDialog(demo, None))
    assert not editor.print_button.isEnabled() and not editor.sheet_action.isEnabled()
    assert editor.print_sheet() is None


def test_handover_only_for_a_delivered_grant_in_the_chosen_language(
    qtbot, demo: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, str | None]] = []
    monkeypatch.setattr(printing, "print_handover", lambda _p, _s, number, lang: calls.append((number, lang)))
    draft = track(qtbot, GrantDialog(demo, _grant(demo, "draft").id))
    assert not draft.handover_action.isVisible()
    assert draft.print_handover() is None and calls == []
    row = _grant(demo, "delivered")
    editor = track(qtbot, GrantDialog(demo, row.id))
    assert editor.handover_action.isVisible() and editor.handover_action.isEnabled()
    editor.print_button.language_actions["ar"].trigger()
    editor.handover_action.trigger()
    assert calls == [(row.number, "ar")]


def _select(page: Any, rows: list[int]) -> None:
    selection = page.table.selectionModel()
    for n, row in enumerate(rows):
        flags = QItemSelectionModel.SelectionFlag.Rows | (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            if n == 0
            else QItemSelectionModel.SelectionFlag.Select
        )
        selection.select(page.model.index(row, 0), flags)


@pytest.mark.parametrize(
    ("page_name", "function", "rows"),
    [
        ("grants", "print_grant_sheet", [0]),
        ("grants", "print_grant_sheets", [0, 2]),
        ("organisations", "print_member_list", [1]),
        ("programmes", "print_programme_sheets", [0]),
    ],
)
def test_ctrl_p_prints_the_selection_of_each_list(
    qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, page_name: str, function: str, rows: list[int]
) -> None:
    recorded: list[tuple[Any, ...]] = []
    monkeypatch.setattr(
        printing, function, lambda _parent, _services, arg, *rest: recorded.append((arg, *rest))
    )
    window.show_page(page_name)
    page = loaded(qtbot, window.list_page(page_name))
    page.table.clearSelection()
    assert not window.print_action.isEnabled() and window.print_action.toolTip()  # nothing selected
    _select(page, rows)
    assert window.print_action.isEnabled()
    qtbot.keyClick(page.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    chosen = [page.model.rows[r] for r in rows]
    expected = {
        "print_grant_sheet": lambda: chosen[0].number,
        "print_grant_sheets": lambda: [r.number for r in chosen],
        "print_member_list": lambda: chosen[0].id,
        "print_programme_sheets": lambda: chosen[0].code,
    }[function]()
    assert [call[0] for call in recorded] == [expected]


def test_members_page_has_nothing_to_print(qtbot, window: MainWindow) -> None:
    window.show_page("members")
    page = loaded(qtbot, window.list_page("members"))
    page.table.selectRow(0)
    assert page.selected_rows()
    assert not window.print_action.isEnabled()
    assert window.print_action.toolTip()
