"""Automatic backups while the app runs, and which copies to keep.

The GUI drives `AutoBackup` from a QTimer (the core stays Qt-free): `due(now, last_change)` says
whether an unsaved change is waiting (a copy is made within 30 minutes of a change), `run()` makes
a verified copy with backup.backup_file and prunes old ones. `backup_before(reason)` copies at
once, before a migration, an import, a restore or a bulk delete.

Rotation keeps the newest copy of each of the last 12 days, 10 weeks and 9 months that have one,
and never deletes the newest copy that passes its integrity check. Several databases may share one
backups folder: each copy belongs to the database its manifest records (else the one its name
starts with), and a database's listing and rotation only ever see its own copies.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ksm_desktop.db.backup import (
    backup_file,
    backup_prefix,
    manifest_path,
    read_manifest,
    timestamped_name,
    verify_copy,
)
from ksm_desktop.db.uri import read_only_uri
from ksm_desktop.domain.errors import DatabaseError

if TYPE_CHECKING:
    from ksm_desktop.db.engine import Database

log = logging.getLogger(__name__)

KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 12, 10, 9
KEEP_ALL = dt.timedelta(hours=24)
QUIET_DELAY = dt.timedelta(minutes=5)  # after the last change: the user has stopped typing
MAX_DELAY = dt.timedelta(minutes=25)  # since the last copy, even if changes keep coming
NAME = re.compile(r"^(.+?)-(\d{8}-\d{6})-(.+)\.sqlite3$")
COUNTED = {"organisations": "organisation", "persons": "person", "grants": "grants"}


@dataclass(frozen=True)
class BackupInfo:
    """One backup as the restore dialog lists it."""

    path: Path
    made_at: dt.datetime
    reason: str
    size: int
    counts: dict[str, int | None]  # organisations, persons, grants; None when unreadable


def parse_name(path: Path) -> tuple[dt.datetime, str] | None:
    """When a copy was made and why, from its name (None for a file that is not a backup)."""
    match = NAME.match(path.name)
    if not match:
        return None
    try:
        return dt.datetime.strptime(match.group(2), "%Y%m%d-%H%M%S"), match.group(3)
    except ValueError:
        return None


def _belongs_to(copy: Path, prefix: str) -> bool:
    """Whether `copy` is a backup of the database whose copies are named `prefix`: the database
    recorded in its manifest decides (an older `ksm-…` copy of another database stays that
    database's); without a manifest, the start of its name."""
    recorded = read_manifest(copy).get("database")
    if recorded is not None:
        return backup_prefix(Path(recorded).stem) == prefix
    return copy.name.startswith(f"{prefix}-")


def _counts(path: Path) -> dict[str, int | None]:
    result: dict[str, int | None] = dict.fromkeys(COUNTED)
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            for label, table in COUNTED.items():
                result[label] = int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        pass
    return result


def backups_in(folder: Path, database: Path) -> list[Path]:
    """The backups of `database` in `folder`, newest first (other files, and other databases'
    copies, are never touched)."""
    if not folder.is_dir():
        return []
    prefix = backup_prefix(database.stem)
    found = [
        (parsed[0], p)
        for p in folder.iterdir()
        if p.is_file() and (parsed := parse_name(p)) and _belongs_to(p, prefix)
    ]
    return [p for _when, p in sorted(found, reverse=True)]


def list_backups(folder: Path, database: Path) -> list[BackupInfo]:
    """The backups of `database` in `folder`, newest first, with what each one holds."""
    infos = []
    for path in backups_in(folder, database):
        parsed = parse_name(path)
        assert parsed is not None
        infos.append(BackupInfo(path, parsed[0], parsed[1], path.stat().st_size, _counts(path)))
    return infos


def to_keep(paths: list[Path], now: dt.datetime) -> set[Path]:
    """The copies rotation keeps: all of the last 24 hours (a copy made before an import or a
    restore stays at hand that day), then the newest per day (12), per ISO week (10), per month (9)."""
    keep = {p for p in paths if (parsed := parse_name(p)) and parsed[0] >= now - KEEP_ALL}
    buckets: list[tuple[Callable[[dt.datetime], object], int]] = [
        (lambda t: t.date(), KEEP_DAILY),
        (lambda t: t.isocalendar()[:2], KEEP_WEEKLY),
        (lambda t: (t.year, t.month), KEEP_MONTHLY),
    ]
    dated = sorted(
        ((parse_name(p), p) for p in paths), key=lambda x: x[0][0] if x[0] else dt.datetime.min, reverse=True
    )
    for key, count in buckets:
        seen: list[object] = []
        for parsed, path in dated:
            if parsed is None:
                continue
            bucket = key(parsed[0])
            if bucket not in seen:
                if len(seen) == count:
                    break
                seen.append(bucket)
                keep.add(path)
    return keep


def rotate(folder: Path, database: Path, now: dt.datetime) -> list[Path]:
    """Delete the copies of `database` rotation does not keep; its newest sound copy always stays.
    Returns the deleted."""
    paths = backups_in(folder, database)
    keep = to_keep(paths, now)
    for path in paths:  # newest first
        try:
            verify_copy(path)
        except DatabaseError:
            continue
        keep.add(path)
        break
    deleted = []
    for path in paths:
        if path not in keep:
            try:
                path.unlink(missing_ok=True)
            except OSError as exc:  # Windows: another program has it open; the next rotation retries
                log.info("backup %s left for the next rotation: %s", path, exc)
                continue
            manifest_path(path).unlink(missing_ok=True)
            deleted.append(path)
    return deleted


class AutoBackup:
    """Backups of one SQLite database into one folder, on a clock the caller provides."""

    def __init__(
        self, db_path: Path, folder: Path, clock: Callable[[], dt.datetime] = dt.datetime.now
    ) -> None:
        self.db_path = db_path
        self.folder = folder
        self.clock = clock
        newest = backups_in(folder, db_path)
        parsed = parse_name(newest[0]) if newest else None
        self.last_backup: dt.datetime | None = parsed[0] if parsed else None

    def due(self, now: dt.datetime, last_change: dt.datetime | None) -> bool:
        """Whether a change is waiting for its copy (called every minute by the GUI's timer)."""
        if last_change is None or (self.last_backup is not None and last_change <= self.last_backup):
            return False
        if now - last_change >= QUIET_DELAY:
            return True
        return self.last_backup is None or now - self.last_backup >= MAX_DELAY

    def on_exit(self, last_change: dt.datetime | None) -> Path | None:
        """On a clean exit: a copy if anything changed since the last one."""
        if last_change is None or (self.last_backup is not None and last_change <= self.last_backup):
            return None
        return self.run("exit")

    def run(self, reason: str = "auto") -> Path:
        """A verified copy now, then rotation. Raises DatabaseError (and keeps every copy) if the
        database fails its integrity check."""
        now = self.clock()
        path = backup_file(self.db_path, self.folder / timestamped_name(self.db_path.stem, reason, now))
        self.last_backup = now
        deleted = rotate(self.folder, self.db_path, now)
        log.info("backup %s written, %d old copies pruned", path.name, len(deleted))
        return path

    def backup_before(self, reason: str) -> Path | None:
        """A copy before something hard to undo ("import", "restore", "bulk-delete"); None if no file yet."""
        if not self.db_path.exists():
            return None
        return self.run(f"before-{reason}")


def backup_before(db: Database, reason: str) -> Path | None:
    """A copy of `db` before a risky operation; None for a server database (pg_dump's job)."""
    if db.path is None or db.backup_dir is None:
        return None
    return AutoBackup(db.path, db.backup_dir).backup_before(reason)


def last_change(db_url_path: Path) -> dt.datetime | None:
    """When the database last changed, from its audit log (read-only, cheap)."""
    try:
        conn = sqlite3.connect(read_only_uri(db_url_path), uri=True)
        try:
            row = conn.execute("SELECT max(at) FROM audit_entry").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return None
    return dt.datetime.fromisoformat(row[0]) if row and row[0] else None
