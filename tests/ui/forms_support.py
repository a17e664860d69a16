"""Helpers for the form tests."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QMessageBox, QWidget

W = TypeVar("W", bound=QWidget)


def track(qtbot, dialog: W) -> W:  # noqa: ANN001 - pytest-qt's QtBot
    """Let qtbot close and delete `dialog` at the end of the test without the unsaved-changes
    prompt (a modal box would block the run)."""
    qtbot.addWidget(dialog, before_close_func=lambda w: setattr(w, "dirty", False))
    return dialog


def answer(monkeypatch, button: QMessageBox.StandardButton) -> list[str]:  # noqa: ANN001
    """Make every QMessageBox.question return `button`; the list collects the questions asked."""
    asked: list[str] = []

    def question(_parent, _title, text, *_args, **_kwargs):  # noqa: ANN001, ANN202
        asked.append(text)
        return button

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked
