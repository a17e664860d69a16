"""Composition root of the GUI: Qt application, language, database, services, main window."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def run_gui(url: str | None, path: Path | None) -> int:
    """Open the main window on the database at `url` or `path`; returns the exit code."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    from ksm_desktop import APP_NAME, ORG_NAME
    from ksm_desktop.db.storage import open_database
    from ksm_desktop.domain.errors import KsmError
    from ksm_desktop.logs import setup_logging
    from ksm_desktop.services import Actor, Services
    from ksm_desktop.ui.main_window import MainWindow

    setup_logging()
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    try:
        db = open_database(url) if url else open_database(path=path)
    except KsmError as exc:
        QMessageBox.critical(None, APP_NAME, exc.message)
        return 1
    services = Services(db, Actor(os.environ.get("USERNAME") or os.environ.get("USER") or "admin"))
    window = MainWindow(services)
    window.show()
    return int(app.exec())
