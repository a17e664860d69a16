"""The GUI entry: opens the window on a database, refuses a bad file with a message and exit 1."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ksm_desktop.app import run_gui, window_arguments
from ksm_desktop.db.storage import open_database
from ksm_desktop.services import Actor, Services
from ksm_desktop.services.users import create_first_admin

SHOW_THEN_QUIT = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from ksm_desktop.app import run_gui
from ksm_desktop.ui.main_window import MainWindow

app = QApplication(sys.argv)

def look():
    windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    print(len(windows), windows[0].services is None, end=" ")  # on screen, the database still opening
    print("ksm_desktop.ui.startup" in sys.modules, end=" ")  # the opening's steps load after it
    painted = lambda: print("ksm_desktop.ui.startup" in sys.modules, end=" ")  # noqa: E731
    windows[0].first_painted.connect(painted)  # after its first paint, even (Qt paints after this turn)
    windows[0].ready.connect(lambda: (print(windows[0].user_label.text()), app.quit()))

QTimer.singleShot(0, look)
sys.exit(run_gui(None, Path(sys.argv[1])))
"""


@pytest.mark.sqlite_only  # opens the file and checks its lock
def test_run_gui_shows_the_main_window_and_exits_cleanly(demo: Services) -> None:
    """In its own process: a real event loop started and quit, then the database closed."""
    create_first_admin(demo.db, "amina", "a long password")
    Services(demo.db, Actor("amina", "admin")).users.set_single_user_mode(True)  # no sign-in dialog
    result = subprocess.run(
        [sys.executable, "-c", SHOW_THEN_QUIT, str(demo.db.path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    shown, opening, steps_loaded, steps_loaded_at_paint, label = result.stdout.strip().split(" ", 4)
    assert shown == "1" and opening == "True"  # one window, shown before the database is open
    assert steps_loaded == steps_loaded_at_paint == "False"  # and painted before the opening's
    # threads, checks and dialogs are loaded
    assert "amina" in label  # then the user in the status bar
    assert not Path(f"{demo.db.path}.lock").exists()  # the instance lock released on exit


QUIT_WHILE_OPENING = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from ksm_desktop.app import run_gui

app = QApplication(sys.argv)
QTimer.singleShot(0, app.quit)  # the first turn: the database is still being checked and opened
code = run_gui(None, Path(sys.argv[1]))
print(code)
sys.exit(code)
"""


@pytest.mark.sqlite_only  # opens the file and checks its lock
def test_quitting_while_the_database_opens_leaves_it_whole_and_unlocked(demo: Services) -> None:
    assert demo.db.path is not None
    before = demo.grants.search().total
    demo.db.dispose()
    result = subprocess.run(
        [sys.executable, "-c", QUIT_WHILE_OPENING, str(demo.db.path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and result.stdout.strip() == "0", result.stderr
    assert "Traceback" not in result.stderr
    assert not Path(f"{demo.db.path}.lock").exists()
    assert demo.grants.search().total == before  # the same database, opened again


def test_run_gui_sets_aside_a_file_that_is_not_a_database(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from ksm_desktop.ui import recovery_dialog, startup

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    checks: list[Any] = []
    monkeypatch.setattr(recovery_dialog, "offer_recovery", lambda _p, check, _path: checks.append(check))
    monkeypatch.setattr(startup, "sign_in", lambda _db, _parent=None: None)  # then the user cancels
    bad = tmp_path / "notes.sqlite3"
    bad.write_text("this is not a database" * 100)
    assert run_gui(None, bad) == 0
    assert checks and checks[0].moved_aside is not None  # the user is told, nothing deleted
    assert checks[0].moved_aside.read_text() == "this is not a database" * 100


def test_a_window_that_does_not_paint_still_opens_its_database(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Started minimised, the window paints only when restored: the opening does not wait for it."""
    from PySide6.QtWidgets import QMainWindow

    from ksm_desktop.ui import startup
    from ksm_desktop.ui.main_window import MainWindow

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(MainWindow, "paintEvent", QMainWindow.paintEvent)  # never says it painted
    signed_in: list[object] = []
    monkeypatch.setattr(startup, "sign_in", lambda db, _parent=None: signed_in.append(db))  # then leaves
    path = tmp_path / "ksm.sqlite3"
    create_first_admin(open_database(path=path), "amina", "a long password")
    assert run_gui(None, path) == 0
    assert signed_in  # opened and asked for the sign-in


@pytest.mark.sqlite_only  # the start-up check is SQLite's
def test_the_start_runs_sqlites_full_check_once(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check under the instance lock found the file sound: opening it does not check it again
    (on a large file the full check is the longest step of the start)."""
    from ksm_desktop.db import backup, recovery, storage
    from ksm_desktop.ui import startup

    path = services.db.path
    assert path is not None
    services.db.dispose()
    checked: list[Path] = []

    def counted(checked_path: Path) -> list[str]:
        checked.append(checked_path)
        return backup.integrity_problems(checked_path)

    monkeypatch.setattr(recovery, "integrity_problems", counted)
    monkeypatch.setattr(storage, "integrity_problems", counted)
    monkeypatch.setattr(startup, "sign_in", lambda _db, _parent=None: None)  # opened, then the user leaves
    assert run_gui(None, path) == 0
    assert checked == [path]


def _loaded_after(setup: str, modules: tuple[str, ...]) -> list[str]:
    """Which of `modules` a fresh interpreter has imported once `setup` ran."""
    code = f"import sys; {setup}; print([m for m in {modules!r} if m in sys.modules])"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    return list(ast.literal_eval(result.stdout.strip()))


def test_no_heavy_module_on_the_start_path() -> None:
    """Before the window shows: no PDF, spreadsheet, migration or database library (SQLAlchemy is
    imported once the window is on screen: after the first figures, or while a first start asks
    its questions)."""
    heavy = ("reportlab", "openpyxl", "alembic", "sqlalchemy")
    assert (
        _loaded_after("import ksm_desktop.app, ksm_desktop.ui.main_window, ksm_desktop.ui.startup", heavy)
        == []
    )


def test_the_command_line_opens_the_window_without_what_its_commands_print() -> None:
    """Dates and amounts are printed by commands only: the window's way through the command
    line does not load their modules."""
    setup = "import ksm_desktop.__main__, ksm_desktop.app, ksm_desktop.ui.main_window, ksm_desktop.ui.startup"
    assert _loaded_after(setup, ("datetime", "decimal")) == []


def test_the_dashboard_opens_without_photos_pdf_spreadsheets_or_fuzzy_matching() -> None:
    """What the window imports before the first figures: none of the libraries of other use cases."""
    setup = "from ksm_desktop.ui.startup import prepare_off_screen; prepare_off_screen()"
    assert _loaded_after(setup, ("PIL", "pypdfium2", "openpyxl", "rapidfuzz", "reportlab")) == []


FIRST_FIGURES = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from ksm_desktop.app import run_gui
from ksm_desktop.ui.main_window import MainWindow

app = QApplication(sys.argv)

def look():
    window = next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow))
    def first():  # read before SQLAlchemy is imported
        window.figures_shown.disconnect(first)
        print([m for m in ("sqlalchemy", *sys.argv[2:]) if m in sys.modules])
    def shown():
        print([m for m in sys.argv[2:] if m in sys.modules])
        app.quit()
    window.figures_shown.connect(first)
    window.ready.connect(lambda: window.dashboard.refreshed.connect(shown))

QTimer.singleShot(0, look)
sys.exit(run_gui(None, Path(sys.argv[1])))
"""


@pytest.mark.sqlite_only  # the start on a SQLite file
def test_the_first_figures_need_no_list_service_server_dialect_or_password_hashing(
    services: Services,
) -> None:
    """From launch to the dashboard's first figures (single-user mode): not SQLAlchemy at all (they
    are read with sqlite3); and up to the services' figures that follow, not the list services and
    their records, not SQLAlchemy's PostgreSQL dialect (with its asyncpg driver), not Argon2:
    they load when a list is opened, a server used or a password checked."""
    create_first_admin(services.db, "amina", "a long password")
    Services(services.db, Actor("amina", "admin")).users.set_single_user_mode(True)
    services.db.dispose()
    later = (
        "ksm_desktop.services.dto",
        "ksm_desktop.services.programmes",
        "sqlalchemy.dialects.postgresql",
        "argon2",
    )
    result = subprocess.run(
        [sys.executable, "-c", FIRST_FIGURES, str(services.db.path), *later],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    first, then = (ast.literal_eval(line) for line in result.stdout.strip().splitlines()[-2:])
    assert first == [] and then == []


ENTRY_POINT_WINDOW = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from ksm_desktop.ui.main_window import MainWindow

app = QApplication(sys.argv)

def look():
    window = next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
    print([m for m in ("ksm_desktop.cli", "ksm_desktop.cli.core") if m in sys.modules], end=" ")
    print(app.isRightToLeft(), end=" ")
    window.ready.connect(lambda: (print(window.user_label.text()), app.quit()))

QTimer.singleShot(0, look)  # the first turn of the event loop: the window on screen
from ksm_desktop.__main__ import main
main(["--db", sys.argv[1], "--lang", "ar"])
"""


@pytest.mark.sqlite_only  # opens the file and checks its lock
def test_ksm_desktop_with_a_file_and_a_language_opens_the_window_without_the_command_line(
    services: Services,
) -> None:
    """`ksm-desktop --db FILE --lang ar`: the window in Arabic on that file, with none of the
    command line's modules (every command's parser) loaded before it shows."""
    create_first_admin(services.db, "amina", "a long password")
    Services(services.db, Actor("amina", "admin")).users.set_single_user_mode(True)
    services.db.dispose()
    result = subprocess.run(
        [sys.executable, "-c", ENTRY_POINT_WINDOW, str(services.db.path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    modules, right_to_left, label = result.stdout.strip().split(" ", 2)
    assert modules == "[]" and right_to_left == "True"
    assert "amina" in label


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--lang", "xx"], "--lang"),
        (["--db"], "--db"),
        (["--lang=de"], "--lang"),
        (["--db", "k.sqlite3", "--lang"], "--lang"),
    ],
)
def test_a_mistaken_launch_gets_the_command_lines_usage_error(
    args: list[str], option: str, tmp_path: Path
) -> None:
    """What the window's short way does not take is explained by the full parser: usage, exit 2."""
    env = os.environ | {"KSM_CONFIG_DIR": str(tmp_path), "LC_ALL": "C", "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "ksm_desktop", *args], capture_output=True, text=True, timeout=120, env=env
    )
    assert result.returncode == 2
    assert "usage" in result.stderr and option in result.stderr
    assert "Traceback" not in result.stderr


def test_only_a_file_and_a_language_take_the_windows_short_way() -> None:
    assert window_arguments([]) == {}
    assert window_arguments(["--db", "k.sqlite3", "--lang", "ar"]) == {"--db": "k.sqlite3", "--lang": "ar"}
    assert window_arguments(["--db=k.sqlite3"]) == {"--db": "k.sqlite3"}
    for args in (
        ["--db", "k.sqlite3", "check"],  # a command
        ["--db-url", "postgresql://server/ksm"],
        ["--help"],
        ["--db"],
        ["--db", "--lang", "ar"],
        ["--lang", "ar", "--lang", "fr"],
        ["--la", "ar"],  # argparse's abbreviations: its own rules apply
    ):
        assert window_arguments(args) is None, args


def test_a_command_through_the_entry_point_loads_no_qt() -> None:
    setup = "from ksm_desktop.app import launch_window; assert launch_window(['--db', 'k.sqlite3', 'check']) is None"
    assert _loaded_after(setup, ("PySide6",)) == []
