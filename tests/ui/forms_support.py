"""Helpers for the form tests."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QMessageBox, QWidget

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
