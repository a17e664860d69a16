"""Sign-in, restore, recovery prompt and audit view, driven as a user would."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from ksm_desktop.db.backups_policy import AutoBackup
from ksm_desktop.db.engine import Database
from ksm_desktop.db.recovery import check_at_start
from ksm_desktop.db.storage import open_database
from ksm_desktop.services import Actor, ListQuery, Services
from ksm_desktop.services.dto import OrganisationInput
from ksm_desktop.services.users import create_first_admin
from ksm_desktop.ui.audit_view import AuditView
from ksm_desktop.ui.login_dialog import LoginDialog
from ksm_desktop.ui.recovery_dialog import damaged_box
from ksm_desktop.ui.restore_dialog import RestoreDialog

PASSWORD = "correct horse battery"


def test_first_run_creates_the_admin_then_sign_in(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    first = LoginDialog(db)
    qtbot.addWidget(first)
    assert first.first_run
    first.username.setText("amina")
    first.password.setText(PASSWORD)
    first.confirm.setText("different password")
    first.submit()
    assert first.actor is None and "differ" in first.error.text()
    first.confirm.setText(PASSWORD)
    first.password.setText(PASSWORD)
    first.submit()
    assert first.actor == Actor("amina", "admin")
    login = LoginDialog(db)
    qtbot.addWidget(login)
    login.show()
    login.username.setText("amina")
    login.password.setText("wrong password")
    login.submit()
    assert login.actor is None and "Wrong" in login.error.text() and login.password.text() == ""
    login.grab().save(str(tmp_path / "login.png"))
    login.password.setText(PASSWORD)
    login.submit()
    assert login.actor == Actor("amina", "admin")


@pytest.mark.sqlite_only  # backups of the SQLite file
def test_restore_dialog_lists_backups_and_restores(
    qtbot: QtBot, demo: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, windows_open_files: None
) -> None:
    assert demo.db.path is not None and demo.db.backup_dir is not None
    errors: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text: errors.append(text))
    made = AutoBackup(demo.db.path, demo.db.backup_dir).run("manual")
    grants = demo.grants.search().total
    demo.db.dispose()  # as the window does before a restore: no query may reopen it from here
    other = open_database(path=demo.db.path.with_name("terrain.sqlite3"))  # its copies share the folder
    assert other.path is not None
    tomorrow = dt.datetime.now() + dt.timedelta(days=1)
    AutoBackup(other.path, demo.db.backup_dir, lambda: tomorrow).run("manual")
    other.dispose()
    dialog = RestoreDialog(demo.db.path, demo.db.backup_dir)
    qtbot.addWidget(dialog)
    dialog.show()
    assert [b.path for b in dialog.backups] == [made] and dialog.table.rowCount() == 1
    texts = [dialog.table.item(0, c).text() for c in range(dialog.table.columnCount())]
    assert str(grants) in texts[-1].replace("\u202f", "").replace(",", "")
    dialog.grab().save(str(tmp_path / "restore.png"))
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert errors == []
    assert dialog.aside is not None and dialog.aside.exists() and dialog.source == made


@pytest.mark.sqlite_only  # the file being restored
def test_a_restore_waits_for_a_background_job_reading_the_database(
    qtbot: QtBot, demo: Services, monkeypatch: pytest.MonkeyPatch, windows_open_files: None
) -> None:
    """The window's minute backup check reads the file in the background, also while the restore
    dialog is open: clicking Restore at that moment must not fail on Windows, which refuses to
    move a file that job holds open."""
    import sqlite3
    import threading
    import time

    from ksm_desktop.ui.workers import run_in_background

    path, backup_dir = demo.db.path, demo.db.backup_dir
    assert path is not None and backup_dir is not None
    AutoBackup(path, backup_dir).run("manual")
    demo.db.dispose()
    errors: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text: errors.append(text))
    dialog = RestoreDialog(path, backup_dir)
    qtbot.addWidget(dialog)
    reading = threading.Event()

    def check() -> None:  # like the backup check: a short read-only look at the file
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            conn.execute("SELECT count(*) FROM audit_entry").fetchone()
            reading.set()
            time.sleep(0.5)
        finally:
            conn.close()

    run_in_background(check, lambda _result: None)
    assert reading.wait(10)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert errors == []
    assert dialog.aside is not None and dialog.aside.exists()


@pytest.mark.sqlite_only  # backups of the SQLite file
def test_recovery_prompt_offers_the_latest_good_backup(qtbot: QtBot, demo: Services, tmp_path: Path) -> None:
    path = demo.db.path
    assert path is not None
    AutoBackup(path, tmp_path / "auto").run("manual")
    demo.db.dispose()
    path.write_bytes(b"garbage" * 1000)
    box = damaged_box(None, check_at_start(path, tmp_path / "auto"))
    qtbot.addWidget(box)
    assert "moved aside" in box.text() and "Restore the backup" in box.informativeText()


def test_audit_view_shows_changes(qtbot: QtBot, services: Services, tmp_path: Path) -> None:
    services.organisations.create(OrganisationInput(kind="cooperative", name="Coopérative Malika"))
    admin = Services(services.db, Actor("amina", "admin"))
    view = AuditView(admin)
    qtbot.addWidget(view)
    view.resize(1000, 400)
    view.show()
    assert view.table.rowCount() == 1
    assert view.table.item(0, 1).text() == "agent.test"
    assert "Coopérative Malika" in view.table.item(0, 4).text()
    view.grab().save(str(tmp_path / "audit.png"))
    create_first_admin(services.db, "amina", PASSWORD)
    view.refresh()
    assert view.table.rowCount() == 2


@pytest.mark.sqlite_only  # the file the window restores
def test_restoring_in_the_window_closes_its_own_connections_first(
    qtbot: QtBot, demo: Services, monkeypatch: pytest.MonkeyPatch, windows_open_files: None
) -> None:
    """Windows cannot replace an open file: when the restore runs, the window holds no connection
    to the database; afterwards it works on the restored one."""
    from ksm_desktop.ui.main_window import MainWindow

    path = demo.db.path
    assert path is not None and demo.db.backup_dir is not None
    AutoBackup(path, demo.db.backup_dir).run("manual")
    demo.organisations.create(OrganisationInput(kind="agr", name="Après la sauvegarde"))
    window = MainWindow()
    qtbot.addWidget(window)
    window.set_services(Services(demo.db, Actor("amina", "admin")))
    errors: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text: errors.append(text))
    monkeypatch.setattr(RestoreDialog, "exec", lambda self: self.restore() or self.result())
    window.restore_action.trigger()
    assert errors == []
    assert window.services is not None
    assert window.services.organisations.search(ListQuery(text="après la sauvegarde")).total == 0
    assert "previous database was kept" in window.statusBar().currentMessage()
    window.services.db.dispose()
