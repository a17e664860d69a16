"""The safety steps between launching and the main window: one instance per database (a second
one may look read-only), the check of the file, the sign-in, and the automatic backups while the
window is open (see docs/data-protection.md)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from ksm_desktop.db.backups_policy import AutoBackup, last_change
from ksm_desktop.db.engine import Database, make_engine, sqlite_url
from ksm_desktop.db.recovery import InstanceLock, check_at_start
from ksm_desktop.domain.errors import DatabaseError, KsmError
from ksm_desktop.i18n import _
from ksm_desktop.services import Actor
from ksm_desktop.services.users import single_user_actor
from ksm_desktop.ui.workers import run_in_background

log = logging.getLogger(__name__)
BACKUP_TICK_MS = 60_000


def take_lock(path: Path, parent: QWidget | None = None) -> tuple[InstanceLock | None, bool]:
    """(lock, go on): the lock when this instance is alone; (None, True) when the user chose to look
    read-only at a database already open elsewhere; (None, False) to quit."""
    lock = InstanceLock(path)
    try:
        lock.acquire()
    except DatabaseError as exc:
        box = QMessageBox(QMessageBox.Icon.Warning, _("KSM Desktop"), exc.message, parent=parent)
        read_only = box.addButton(_("Open read-only"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.exec()
        return None, box.clickedButton() is read_only
    return lock, True


def check_file(path: Path, backup_dir: Path, parent: QWidget | None = None) -> None:
    """A damaged file is set aside and the newest good backup offered; network or synced folders warned."""
    from ksm_desktop.ui.recovery_dialog import offer_recovery

    offer_recovery(parent, check_at_start(path, backup_dir), path)


def sign_in(db: Database, parent: QWidget | None = None) -> Actor | None:
    """Who works: the administrator in single-user mode, else whoever signs in (on first run the
    dialog creates the administrator). None if the user cancelled."""
    from ksm_desktop.ui.login_dialog import LoginDialog

    actor = single_user_actor(db)
    if actor is not None:
        return actor
    dialog = LoginDialog(db, parent)
    return dialog.actor if dialog.exec() == LoginDialog.DialogCode.Accepted else None


def reopen_read_only(db: Database, actor: Actor) -> tuple[Database, Actor]:
    """The same SQLite file through a read-only connection, and the same person as a reader."""
    assert db.path is not None
    path, backup_dir = db.path, db.backup_dir
    db.dispose()
    reader = Database(make_engine(sqlite_url(path), read_only=True))
    reader.backup_dir = backup_dir
    return reader, Actor(actor.username, "readonly")


class BackupScheduler(QObject):
    """Asks `AutoBackup` every minute whether a copy is due and makes it off the GUI thread.

    A failure becomes a status-bar message (`message`), never a crash; the next tick tries again.
    """

    message = Signal(str)

    def __init__(self, auto: AutoBackup, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.auto = auto
        self.busy = False
        self.timer = QTimer(self, interval=BACKUP_TICK_MS)
        self.timer.timeout.connect(self.tick)

    def start(self) -> None:
        self.timer.start()

    def tick(self) -> None:
        if self.busy:
            return
        self.busy = True
        auto = self.auto

        def work() -> Path | None:
            return auto.run() if auto.due(auto.clock(), last_change(auto.db_path)) else None

        run_in_background(work, self._done, self._failed, owner=self)

    def _done(self, path: Path | None) -> None:
        self.busy = False
        if path is not None:
            self.message.emit(_("Backup saved: {name}").format(name=path.name))

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        log.warning("automatic backup failed", exc_info=exc)
        reason = exc.message if isinstance(exc, KsmError) else str(exc)
        self.message.emit(_("The automatic backup failed: {reason}").format(reason=reason))

    def on_exit(self) -> Path | None:
        """The copy on a clean exit; a failure is logged, the program still closes."""
        self.timer.stop()
        try:
            return self.auto.on_exit(last_change(self.auto.db_path))
        except (KsmError, OSError):
            log.exception("backup on exit failed")
            return None
