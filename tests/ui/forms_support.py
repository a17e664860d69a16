"""Helpers for the form tests."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QTableWidget, QWidget

W = TypeVar("W", bound=QWidget)


def track(qtbot, dialog: W) -> W:
    """Let qtbot close and delete `dialog` at the end of the test without the unsaved-changes
    prompt (a modal box would block the run)."""
    qtbot.addWidget(dialog, before_close_func=lambda w: setattr(w, "dirty", False))
    return dialog


def answer(monkeypatch, button: QMessageBox.StandardButton) -> list[str]:
    """Make every QMessageBox.question return `button`; the list collects the questions asked."""
    asked: list[str] = []

    def question(_parent, _title, text, *_args, **_kwargs):
        asked.append(text)
        return button

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def type_in_cell(table: QTableWidget, row: int, col: int, text: str) -> None:
    """Select a table's cell, type over it and press Enter, as a person does (QTest types ASCII
    only); the view commits the typed text on its next turn, given here."""
    table.setFocus()
    table.setCurrentCell(row, col)
    QTest.keyClick(table, Qt.Key.Key_F2)  # edit the current cell
    field = table.indexWidget(table.model().index(row, col))  # the cell's open editor
    assert isinstance(field, QLineEdit)
    field.selectAll()
    QTest.keyClicks(field, text)
    QTest.keyClick(field, Qt.Key.Key_Return)
    QApplication.processEvents()
