"""Composition root of the GUI: Qt application, language, error hook, the main window on screen,
then the database and services behind it. Heavy modules (SQLAlchemy, reports, spreadsheets,
Alembic) load off the GUI thread or only when used.

KSM_SMOKE_EXIT_AFTER_MS (environment): quit that many milliseconds after the main window is ready
on its database, with exit code 0. packaging/smoke_test.py uses it to prove the frozen GUI starts;
nothing else should.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ksm_desktop.ui.startup import Opening

WINDOW_OPTIONS = ("--db", "--lang")  # what `ksm-desktop` may be given to open the window directly
PAINT_WAIT_MS = 250  # the opening starts after the window's first paint, or this long after it is shown


def window_arguments(argv: Sequence[str]) -> dict[str, str] | None:
    """The options of a launch that only opens the window (`--db FILE`, `--lang LANG`, each at
    most once, `--db=FILE` too), else None: a command, help, a server URL or a mistake is for the
    command line's parser, which explains it."""
    options: dict[str, str] = {}
    rest = list(argv)
    while rest:
        name, equals, value = rest.pop(0).partition("=")
        if name not in WINDOW_OPTIONS or name in options:
            return None
        if not equals:
            if not rest or rest[0].startswith("-"):
                return None
            value = rest.pop(0)
        options[name] = value
    return options


def launch_window(argv: Sequence[str]) -> int | None:
    """`ksm-desktop` with at most a database file and a language: the window, without building the
    command line's parsers first; None when the arguments are for the command line (see
    `window_arguments`; a language we do not speak, or a server URL in KSM_DB_URL, too)."""
    options = window_arguments(argv)
    if options is None or (not options.get("--db") and os.environ.get("KSM_DB_URL")):
        return None
    from ksm_desktop.ui.import_hook import quicken_pyside_imports

    quicken_pyside_imports()  # before our imports: each one pays for PySide's check
    from ksm_desktop.config import database_file
    from ksm_desktop.i18n import LANGUAGES, choose_language, set_language

    lang = options.get("--lang")
    if lang is not None and lang not in LANGUAGES:
        return None
    set_language(choose_language(lang))
    return run_gui(None, database_file(options.get("--db")))


def run_gui(url: str | None, path: Path | None) -> int:
    """Open the main window on the database at `url` or `path`; returns the exit code.

    The window is shown first, as a shell, and `ui.startup.Opening` fills it: for a SQLite file the
    instance lock and the check of the file, then the opening, the sign-in and the pages, with
    automatic backups while the window is open and a last copy on a clean exit.
    """
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ksm_desktop.ui.import_hook import quicken_pyside_imports

    quicken_pyside_imports()  # before the other imports: each one pays for PySide's check

    from ksm_desktop import APP_NAME, ORG_NAME
    from ksm_desktop.i18n import current_language
    from ksm_desktop.ui.collector import collect_on_gui_thread
    from ksm_desktop.ui.errors import install_excepthook
    from ksm_desktop.ui.icons import app_icon
    from ksm_desktop.ui.language import apply_language
    from ksm_desktop.ui.main_window import MainWindow

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    install_excepthook()
    collect_on_gui_thread(app)
    apply_language(app, current_language())  # chosen by the CLI: --lang, preferences or the system
    QApplication.setWindowIcon(app_icon())
    window = MainWindow()
    smoke_exit_ms = os.environ.get("KSM_SMOKE_EXIT_AFTER_MS")
    if smoke_exit_ms:  # counted from the window ready on its data: the smoke test proves the database opened
        window.ready.connect(lambda: QTimer.singleShot(int(smoke_exit_ms), app.quit))
    window.show()
    openings: list[Opening] = []

    def begin() -> None:
        """Once the window is painted: the opening's machinery (worker threads, dialogs, the
        checks) loads and starts. Qt's first event-loop turn comes before the first paint, so the
        turn after the paint is awaited (or PAINT_WAIT_MS, for a window started minimised)."""
        if openings:
            return
        from ksm_desktop.ui.startup import Opening

        openings.append(Opening(window, url, path))
        openings[0].start()

    window.first_painted.connect(lambda: QTimer.singleShot(0, begin))
    QTimer.singleShot(PAINT_WAIT_MS, begin)
    try:
        return int(app.exec()) or int(any(opening.failed for opening in openings))  # a failed opening: 1
    finally:
        from ksm_desktop.ui.workers import wait_for_jobs

        wait_for_jobs(60_000)  # no background query or migration may outlive the interpreter
        for opening in openings:
            opening.close()
        if window.restart_requested:  # a new language: the database is released, start again
            import subprocess

            from ksm_desktop.ui.language import relaunch_command

            subprocess.Popen(relaunch_command(), start_new_session=True)
