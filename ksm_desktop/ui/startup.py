"""The safety steps between launching and working: one instance per database (a second one may look
read-only), the check of the file, the opening and migrations, the sign-in, and the automatic
backups while the window is open (see docs/data-protection.md).

The main window is already on screen while these run (`Opening`): the slow parts — importing
SQLAlchemy and the services, checking the file, migrating — happen on a worker thread, the dialogs
on the GUI thread, and no data is shown before the user has signed in. In single-user mode (no
sign-in), the dashboard's first figures are read straight from the checked file and shown before
SQLAlchemy is even imported (db/first_figures.py).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from ksm_desktop.config import backup_dir_for
from ksm_desktop.domain.errors import DatabaseError, KsmError
from ksm_desktop.i18n import _
from ksm_desktop.ui.workers import run_in_background

if TYPE_CHECKING:
    from ksm_desktop.db.backups_policy import AutoBackup
    from ksm_desktop.db.engine import Database
    from ksm_desktop.db.first_figures import FirstFigures
    from ksm_desktop.db.recovery import InstanceLock, StartupCheck
    from ksm_desktop.services import Actor, Services
    from ksm_desktop.ui.main_window import MainWindow

log = logging.getLogger(__name__)
BACKUP_TICK_MS = 60_000
_preparing = threading.Lock()


def take_lock(path: Path, parent: QWidget | None = None) -> tuple[InstanceLock | None, bool]:
    """(lock, go on): the lock when this instance is alone; (None, True) when the user chose to look
    read-only at a database already open elsewhere; (None, False) to quit."""
    from ksm_desktop.db.recovery import InstanceLock

    lock = InstanceLock(path)
    try:
        lock.acquire()
    except DatabaseError as exc:
        text = exc.message + "\n\n" + _("Close it there first, or open it read-only.")
        box = QMessageBox(QMessageBox.Icon.Warning, _("KSM Desktop"), text, parent=parent)
        read_only = box.addButton(_("Open read-only"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.exec()
        return None, box.clickedButton() is read_only
    return lock, True


def sign_in(db: Database, parent: QWidget | None = None) -> Actor | None:
    """Who works: the administrator in single-user mode, else whoever signs in (on first run the
    dialog creates the administrator). None if the user cancelled."""
    from ksm_desktop.services.users import single_user_actor

    actor = single_user_actor(db)
    if actor is not None:
        return actor
    from ksm_desktop.ui.login_dialog import LoginDialog

    dialog = LoginDialog(db, parent)
    return dialog.actor if dialog.exec() == LoginDialog.DialogCode.Accepted else None


def reopen_read_only(db: Database, actor: Actor) -> tuple[Database, Actor]:
    """The same SQLite file through a read-only connection, and the same person as a reader."""
    from ksm_desktop.db.engine import Database, make_engine, sqlite_url
    from ksm_desktop.domain.enums import AccountRole
    from ksm_desktop.services import Actor

    assert db.path is not None
    path, backup_dir = db.path, db.backup_dir
    db.dispose()
    reader = Database(make_engine(sqlite_url(path), read_only=True))
    reader.backup_dir = backup_dir
    return reader, Actor(actor.username, AccountRole.READONLY)


def prepare_off_screen() -> None:
    """Runs on a worker: SQLAlchemy, the models (mapped), the services and the page the window
    opens on, and the language's number formats. From the start of the opening on a
    server or a first start, made ready while the GUI thread asks its questions, so it never
    waits for them; on an existing file, once its first figures are on screen (importing
    SQLAlchemy beside them would take the interpreter from them). One job at a time prepares: two
    threads importing the same modules could each see the other's half-imported ones."""
    with _preparing:
        from sqlalchemy.orm import configure_mappers

        import ksm_desktop.db.storage
        import ksm_desktop.services.users  # the sign-in
        import ksm_desktop.ui.dashboard_page  # noqa: F401
        from ksm_desktop.i18n.formatting import load_locale_data

        configure_mappers()
        load_locale_data()


