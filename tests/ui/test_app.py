"""The GUI entry: opens the window on a database, refuses a bad file with a message and exit 1."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from ksm_desktop.app import current_username, run_gui
from ksm_desktop.services import Services

SHOW_THEN_QUIT = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from ksm_desktop.app import run_gui
from ksm_desktop.ui.main_window import MainWindow

app = QApplication(sys.argv)

def look_then_quit():
    windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    print(len(windows), windows[0].user_label.text() if windows else "")
    app.quit()

QTimer.singleShot(0, look_then_quit)
sys.exit(run_gui(None, Path(sys.argv[1])))
"""


def test_run_gui_shows_the_main_window_and_exits_cleanly(demo: Services) -> None:
    """In its own process: a real event loop started and quit, then the database closed."""
    result = subprocess.run(
        [sys.executable, "-c", SHOW_THEN_QUIT, str(demo.db.path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    shown, label = result.stdout.strip().split(" ", 1)
    assert shown == "1" and label.endswith(current_username())  # one window, user in the status bar


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
    code = (
        "import sys; import ksm_desktop.app, ksm_desktop.ui.main_window; "
        "print(sorted(m for m in ('reportlab', 'openpyxl', 'alembic') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
