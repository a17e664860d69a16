"""The GUI's composition root: icon and the smoke-test exit hook used by packaging/smoke_test.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSize, QTimer
from PySide6.QtWidgets import QApplication

from ksm_desktop.app import run_gui


def test_the_window_opens_with_the_app_icon_and_quits_when_asked(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KSM_SMOKE_EXIT_AFTER_MS", "10")
    db = tmp_path / "ksm.sqlite3"
    guard = QTimer()  # without the hook the event loop would not end: fail instead of hanging
    guard.setSingleShot(True)
    guard.timeout.connect(lambda: qapp.exit(99))
    guard.start(10_000)
    code = run_gui(None, db)
    guard.stop()
    assert code == 0
    assert db.is_file()
    sizes = QApplication.windowIcon().availableSizes()
    assert QSize(16, 16) in sizes and QSize(256, 256) in sizes
    for window in QApplication.topLevelWidgets():
        window.close()
