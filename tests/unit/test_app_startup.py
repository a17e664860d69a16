"""The GUI's composition root: icon and the smoke-test exit hook used by packaging/smoke_test.py.

Run in a child process: `run_gui` owns a whole application life (its event loop ends with quit),
which would leave the test process's own event loops ended too."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ksm_desktop.db.storage import open_database
from ksm_desktop.services import Actor, Services
from ksm_desktop.services.users import create_first_admin

RUN_THEN_REPORT_ICON = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from ksm_desktop.app import run_gui

code = run_gui(None, Path(sys.argv[1]))
sizes = QApplication.windowIcon().availableSizes()
print(code, sorted({s.width() for s in sizes}))
"""


def test_the_window_opens_with_the_app_icon_and_quits_when_asked(tmp_path: Path) -> None:
    db = tmp_path / "ksm.sqlite3"
    services = Services(open_database(path=db), Actor("admin", "admin"))
    create_first_admin(services.db, "amina", "a long password")
    Services(services.db, Actor("amina", "admin")).users.set_single_user_mode(True)  # no sign-in
    services.db.dispose()
    home = {
        "XDG_STATE_HOME": tmp_path / "state",  # the log folder on Linux
        "WIN_PD_OVERRIDE_LOCAL_APPDATA": tmp_path / "state",  # and on Windows (...\KSM Desktop\Logs)
        "XDG_DATA_HOME": tmp_path / "data",
        "KSM_CONFIG_DIR": tmp_path,
    }
    env = os.environ | {k: str(v) for k, v in home.items()} | {"KSM_SMOKE_EXIT_AFTER_MS": "10"}
    result = subprocess.run(  # without the hook the event loop would not end: the timeout fails it
        [sys.executable, "-c", RUN_THEN_REPORT_ICON, str(db)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    code, sizes = result.stdout.strip().split(" ", 1)
    assert code == "0"
    assert "16," in sizes and "256]" in sizes
    assert list((tmp_path / "state").rglob("*.log"))  # the log file was opened behind the window
