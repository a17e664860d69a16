"""Consistent copies of a SQLite database, verified before they count.

A copy is written with SQLite's online backup API into a temporary file in the target folder,
flushed to disk, checked (quick_check + KSM schema), then renamed into place: a crash half-way
leaves at most a stray temporary file, never a damaged backup under a real name.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import sqlite3
from pathlib import Path

from ksm_desktop.domain.errors import DatabaseError
from ksm_desktop.i18n import _

SQLITE_HEADER = b"SQLite format 3\x00"


def is_sqlite_file(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(16) == SQLITE_HEADER


def _fsync_dir(directory: Path) -> None:
    if os.name == "posix":
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def quick_check(path: Path) -> list[str]:
    """Problems SQLite finds in the file (empty when sound). Opens it read-only."""
    if not path.is_file():
        return [_("The file does not exist.")]
    if path.stat().st_size and not is_sqlite_file(path):
        return [_("The file is not a SQLite database.")]
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
            problems = [str(r[0]) for r in rows if r[0] != "ok"]
            problems += [
                _("Broken reference in table {table}, row {row}.").format(table=r[0], row=r[1])
                for r in conn.execute("PRAGMA foreign_key_check").fetchall()
            ]
            return problems
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]


def is_ksm_database(path: Path) -> bool:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM ksm_schema_info WHERE key = 'application'").fetchone()
            return bool(row and row[0] == "ksm-desktop")
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False


def verify_copy(path: Path) -> None:
    """Raise DatabaseError unless `path` is a sound KSM database."""
    problems = quick_check(path)
    if problems:
        raise DatabaseError(
            _("The file {name} is damaged: {problem}").format(name=path.name, problem=problems[0])
        )
    if not is_ksm_database(path):
        raise DatabaseError(_("The file {name} is not a KSM Desktop database.").format(name=path.name))


def backup_file(source: Path, destination: Path) -> Path:
    """Copy the live database `source` to `destination`, verified; returns `destination`."""
    problems = quick_check(source)
    if problems:
        raise DatabaseError(
            _("The database fails its integrity check and was not backed up: {problem}").format(
                problem=problems[0]
            )
        )
    destination.parent.mkdir(parents=True, exist_ok=True)
    tmp = destination.with_name(f".{destination.name}.partial")
    tmp.unlink(missing_ok=True)
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        dst = sqlite3.connect(tmp)
        try:
            with dst:
                src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
            src.close()
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        verify_copy(tmp)
        os.replace(tmp, destination)
        _fsync_dir(destination.parent)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise DatabaseError(
            _("Could not write the backup {path}: {reason}").format(path=destination, reason=exc.strerror)
        ) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return destination


def timestamped_name(reason: str, when: dt.datetime | None = None) -> str:
    stamp = (when or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    return f"ksm-{stamp}-{reason}.sqlite3"


def set_aside(path: Path, suffix: str) -> Path:
    """Move a database file (and its -wal/-shm) out of the way under a dated name; never deletes."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.stem}.{suffix}-{stamp}{path.suffix}")
    n = 1
    while aside.exists():
        aside = path.with_name(f"{path.stem}.{suffix}-{stamp}-{n}{path.suffix}")
        n += 1
    for extra in ("-wal", "-shm"):
        side = Path(f"{path}{extra}")
        if side.exists():
            os.replace(side, Path(f"{aside}{extra}"))
    os.replace(path, aside)
    return aside


def _check_not_newer(path: Path) -> None:
    from ksm_desktop.db import migrate

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        row = None
    finally:
        conn.close()
    if row is not None and row[0] not in migrate.known_revisions():
        raise DatabaseError(
            _(
                "The backup {name} was made by a newer version of KSM Desktop (schema {revision}); "
                "install the latest version to restore it."
            ).format(name=path.name, revision=row[0])
        )


def restore_file(backup: Path, target: Path) -> Path | None:
    """Replace `target` by a verified copy of `backup`; the replaced database is kept aside.

    Refuses a damaged or foreign file and one made by a newer KSM Desktop. Returns where the
    previous database was put, with its -wal/-shm (None if there was none).
    """
    verify_copy(backup)
    _check_not_newer(backup)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.restoring")
    shutil.copyfile(backup, tmp)
    with tmp.open("rb+") as fh:
        os.fsync(fh.fileno())
    aside = set_aside(target, "replaced") if target.exists() else None
    os.replace(tmp, target)
    _fsync_dir(target.parent)
    with contextlib.suppress(OSError):
        for extra in ("-wal", "-shm"):
            Path(f"{target}{extra}").unlink(missing_ok=True)
    return aside
