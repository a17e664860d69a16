"""Render the main window's pages to PNG on the demo portfolio (`make screenshots`).

python -m ksm_desktop.ui.screenshots docs/screenshots
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from ksm_desktop import APP_NAME, ORG_NAME
from ksm_desktop.db.storage import open_database
from ksm_desktop.services import Actor, Services
from ksm_desktop.services.demo import load_demo
from ksm_desktop.ui.language import apply_language
from ksm_desktop.ui.main_window import MainWindow
from ksm_desktop.ui.workers import wait_for_jobs

SIZE = (1280, 800)
PAGES = ("dashboard", "organisations", "members", "programmes", "grants")


def settle(app: QApplication) -> None:
    """Let background loads finish and their results reach the widgets."""
    for _round in range(6):
        wait_for_jobs()
        app.processEvents()


def render(window: MainWindow, app: QApplication, page: str, path: Path) -> None:
    window.show_page(page)
    settle(app)
    window.grab().save(str(path))


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    with tempfile.TemporaryDirectory() as tmp:
        # Never read or change the user's own window settings.
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tmp)
        services = Services(open_database(path=Path(tmp) / "demo.sqlite3"), Actor("f.ouhaddou"))
        load_demo(services)
        for lang, pages in (("fr", PAGES), ("ar", ("members", "grants"))):
            apply_language(app, lang)
            window = MainWindow(services)
            window.resize(*SIZE)
            window.show()
            for page in pages:
                name = page if lang == "fr" else f"{page}-{lang}-rtl"
                render(window, app, page, out / f"{name}.png")
                print(out / f"{name}.png")
            window.close()
        services.db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
