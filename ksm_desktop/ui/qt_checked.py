"""Qt accessors that may answer None (an empty cell, no application yet), checked once here so
that the rest of the GUI is type-checked against what it really gets."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QTableWidget, QTableWidgetItem


def cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    """The item of a cell that the code filled itself; a missing one is a programming error."""
    item = table.item(row, column)
    if item is None:
        raise LookupError(f"no item at row {row}, column {column}")
    return item


def application() -> QApplication:
    """The running QApplication, created if there is none yet (tools run outside the app)."""
    existing = QApplication.instance()
    return existing if isinstance(existing, QApplication) else QApplication(sys.argv)


def record_id(value: object) -> int:
    """The id a picker or a combo box holds: Qt hands item data back as a plain object."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise TypeError(f"not a record id: {value!r}")
