"""Render the main window's pages, its shell while the database opens, the grant editor, the
duplicates review with its merge dialog and the double-dipping report, and the sign-in to PNG on
the demo portfolio, in French and in Arabic (right-to-left), at 1280×800 (`make screenshots`).

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
from ksm_desktop.services.dto import PersonInput
from ksm_desktop.services.users import create_first_admin
from ksm_desktop.ui.devtools import output_folder
from ksm_desktop.ui.forms.grant_dialog import GrantDialog
from ksm_desktop.ui.forms.person_dialog import PersonDialog
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
    out = output_folder(
        argv,
        "python -m ksm_desktop.ui.devtools.screenshots",
        "Render the main views and the dialogs to PNG files, in French, Arabic and English.",
    )
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
                if page.name == "duplicates":  # rendered by render_duplicates, on a registry with some
                    continue
                path = out / f"main-{page.name}-{lang}.png"
                render(window, app, page.name, path)
                print(path)
            window.close()
        chems = services.grants.search(ListQuery(text="chems")).rows[0].id
        for lang in ("fr", "ar", "en"):
            apply_language(app, lang)
            editor = GrantDialog(services, chems)
            editor.resize(980, 720)
            editor.show()
            settle(app)
            editor.grab().save(str(out / f"form-grant-{lang}.png"))
            print(out / f"form-grant-{lang}.png")
            editor.close()
        add_evidence(services, chems)
        for lang in ("fr", "ar"):
            apply_language(app, lang)
            editor = GrantDialog(services, chems)
            editor.resize(980, 720)
            editor.tabs.setCurrentWidget(editor.attachments)
            editor.show()
            settle(app)
            editor.grab().save(str(out / f"form-grant-attachments-{lang}.png"))
            print(out / f"form-grant-attachments-{lang}.png")
            editor.close()
        for path in render_person_duplicates(app, services, out):
            print(path)
        apply_language(app, "fr")
        shell = MainWindow()  # what shows at once on launch, while the database opens behind it
        shell.resize(*SIZE)
        shell.show()
        settle(app)
        shell.grab().save(str(out / "main-opening-fr.png"))
        print(out / "main-opening-fr.png")
        shell.close()
        for path in render_duplicates(app, services, out):
            print(path)
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


def render_person_duplicates(app: QApplication, services: Services, out: Path) -> list[Path]:
    """The new-person form once a registered person was recognised in another spelling."""
    services.persons.create(
        PersonInput(
            "Mohamed",
            "Benali",
            "M",
            full_name_ar="محمد بن علي",
            cin="AB123456",
            birth_year=1980,
            phone="0661234567",
        )
    )
    paths = []
    for lang in ("fr", "ar"):
        apply_language(app, lang)
        form = PersonDialog(services, None)
        form.resize(900, 860)
        form.show()
        form.first_name.setText("Mohammed")
        form.last_name.setText("Ben Ali")
        form.sex.set_value("M")
        form.birth_year.setValue(1980)
        form.phone.setText("06 61 23 45 67")
        form.look_up()
        settle(app)
        path = out / f"form-person-duplicates-{lang}.png"
        form.grab().save(str(path))
        paths.append(path)
        form.dirty = False
        form.close()
    return paths


def render_duplicates(app: QApplication, services: Services, out: Path) -> list[Path]:
    """The Duplicates page with a pair selected, its merge dialog and the double-dipping tab, after
    registering two demo members a second time and equipping one nomad family twice."""
    from decimal import Decimal

    from ksm_desktop.services.dto import GrantInput, GrantItemInput, PersonInput
    from ksm_desktop.ui.duplicates_page import DuplicatesPage

    members = {(r.first_name, r.last_name): r for r in services.persons.search(ListQuery(limit=None)).rows}
    aziz, rachida = members["Aziz", "Ait Ali"], members["Rachida", "Ait Baha"]
    services.persons.create(PersonInput("Aziz", "Aït-Ali", "M", cin="ZZ100404", birth_year=aziz.birth_year))
    services.persons.create(
        PersonInput(
            "Rashida", "Aït Baha", "F", full_name_ar="رشيدة آيت باها", birth_year=1984, phone=rachida.phone
        )
    )
    family = services.households.search(ListQuery(limit=1)).rows[0]
    head = services.households.get(family.id).head_id
    services.grants.create(
        GrantInput(
            purpose="Kit solaire",
            programme_id=services.programmes.get_by_code("TAMKIN").id,
            person_id=head,
            items=[GrantItemInput("Kit solaire", Decimal("1"), Decimal("590"))],
        )
    )
    paths = []
    for lang in ("fr", "ar"):
        apply_language(app, lang)
        window = MainWindow(services)
        window.resize(*SIZE)
        window.show()
        window.db_label.setText(_("Database: {url}").format(url=DATABASE_LABEL))
        window.show_page("duplicates")
        settle(app)
        page = window.page("duplicates")
        assert isinstance(page, DuplicatesPage)
        page.review.table.setCurrentCell(0, 0)
        settle(app)
        paths.append(out / f"main-duplicates-{lang}.png")
        window.grab().save(str(paths[-1]))
        page.review.open_merge()
        dialog = page.review.merge_dialog
        assert dialog is not None
        settle(app)
        paths.append(out / f"form-merge-{lang}.png")
        dialog.grab().save(str(paths[-1]))
        dialog.reject()
        page.setCurrentWidget(page.double_dipping)
        settle(app)
        paths.append(out / f"main-double-dipping-{lang}.png")
        window.grab().save(str(paths[-1]))
        window.close()
    apply_language(app, "fr")
    return paths


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
