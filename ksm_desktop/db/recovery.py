"""What the app checks before opening a SQLite database at start.

- A damaged or truncated file is moved aside (never overwritten, never deleted) and the newest
  good backup is offered in its place — only when the damage is proven on a file that could be read.
  A file another program holds locked, a read-only or denied one is not damaged: it is reported,
  left where it is, and the user may retry. A foreign SQLite file is left untouched (refused when
  opened).
- A database on a network share or in a synced folder gets a warning: SQLite's locking is not
  safe there; several users should share a PostgreSQL server instead.
- A second instance on the same database is detected by a lock file (pid and host) next to it;
  a lock whose process is gone is stale and taken over.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

from ksm_desktop.db.backup import (
    DatabaseUnavailableError,
    integrity_problems,
    read_manifest,
    set_aside,
    unavailable,
    verify_copy,
)
from ksm_desktop.db.backups_policy import BackupInfo, backups_in, list_backups
from ksm_desktop.db.restore import finish_interrupted_restore
from ksm_desktop.domain.errors import DatabaseError
from ksm_desktop.i18n import _

SYNCED_FOLDERS = ("onedrive", "dropbox", "google drive", "googledrive", "icloud", "icloud drive")


@dataclass(frozen=True)
class StartupCheck:
    """The outcome of `check_at_start`: what to tell the user before the main window opens."""

    moved_aside: Path | None  # the damaged file, now under a new name
    problem: str | None
    latest_good: BackupInfo | None  # offered for restore when the file was damaged
    location_warning: str | None
    unavailable: str | None = None  # the file could not be read (locked, read-only): retry, never moved
    notice: str | None = None  # an interrupted restore was completed or undone


def latest_good_backup(folder: Path, database: Path) -> BackupInfo | None:
    """The newest copy of `database` that passes its checks (offered when the file is damaged)."""
    for info in list_backups(folder, database):
        try:
            verify_copy(info.path)
        except DatabaseError:
            continue
        return info
    return None


def _is_network_drive(path: Path) -> bool:
    if sys.platform != "win32":
        return False
    import ctypes

    drive = PureWindowsPath(path).drive
    if not drive.endswith(":"):
        return False
    drive_remote = 4
    return bool(ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == drive_remote)  # type: ignore[attr-defined,unused-ignore]


def location_warning(path: Path) -> str | None:
    """A warning when the database lies on a network share or in a synced folder."""
    text = str(path)
    lowered = text.lower().replace("\\", "/")
    if text.startswith(("\\\\", "//")) or _is_network_drive(path):
        where = _("on a network share")
    elif any(f"/{name}" in lowered for name in SYNCED_FOLDERS):
        where = _("in a synchronised folder (OneDrive, Dropbox, Google Drive, iCloud)")
    else:
        return None
    return _(
        "The database is {where}. Two computers writing to it can damage it. Keep it on this "
        "computer, or use a PostgreSQL server to share data between several users."
    ).format(where=where)


def check_at_start(path: Path, backup_dir: Path) -> StartupCheck:
    """Check the file before opening it; one proven damaged is moved aside. A file that cannot be
    read, or a foreign one, is left exactly where it is (opening it says why)."""
    warning = location_warning(path)
    try:
        notice = finish_interrupted_restore(path)
    except OSError as exc:
        return StartupCheck(None, None, None, warning, unavailable=unavailable(path, exc).message)
    missing = missing_database(path, backup_dir)
    if missing is not None:
        return StartupCheck(None, missing, latest_good_backup(backup_dir, path), warning, notice=notice)
    if not path.is_file() or path.stat().st_size == 0:
        return StartupCheck(None, None, None, warning, notice=notice)
    try:
        problems = integrity_problems(path)
    except DatabaseUnavailableError as exc:
        return StartupCheck(None, None, None, warning, unavailable=exc.message, notice=notice)
    if not problems:
        return StartupCheck(None, None, None, warning, notice=notice)
    try:
        aside = set_aside(path, "damaged")
    except OSError as exc:  # could be read, cannot be moved (read-only folder): report, change nothing
        return StartupCheck(None, problems[0], None, warning, unavailable=unavailable(path, exc).message)
    return StartupCheck(aside, problems[0], latest_good_backup(backup_dir, path), warning, notice=notice)


def _made_from(copy: Path, path: Path) -> bool:
    """Whether `copy` is a backup of the database at `path`: its manifest says so; an older copy
    without one, when it lies in the database's own "backups" folder."""
    recorded = read_manifest(copy).get("database")
    if recorded is None:
        return copy.parent == path.parent / "backups"
    return Path(recorded) == path.resolve()


