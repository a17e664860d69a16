"""The very first start on a new computer: no data, config or state folder yet. The program creates
them, welcomes the user (demo portfolio or empty database), then asks for the administrator account;
a failure while opening ends in a message and a window that offers to try again or to quit."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from ksm_desktop.ui import startup
from ksm_desktop.ui.login_dialog import LoginDialog
from ksm_desktop.ui.main_window import MainWindow
from ksm_desktop.ui.welcome_dialog import WelcomeDialog

PASSWORD = "a long password"

FIRST_START = """
import sys
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from ksm_desktop.cli import main
from ksm_desktop.ui.login_dialog import LoginDialog
from ksm_desktop.ui.welcome_dialog import WelcomeDialog

app = QApplication(sys.argv)

def look():
    dialog = QApplication.activeModalWidget()
    if isinstance(dialog, WelcomeDialog):
        print("welcome:", dialog.windowTitle())
        QTest.mouseClick(dialog.empty_button, Qt.MouseButton.LeftButton)
    elif isinstance(dialog, LoginDialog):
        print("account:", dialog.windowTitle(), dialog.first_run)
        dialog.reject()  # the user leaves here: the program ends with 0

timer = QTimer(interval=50)
timer.timeout.connect(look)
timer.start()
sys.exit(main([]))
"""


def test_the_first_start_with_an_empty_home_reaches_the_administrator_account(tmp_path: Path) -> None:
    """`ksm-desktop` with nothing in the user's home: no crash on the missing data folder."""
    home = tmp_path / "home"  # does not exist, nor anything below it
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KSM_", "XDG_"))}
    env |= {
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        # Windows: a new user profile's %LOCALAPPDATA% and %APPDATA%, as platformdirs reads them.
        "WIN_PD_OVERRIDE_LOCAL_APPDATA": str(home / "AppData" / "Local"),
        "WIN_PD_OVERRIDE_APPDATA": str(home / "AppData" / "Roaming"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    result = subprocess.run(
        [sys.executable, "-c", FIRST_START], capture_output=True, text=True, timeout=90, env=env
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert lines == ["welcome: Welcome to KSM Desktop", "account: Create the administrator account True"]
    if sys.platform == "win32":
        data = logs = home / "AppData" / "Local" / "KSM" / "KSM Desktop"
    else:
        data, logs = home / ".local" / "share" / "KSM Desktop", home / ".local" / "state"
    assert (data / "ksm.sqlite3").is_file() and not (data / "ksm.sqlite3.lock").exists()
    assert list(logs.rglob("ksm-desktop.log"))


def when_shown(kind: type[QWidget], act: Callable[[Any], None]) -> QTimer:
    """Act on the dialog of type `kind` as soon as it is the modal one (its exec() blocks the caller)."""
    timer = QTimer(interval=20)

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind):
            timer.stop()
            act(dialog)

    timer.timeout.connect(look)
    timer.start()
    return timer


def create_administrator(dialog: LoginDialog) -> None:
    """What a person types in the first-account dialog, then Enter."""
    assert dialog.first_run
    QTest.keyClicks(dialog.username, "amina")
    QTest.keyClicks(dialog.full_name, "Amina Bennani")
    QTest.keyClicks(dialog.password, PASSWORD)
    QTest.keyClicks(dialog.confirm, PASSWORD)
    QTest.keyClick(dialog.confirm, Qt.Key.Key_Return)


@pytest.mark.parametrize(("button", "has_demo"), [("demo_button", True), ("empty_button", False)])
def test_the_welcome_loads_the_demo_or_starts_empty(
    shell: MainWindow, qtbot: Any, tmp_path: Path, button: str, has_demo: bool
) -> None:
    path = tmp_path / "new folder" / "ksm.sqlite3"
    opening = startup.Opening(shell, None, path)
    timers = [
        when_shown(WelcomeDialog, lambda d: QTest.mouseClick(getattr(d, button), Qt.MouseButton.LeftButton)),
        when_shown(LoginDialog, create_administrator),
    ]
    try:
        with qtbot.waitSignal(shell.ready, timeout=60_000):
            QTimer.singleShot(0, opening.start)
        services = shell.services
        assert services is not None and services.actor.username == "amina"
        grants = services.grants.search().total
        assert (grants > 0) if has_demo else (grants == 0)
        assert (services.programmes.search().total > 0) == has_demo
    finally:
        for timer in timers:
            timer.stop()
        opening.close()
    assert not Path(f"{path}.lock").exists()


def test_closing_the_welcome_leaves_without_creating_a_database(
    shell: MainWindow, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    codes: list[int] = []
    path = tmp_path / "new" / "ksm.sqlite3"
    opening = startup.Opening(shell, None, path)
    monkeypatch.setattr(opening, "_quit", codes.append)
    timer = when_shown(WelcomeDialog, lambda d: QTest.keyClick(d, Qt.Key.Key_Escape))
    opening.start()
    timer.stop()
    assert codes == [0] and not path.exists()


def test_a_failed_opening_says_why_and_offers_to_try_again(
    shell: MainWindow, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The data folder cannot be created (a file has its name): a message in the window, never an
    endless "Opening the database…"; once the obstacle is gone, Try again opens it."""
    blocker = tmp_path / "KSM Desktop"
    blocker.write_text("not a folder")
    path = blocker / "ksm.sqlite3"
    opening = startup.Opening(shell, None, path)
    codes: list[int] = []
    monkeypatch.setattr(opening, "_quit", codes.append)
    timer = when_shown(WelcomeDialog, lambda d: QTest.mouseClick(d.empty_button, Qt.MouseButton.LeftButton))
    opening.start()
    timer.stop()
    assert opening.failed and codes == []
    assert shell.opening_label.text().startswith("The database could not be opened.")
    assert "KSM Desktop" in shell.opening_label.text()  # the file error names the path
    assert shell.retry_button.isVisible() and shell.quit_button.isVisible() and not shell.busy.isVisible()
    blocker.unlink()
    timer = when_shown(LoginDialog, create_administrator)
    try:
        with qtbot.waitSignal(shell.ready, timeout=60_000):
            QTest.mouseClick(shell.retry_button, Qt.MouseButton.LeftButton)  # not welcomed twice
        assert not opening.failed and shell.services is not None
    finally:
        timer.stop()
        opening.close()


def test_quit_after_a_failure_ends_with_exit_code_1(
    shell: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    codes: list[int] = []
    opening = startup.Opening(shell, None, tmp_path / "ksm.sqlite3")
    monkeypatch.setattr(opening, "_quit", codes.append)
    opening._failed(PermissionError(13, "Permission denied", str(tmp_path)))
    assert "Permission denied" in shell.opening_label.text()
    QTest.mouseClick(shell.quit_button, Qt.MouseButton.LeftButton)
    assert codes == [1]