def open_off_screen(url: str | None, path: Path | None, backup_dir: Path | None, checked: bool) -> Database:
    """Runs on a worker: opens (and migrates) the database, once `prepare_off_screen` is done;
    `checked`: the start-up check has just found the file sound (see `open_database`)."""
    prepare_off_screen()
    from ksm_desktop.db.storage import open_database

    return open_database(url) if url else open_database(path=path, backup_dir=backup_dir, checked=checked)


class Opening(QObject):
    """Fills a `MainWindow()` shell already on screen: on the very first start a welcome, then lock,
    file check, opening, sign-in, the demo if chosen, pages, automatic backups. Ends the event loop
    with 0 when the user leaves at the welcome, the lock or the sign-in. Any failure ends in a
    message and the shell offering to try again or to quit (`failed`: the exit code is then 1).
    `close()` after the event loop: last backup, lock released."""

    def __init__(self, window: MainWindow, url: str | None, path: Path | None) -> None:
        super().__init__(window)
        self.window = window
        self.url = url
        self.path = None if url else path
        self.backup_dir = backup_dir_for(path) if path is not None and not url else None
        self.lock: InstanceLock | None = None
        self.scheduler: BackupScheduler | None = None
        self.load_demo: bool | None = None  # None: not asked (asked once, on the very first start)
        self.failed = False
        window.retry_button.clicked.connect(self.retry)
        window.quit_button.clicked.connect(lambda: self._quit(1))

    def _guarded(self, step: Callable[..., None]) -> Callable[..., None]:
        """`step`, its failure ending in `_failed` instead of an exception out of the event loop."""

        def run(*args: object) -> None:
            try:
                step(*args)
            except Exception as exc:
                self._failed(exc)

        return run

    def start(self) -> None:
        """Once the window is painted (run_gui): the log file opens, then the checks."""
        from ksm_desktop.logs import setup_logging

        setup_logging()
        if self.path is None or not self.path.is_file():  # else the first figures may come first
            # What fails here fails again in _open, which says why.
            run_in_background(prepare_off_screen, lambda _none: None, lambda _exc: None, owner=self)
        self._guarded(self._start)()

    def retry(self) -> None:
        """After a failure: the same steps again, from the lock."""
        self.failed = False
        if self.lock is not None:
            self.lock.release()
            self.lock = None
        self.window.show_opening(_("Opening the database…"))
        self._guarded(self._start)()

    def _start(self) -> None:
        from ksm_desktop.db.recovery import missing_database

        if self.path is None or self.backup_dir is None:
            return self._open()
        # No database yet, and none that went missing (that is reported by the check instead).
        empty = not self.path.exists() or self.path.stat().st_size == 0
        first_start = empty and missing_database(self.path, self.backup_dir) is None
        if first_start and self.load_demo is None and not self._welcome():
            return self._quit(0)
        self.lock, go_on = take_lock(self.path, self.window)
        if not go_on:
            return self._quit(0)
        if self.lock is None:  # open elsewhere: looked at read-only, never moved aside from under them
            return self._open()
        self._check()

    def _check(self) -> None:
        from ksm_desktop.db.recovery import check_at_start

        path, backup_dir = self.path, self.backup_dir
        assert path is not None and backup_dir is not None
        self.window.show_opening(_("Checking the database…"))
        run_in_background(
            lambda: check_at_start(path, backup_dir), self._guarded(self._checked), self._failed, owner=self
        )

    def _welcome(self) -> bool:
        """No database yet: say what the program is, demo or empty; False if the user closed it."""
        from ksm_desktop.ui.welcome_dialog import WelcomeDialog

        dialog = WelcomeDialog(self.window)
        if dialog.exec() != WelcomeDialog.DialogCode.Accepted:
            return False
        self.load_demo = dialog.load_demo
        return True

    def _checked(self, check: StartupCheck) -> None:
        """A damaged file was set aside: the newest good backup is offered; network folders warned.
        A file that could not be read (locked by another program, read-only) may be checked again."""
        from ksm_desktop.ui.recovery_dialog import offer_recovery, retry_unavailable

        assert self.path is not None
        if check.unavailable is not None:
            return self._check() if retry_unavailable(self.window, check.unavailable) else self._quit(1)
        offer_recovery(self.window, check, self.path)
        sound = check.problem is None  # else set aside, maybe restored: checked in full
        if sound and self.lock is not None and not self.load_demo:
            return self._first_figures(self.path)
        self._open(checked=sound)

    def _first_figures(self, path: Path) -> None:
        """The unfiltered figures of the file just checked, read and shown before the services
        load (see db/first_figures.py) when there is no sign-in to wait for; then the opening."""
        from ksm_desktop.db.first_figures import read_first_figures

        def show(first: FirstFigures | None) -> None:
            if first is not None:
                self.window.show_first_figures(first)
            self._open(checked=True)

        def failed(exc: BaseException) -> None:  # the services read them anyway: logged only
            log.warning("the first figures could not be read", exc_info=exc)
            self._open(checked=True)

        run_in_background(
            lambda: read_first_figures(path), self._guarded(show), self._guarded(failed), owner=self
        )

    def _open(self, checked: bool = False) -> None:
        self.window.show_opening(_("Opening the database…"))
        url, path, backup_dir = self.url, self.path, self.backup_dir
        run_in_background(
            lambda: open_off_screen(url, path, backup_dir, checked),
            self._guarded(self._opened),
            self._failed,
            owner=self,
        )

    def _opened(self, db: Database) -> None:
        from ksm_desktop.services import Services

        actor = sign_in(db, self.window)
        if actor is None:
            db.dispose()
            return self._quit(0)
        if self.path is not None and self.lock is None:
            db, actor = reopen_read_only(db, actor)
        if not (self.load_demo and actor.can_write):
            return self._ready(Services(db, actor))
        from ksm_desktop.demo.portfolio import load_demo

        services = Services(db, actor)  # the demo's records stamped with the administrator's name

        def failed(exc: BaseException) -> None:  # closed here: Try again opens it anew
            db.dispose()
            self._failed(exc)

        self.window.show_opening(_("Loading the demo portfolio…"))
        run_in_background(  # load_demo adds only what is missing: after a failure, Try again completes it
            lambda: load_demo(services),
            lambda _report: self._guarded(self._ready)(services),
            failed,
            owner=self,
        )

    def _ready(self, services: Services) -> None:
        from ksm_desktop.db.backups_policy import AutoBackup

        db = services.db
        self.load_demo = False
        self.window.set_services(services)
        if self.lock is not None and db.path is not None and db.backup_dir is not None:
            self.scheduler = BackupScheduler(AutoBackup(db.path, db.backup_dir), self)
            self.scheduler.message.connect(lambda text: self.window.statusBar().showMessage(text, 15_000))
            self.scheduler.start()

    def _failed(self, exc: BaseException) -> None:
        """A refused database or a file error is said in plain words in the shell; anything else
        gets the error report first. Then the shell offers to try again or to quit."""
        self.failed = True
        if isinstance(exc, KsmError):
            reason = exc.message
        elif isinstance(exc, OSError):
            log.warning("opening failed", exc_info=exc)
            reason = _("File error: {reason} ({path})").format(reason=exc.strerror, path=exc.filename)
        else:
            from ksm_desktop.ui.errors import show_exception

            show_exception(type(exc), exc, exc.__traceback__)
            reason = str(exc) or type(exc).__name__
        self.window.show_failure(_("The database could not be opened.") + "\n\n" + reason)

    def _quit(self, code: int) -> None:
        QApplication.exit(code)

    def close(self) -> None:
        """After the event loop: the copy on a clean exit, the database closed, the lock released."""
        try:
            if self.scheduler is not None:
                self.scheduler.on_exit()
            if self.window.services is not None:
                self.window.services.db.dispose()  # the window's database: a restore may have reopened it
        finally:
            if self.lock is not None:
                self.lock.release()


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
            from ksm_desktop.db.backups_policy import last_change

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
        from ksm_desktop.db.backups_policy import last_change

        self.timer.stop()
        try:
            return self.auto.on_exit(last_change(self.auto.db_path))
        except (KsmError, OSError):
            log.exception("backup on exit failed")
            return None
