"""Render the main window's pages, its shell while the database opens, the grant editor and the
sign-in to PNG on the demo portfolio, in French and in Arabic (right-to-left), at 1280×800 (`make screenshots`).

python -m ksm_desktop.ui.devtools.screenshots docs/screenshots
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
from ksm_desktop.demo.portfolio import load_demo
from ksm_desktop.domain.enums import AccountRole
from ksm_desktop.i18n import _
from ksm_desktop.services import Actor, ListQuery, Services
from ksm_desktop.services.users import create_first_admin
from ksm_desktop.ui.forms.grant_editor import GrantEditor
from ksm_desktop.ui.language import apply_language
from ksm_desktop.ui.login_dialog import LoginDialog
from ksm_desktop.ui.main_window import PAGES, MainWindow
from ksm_desktop.ui.qt_checked import application
from ksm_desktop.ui.workers import wait_for_jobs

SIZE = (1366, 768)  # the office laptops
DATABASE_LABEL = "ksm.sqlite3"  # shown instead of the temporary path


def settle(app: QApplication) -> None:
    """Let background loads finish and their results reach the widgets."""
    for _round in range(6):
        wait_for_jobs()
        app.processEvents()


def render(window: MainWindow, app: QApplication, page: str, path: Path) -> None:
    window.show_page(page)
    settle(app)
    window.grab().save(str(path))


def _photo(width: int, height: int, sky: str, ground: str) -> bytes:
    """A drawn stand-in for a phone photo of equipment in place (no real person or place)."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), sky)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, height * 2 // 3, width, height), fill=ground)
    draw.rectangle((width // 3, height // 3, width * 2 // 3, height * 3 // 4), fill="#5b6770")
    draw.ellipse((width // 3 + 20, height // 3 + 20, width // 3 + 90, height // 3 + 90), fill="#d9dde0")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def add_evidence(services: Services, grant_id: int) -> None:
    """The grant's sheet as its signed PV, and two photos of the equipment."""
    from ksm_desktop.reports import render_grant_sheet

    number = services.grants.get(grant_id).number
    files = [
        (render_grant_sheet(services, number, "fr"), "signed_pv", "PV signé.pdf"),
        (_photo(1200, 900, "#9cc3e6", "#c9a26b"), "photo", "IMG_2041.jpg"),
        (_photo(1200, 900, "#f0d9a8", "#8c6b4a"), "photo", "IMG_2042.jpg"),
    ]
    for data, kind, name in files:
        services.attachments.add("grant", grant_id, data, kind, filename=name)


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = application()
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    with tempfile.TemporaryDirectory() as tmp:
        # Never read or change the user's own window settings.
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tmp)
        db = open_database(path=Path(tmp) / "demo.sqlite3")
        create_first_admin(db, "f.ouhaddou", "screenshots only", "Fatima Ouhaddou")
        services = Services(db, Actor("f.ouhaddou", AccountRole.ADMIN))
        load_demo(services)
        for lang in ("fr", "ar"):
            apply_language(app, lang)
            window = MainWindow(services)
            window.resize(*SIZE)
            window.show()
            window.db_label.setText(_("Database: {url}").format(url=DATABASE_LABEL))
            for page in PAGES:
                path = out / f"main-{page.name}-{lang}.png"
                render(window, app, page.name, path)
                print(path)
            window.close()
        chems = services.grants.search(ListQuery(text="chems")).rows[0].id
        for lang in ("fr", "ar", "en"):
            apply_language(app, lang)
            editor = GrantEditor(services, chems)
            editor.resize(980, 720)
            editor.show()
            settle(app)
            editor.grab().save(str(out / f"form-grant-{lang}.png"))
            print(out / f"form-grant-{lang}.png")
            editor.close()
        add_evidence(services, chems)
        for lang in ("fr", "ar"):
            apply_language(app, lang)
            editor = GrantEditor(services, chems)
            editor.resize(980, 720)
            editor.tabs.setCurrentWidget(editor.attachments)
            editor.show()
            settle(app)
            editor.grab().save(str(out / f"form-grant-attachments-{lang}.png"))
            print(out / f"form-grant-attachments-{lang}.png")
            editor.close()
        apply_language(app, "fr")
        shell = MainWindow()  # what shows at once on launch, while the database opens behind it
        shell.resize(*SIZE)
        shell.show()
        settle(app)
        shell.grab().save(str(out / "main-opening-fr.png"))
        print(out / "main-opening-fr.png")
        shell.close()
        login = LoginDialog(db)
        login.username.setText("f.ouhaddou")
        login.show()
        settle(app)
        login.grab().save(str(out / "login-fr.png"))
        print(out / "login-fr.png")
        db.dispose()
    for path in render_welcome(app, out):
        print(path)
    return 0


def render_welcome(app: QApplication, out: Path) -> list[Path]:
    """The welcome of the very first start, in French and Arabic."""
    from ksm_desktop.ui.welcome_dialog import WelcomeDialog

    paths = []
    for lang in ("fr", "ar"):
        apply_language(app, lang)
        welcome = WelcomeDialog()
        welcome.show()
        settle(app)
        paths.append(out / f"welcome-{lang}.png")
        welcome.grab().save(str(paths[-1]))
        welcome.close()
    apply_language(app, "fr")
    return paths


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
