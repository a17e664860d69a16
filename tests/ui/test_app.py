"""The GUI entry: opens the window on a database, refuses a bad file with a message and exit 1."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from ksm_desktop.app import run_gui
from ksm_desktop.services import Services
from ksm_desktop.ui.main_window import MainWindow


def test_run_gui_shows_the_main_window_and_exits_cleanly(
    demo: Services, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    path = demo.db.path
    seen: list[str] = []

    def look_then_quit() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        seen.extend(w.user_label.text() for w in windows)
        for window in windows:
            window.close()
        QApplication.quit()

    QTimer.singleShot(0, look_then_quit)
    assert run_gui(None, path) == 0
    assert seen and "User:" in seen[0]


def test_run_gui_refuses_a_file_that_is_not_a_database(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text: shown.append(text))
    bad = tmp_path / "notes.sqlite3"
    bad.write_text("this is not a database" * 100)
    assert run_gui(None, bad) == 1
    assert shown and str(bad) in shown[0]
    assert bad.read_text() == "this is not a database" * 100


def test_no_heavy_module_on_the_start_path() -> None:
    import subprocess

    code = (
        "import sys; import ksm_desktop.app, ksm_desktop.ui.main_window; "
        "print(sorted(m for m in ('reportlab', 'openpyxl', 'alembic') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
