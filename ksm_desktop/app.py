"""Composition root of the GUI: Qt application, language, error hook, database, services, main
window. Heavy modules (reports, spreadsheets, Alembic) load only when used.

KSM_SMOKE_EXIT_AFTER_MS (environment): quit that many milliseconds after the main window is shown,
with exit code 0. packaging/smoke_test.py uses it to prove the frozen GUI starts; nothing else should.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def run_gui(url: str | None, path: Path | None) -> int:
    """Open the main window on the database at `url` or `path`; returns the exit code.

    For a SQLite file: instance lock, file check (recovery), then sign-in, automatic backups while
    the window is open and a last copy on a clean exit.
    """
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication, QMessageBox

    from ksm_desktop import APP_NAME, ORG_NAME
    from ksm_desktop.db.storage import open_database
    from ksm_desktop.domain.errors import KsmError
    from ksm_desktop.i18n import current_language
    from ksm_desktop.logs import setup_logging
    from ksm_desktop.paths import ICONS_DIR
    from ksm_desktop.services import Services
    from ksm_desktop.ui.errors import install_excepthook
    from ksm_desktop.ui.language import apply_language
    from ksm_desktop.ui.main_window import MainWindow
    from ksm_desktop.ui.startup import BackupScheduler, check_file, reopen_read_only, sign_in, take_lock
    from ksm_desktop.ui.workers import wait_for_jobs

    setup_logging()
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    install_excepthook()
    apply_language(app, current_language())  # chosen by the CLI: --lang, preferences or the system
    icon = QIcon()  # one crisp PNG per size, rendered from resources/icons/ksm-desktop.svg
    for png in sorted(ICONS_DIR.glob("ksm-desktop-*.png")):
        icon.addFile(str(png))
    QApplication.setWindowIcon(icon)
    smoke_exit_ms = os.environ.get("KSM_SMOKE_EXIT_AFTER_MS")
    if smoke_exit_ms:  # armed before the start-up dialogs: quitting also closes a waiting sign-in
        QTimer.singleShot(int(smoke_exit_ms), app.quit)
    lock, backup_dir = None, None
    if path is not None and not url:
        backup_dir = backup_dir_for(path)
        lock, go_on = take_lock(path)
        if not go_on:
            return 0
        if lock is not None:  # alone on this file: it may be checked (and set aside if damaged)
            check_file(path, backup_dir)
    try:
        try:
            db = open_database(url) if url else open_database(path=path, backup_dir=backup_dir)
        except KsmError as exc:
            QMessageBox.critical(None, APP_NAME, exc.message)
            return 1
        actor = sign_in(db)
        if actor is None:
            db.dispose()
            return 0
        if path is not None and not url and lock is None:
            db, actor = reopen_read_only(db, actor)
        window = MainWindow(Services(db, actor))
        scheduler = None
        if lock is not None and db.path is not None and db.backup_dir is not None:
            from ksm_desktop.db.backups_policy import AutoBackup

            scheduler = BackupScheduler(AutoBackup(db.path, db.backup_dir), window)
            scheduler.message.connect(lambda text: window.statusBar().showMessage(text, 15_000))
            scheduler.start()
        window.show()
        try:
            return int(app.exec())
        finally:
            wait_for_jobs()  # no background query may outlive the database or the interpreter
            if scheduler is not None:
                scheduler.on_exit()
            window.services.db.dispose()  # the window's database: a restore may have reopened it
    finally:
        if lock is not None:
            lock.release()


def backup_dir_for(path: Path) -> Path:
    """The backup folder chosen in the preferences, else "backups" next to the database."""
    from ksm_desktop.config import Preferences

    chosen = Preferences.load().backup_dir
    return Path(chosen) if chosen else path.parent / "backups"
