"""Composition root of the GUI: Qt application, language, database, services, main window.

KSM_SMOKE_EXIT_AFTER_MS (environment): quit that many milliseconds after the main window is shown,
with exit code 0. packaging/smoke_test.py uses it to prove the frozen GUI starts; nothing else should.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def run_gui(url: str | None, path: Path | None) -> int:
    """Open the main window on the database at `url` or `path`; returns the exit code."""
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication, QMessageBox

    from ksm_desktop import APP_NAME, ORG_NAME
    from ksm_desktop.db.storage import open_database
    from ksm_desktop.domain.errors import KsmError
    from ksm_desktop.logs import setup_logging
    from ksm_desktop.paths import ICONS_DIR
    from ksm_desktop.services import Actor, Services
    from ksm_desktop.ui.main_window import MainWindow

    setup_logging()
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    icon = QIcon()  # one crisp PNG per size, rendered from resources/icons/ksm-desktop.svg
    for png in sorted(ICONS_DIR.glob("ksm-desktop-*.png")):
        icon.addFile(str(png))
    QApplication.setWindowIcon(icon)
    try:
        db = open_database(url) if url else open_database(path=path)
    except KsmError as exc:
        QMessageBox.critical(None, APP_NAME, exc.message)
        return 1
    services = Services(db, Actor(os.environ.get("USERNAME") or os.environ.get("USER") or "admin"))
    window = MainWindow(services)
    window.show()
    smoke_exit_ms = os.environ.get("KSM_SMOKE_EXIT_AFTER_MS")
    if smoke_exit_ms:
        QTimer.singleShot(int(smoke_exit_ms), app.quit)
    return int(app.exec())