def missing_database(path: Path, backup_dir: Path) -> str | None:
    """A message when the database is missing or empty although backups of it exist: a database
    used to be there, so a new empty one must not silently take its place."""
    if path.is_file() and path.stat().st_size > 0:
        return None
    if not any(_made_from(copy, path) for copy in backups_in(backup_dir, path)):
        return None
    if path.exists():
        return _("The database {path} is empty, although backups of it exist.").format(path=path)
    return _("The database {path} is missing, although backups of it exist.").format(path=path)


# --- one instance per database -------------------------------------------------------------------


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":
        return _windows_process_running(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(frozen=True)
class LockOwner:
    pid: int
    host: str
    user: str
    since: dt.datetime | None = None

    def describe(self) -> str:
        """Who has the database open, in a sentence the user can act on (whom to ask, which computer)."""
        from ksm_desktop.i18n.formatting import format_datetime

        return _(
            "This database is already open in KSM Desktop (user {user} on computer {host}, since {since})."
        ).format(user=self.user or "?", host=self.host, since=format_datetime(self.since) or "?")


class DatabaseInUseError(DatabaseError):
    """Another KSM Desktop (the window or a command) holds the database's instance lock."""

    def __init__(self, owner: LockOwner) -> None:
        super().__init__(owner.describe())
        self.owner = owner


class InstanceLock:
    """A lock file next to the database naming the process that has it open."""

    def __init__(self, db_path: Path) -> None:
        self.path = lock_path(db_path)
        self.held = False

    def owner(self) -> LockOwner | None:
        """Who holds the lock now, or None (no lock, or a stale one from a crashed process)."""
        try:
            data = json.loads(self.path.read_text("utf-8"))
            since = dt.datetime.fromisoformat(data["since"]) if data.get("since") else None
            owner = LockOwner(int(data["pid"]), str(data["host"]), str(data.get("user", "")), since)
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if owner.host == socket.gethostname() and not _pid_alive(owner.pid):
            return None  # stale: that process is gone
        return owner

    def acquire(self) -> None:
        """Take the lock or raise DatabaseInUseError naming who has the database open and since when.

        The file is created exclusively (O_EXCL), so two instances starting together cannot both win.
        """
        data = json.dumps(
            {
                "pid": os.getpid(),
                "host": socket.gethostname(),
                "user": _login_name(),
                "since": dt.datetime.now().replace(microsecond=0).isoformat(),
            }
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)  # the first file of a new data folder
        for _attempt in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                owner = self.owner()
                if owner is not None:
                    raise DatabaseInUseError(owner) from None
                self.path.unlink(missing_ok=True)  # stale lock of a crashed instance
                continue
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(data)
            self.held = True
            return
        raise DatabaseError(_("The lock file {path} could not be created.").format(path=self.path))

    def release(self) -> None:
        if self.held:
            owner = self.owner()
            if owner is not None and owner.pid == os.getpid():
                self.path.unlink(missing_ok=True)
            self.held = False


def _login_name() -> str:
    return os.environ.get("USERNAME") or os.environ.get("USER") or ""


def _windows_process_running(pid: int) -> bool:
    """Whether `pid` is a running process. Windows keeps an ended process (and its pid) while any
    handle to it is open, so opening it is not enough: its exit code must still be STILL_ACTIVE."""
    if sys.platform != "win32":  # for mypy on other systems
        return False
    import ctypes
    from ctypes import wintypes

    query_limited_information, access_denied, still_active = 0x1000, 5, 259
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.OpenProcess.restype = wintypes.HANDLE
    kernel32.OpenProcess.argtypes = [wintypes.DWORD, wintypes.BOOL, wintypes.DWORD]
    kernel32.GetExitCodeProcess.argtypes = [wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD)]
    kernel32.CloseHandle.argtypes = [wintypes.HANDLE]
    handle = kernel32.OpenProcess(query_limited_information, False, pid)
    if not handle:
        return ctypes.get_last_error() == access_denied  # another user's process: it exists
    try:
        code = wintypes.DWORD()
        return not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)) or code.value == still_active
    finally:
        kernel32.CloseHandle(handle)
