"""Consistent copies of a SQLite database, verified before they count.

A copy is written into a temporary file in the target folder, flushed to disk, checked (full
integrity_check, foreign keys, KSM schema), its SHA-256 and the database it was made from written
beside it (`<copy>.sha256`, JSON), then renamed into place: a crash half-way leaves at most a stray
temporary file, never a damaged backup under a real name. A copy whose bytes changed since (a
failing disk or USB key) no longer matches its checksum and is refused.

The copy is the file itself, copied by the system at disk speed, when SQLite guarantees that the
file holds the snapshot and cannot change while it is copied (see `_copy_snapshot`); otherwise
SQLite's online backup API copies it page by page. Either way the whole copy is read back by the
full integrity check, while its SHA-256 is computed beside it (two cores), and nothing is ever
held in memory but a page cache and a buffer.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import io
import json
import os
import re
import sqlite3
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from ksm_desktop.db.uri import read_only_uri
from ksm_desktop.domain.errors import DatabaseError
from ksm_desktop.i18n import _

SQLITE_HEADER = b"SQLite format 3\x00"
READ_TIMEOUT_S = 5.0  # how long a check waits for another program's lock before saying so
DAMAGE_CODES = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})  # proven damage, nothing else


class DatabaseUnavailableError(DatabaseError):
    """The file could not be read (another program holds a lock, read-only or denied folder, disk
    error): not damage. Nothing is moved; the user may close the other program and retry."""


# Windows refuses to move, replace or delete a file a process holds open: ERROR_SHARING_VIOLATION
# and ERROR_LOCK_VIOLATION (a PermissionError, which is not about rights or a read-only disk).
WINDOWS_IN_USE = (32, 33)


def storage_reason(exc: BaseException) -> str:
    """What an OSError or a SQLite error means, in the user's language (SQLite's and the system's
    own texts are English)."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    errno_ = exc.errno if isinstance(exc, OSError) else None
    if (
        primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
        or getattr(exc, "winerror", None) in WINDOWS_IN_USE
    ):
        return _(
            "another program holds a lock on it (a database browser, an antivirus, a synchronisation "
            "client, or KSM Desktop itself)"
        )
    if primary == sqlite3.SQLITE_FULL or errno_ == errno.ENOSPC:
        return _("the disk is full")
    if (
        isinstance(exc, PermissionError)
        or errno_ == errno.EROFS
        or primary
        in (
            sqlite3.SQLITE_READONLY,
            sqlite3.SQLITE_PERM,
            sqlite3.SQLITE_CANTOPEN,
            sqlite3.SQLITE_AUTH,
        )
    ):
        return _("access is denied, or the file or its folder is read-only")
    if primary in DAMAGE_CODES:
        return _("the file is damaged")
    return _("the disk could not be read or written")


def unavailable(path: Path, exc: BaseException) -> DatabaseUnavailableError:
    """The error that says why `path` could not be read, in the user's language."""
    reason = storage_reason(exc)
    return DatabaseUnavailableError(
        _(
            "The database {name} could not be read: {reason}. It was not changed; try again once it is free."
        ).format(name=path.name, reason=reason)
    )


def is_sqlite_file(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(16) == SQLITE_HEADER


def fsync_dir(directory: Path) -> None:
    if os.name == "posix":
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def integrity_problems(path: Path) -> list[str]:
    """Problems SQLite finds in the file (empty when sound): the full `integrity_check` (every
    index against its table) and `foreign_key_check`. Opens it read-only.

    Only proven damage is a problem; a file that cannot be read (locked by another program,
    read-only, access denied) raises DatabaseUnavailableError instead."""
    if not path.is_file():
        return [_("The file does not exist.")]
    try:
        if path.stat().st_size and not is_sqlite_file(path):
            return [_("The file is not a SQLite database.")]
    except OSError as exc:
        raise unavailable(path, exc) from exc
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=READ_TIMEOUT_S)
        try:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
            problems = [
                _("The file's internal structure is inconsistent (SQLite: {detail}).").format(detail=r[0])
                for r in rows
                if r[0] != "ok"
            ]
            problems += [
                _("Broken reference in table {table}, row {row}.").format(table=r[0], row=r[1])
                for r in conn.execute("PRAGMA foreign_key_check").fetchall()
            ]
            return problems
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorcode", 0) & 0xFF not in DAMAGE_CODES:
            raise unavailable(path, exc) from exc
        return [_("The file is damaged (SQLite: {detail}).").format(detail=exc)]


def manifest_path(copy: Path) -> Path:
    """Where the SHA-256 of a backup is kept: beside it, `<name>.sha256`."""
    return copy.with_name(copy.name + ".sha256")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _write_manifest(copy: Path, digest: str, source: Path) -> None:
    manifest = manifest_path(copy)
    tmp = manifest.with_name(f".{manifest.name}.partial")
    with tmp.open("w", encoding="utf-8") as fh:
        json.dump(
            {"sha256": digest, "file": copy.name, "database": str(source.resolve())}, fh, ensure_ascii=False
        )
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, manifest)


def read_manifest(copy: Path) -> dict[str, str]:
    """What was recorded when the copy was made (sha256, file, database), or {} if nothing readable."""
    try:
        data = json.loads(manifest_path(copy).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def check_manifest(copy: Path) -> None:
    """Raise DatabaseError when the copy's bytes no longer match the SHA-256 recorded when it was
    made. A copy without a manifest (made by an older version, or brought from elsewhere) relies
    on the integrity check alone."""
    manifest = manifest_path(copy)
    if not manifest.is_file():
        return
    if read_manifest(copy).get("sha256") != sha256_of(copy):
        raise DatabaseError(
            _(
                "The backup {name} changed since it was made (its SHA-256 checksum differs): "
                "the disk or key may be failing. It was not used."
            ).format(name=copy.name)
        )


def is_ksm_database(path: Path) -> bool:
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            row = conn.execute("SELECT value FROM ksm_schema_info WHERE key = 'application'").fetchone()
            return bool(row and row[0] == "ksm-desktop")
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False


def verify_copy(path: Path) -> None:
    """Raise DatabaseError unless `path` is a sound KSM database whose bytes match its manifest."""
    check_manifest(path)
    problems = integrity_problems(path)
    if problems:
        raise DatabaseError(
            _("The file {name} is damaged: {problem}").format(name=path.name, problem=problems[0])
        )
    if not is_ksm_database(path):
        raise DatabaseError(_("The file {name} is not a KSM Desktop database.").format(name=path.name))


def _not_backed_up(problem: str) -> DatabaseError:
    return DatabaseError(
        _("The database fails its integrity check and was not backed up: {problem}").format(problem=problem)
    )


def _checkpointed(source: Path) -> bool:
    """True when every page committed to `source` is in the database file itself (its WAL, if any,
    checkpointed to the end), asked of SQLite with a passive checkpoint that waits for nobody."""
    try:
        conn = sqlite3.connect(source, timeout=READ_TIMEOUT_S)
        try:
            busy, log, done = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return False  # a read-only folder, a lock: the backup API copies it instead
    return bool(busy == 0 and log == done)  # (0, -1, -1) for a database not in WAL mode


def _copy_snapshot(source: Path, copy: Path, pool: ThreadPoolExecutor) -> Future[str]:
    """Copy what is committed in `source` now to `copy` as a lone file (rollback journal), while
    other programs may keep writing; the future gives the copy's SHA-256.

    A read transaction is opened first. If the file then holds everything committed (checked
    after it began), the file is that snapshot and stays so until the transaction ends: SQLite
    moves pages from the WAL into the file only up to the oldest reader's snapshot, and never
    while a reader reads the file alone; a database not in WAL mode is not written while read.
    The system copies it (at disk speed), hashed as it goes. Otherwise, or if the system cannot
    read it all (a range another program locks, on Windows), the online backup API copies the
    snapshot page by page, hashed afterwards."""
    reader = _reader(source)
    try:
        if _checkpointed(source):
            try:
                return _copy_file(source, copy, pool)
            except OSError:
                copy.unlink(missing_ok=True)
        reader.execute("ROLLBACK")
        dst = sqlite3.connect(copy)
        try:
            with dst:
                reader.backup(dst)
        finally:
            dst.close()
    finally:
        reader.close()
    set_journal_mode(copy, "DELETE")
    return pool.submit(sha256_of, copy)


CHUNK = 8 << 20  # what the system copies at a time; the most held in memory while hashing
ROLLBACK_JOURNAL = b"\x01\x01"  # header bytes 18-19 (file format versions): 2, 2 says WAL


def _copy_file(source: Path, copy: Path, pool: ThreadPoolExecutor) -> Future[str]:
    """Copy the database file chunk by chunk (by the kernel where it can), flushed to disk; the
    pool's one thread reads each chunk back from the copy and hashes it while the next is copied,
    and finishes while the copy is checked. The copy's header says it uses a rollback journal, so
    it opens alone (the snapshot is all in the file, no WAL goes with it)."""
    digest = hashlib.sha256()
    with source.open("rb", buffering=0) as src, copy.open("xb", buffering=0) as dst:
        back = copy.open("rb", buffering=0)
        hashed: list[Future[None]] = []
        try:
            first = True
            while n := _copy_chunk(src, dst):
                if first:  # before anything is read back
                    dst.seek(18)
                    _write_all(dst, ROLLBACK_JOURNAL)
                    dst.seek(0, os.SEEK_END)
                    first = False
                hashed.append(pool.submit(_hash_back, digest, back, n))
            os.fsync(dst.fileno())
        except BaseException:
            pool.submit(back.close).result()
            raise
    return pool.submit(_finish, digest, back, hashed)  # after every chunk: the pool has one thread


def _finish(digest: Any, back: io.FileIO, hashed: list[Future[None]]) -> str:
    """The hex digest, once every chunk was hashed (a chunk that could not be read back fails it)."""
    back.close()
    for chunk in hashed:
        chunk.result()
    return str(digest.hexdigest())


def _copy_chunk(src: io.FileIO, dst: io.FileIO) -> int:
    """Copy up to CHUNK bytes from `src`'s position to `dst`'s; how many (0 at the end)."""
    if hasattr(os, "copy_file_range"):  # Linux: the kernel copies, nothing passes through here
        try:
            return os.copy_file_range(src.fileno(), dst.fileno(), CHUNK)
        except OSError as exc:
            if exc.errno not in (errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
                raise
    data = src.read(CHUNK) or b""
    _write_all(dst, data)
    return len(data)


def _write_all(dst: io.FileIO, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[dst.write(view) or 0 :]


def _hash_back(digest: Any, back: io.FileIO, n: int) -> None:
    """Hash the next `n` bytes of the copy as written (read back from it)."""
    while n > 0:
        data = back.read(min(n, CHUNK))
        if not data:
            raise OSError(errno.EIO, "the copy is shorter than what was written")
        digest.update(data)
        n -= len(data)


def _reader(source: Path) -> sqlite3.Connection:
    """A read-only connection to `source` inside a read transaction (its snapshot); a damaged
    file is said as such, one that cannot be read (locked, denied) as unavailable."""
    if not source.is_file() or (source.stat().st_size and not is_sqlite_file(source)):
        problem = (
            _("The file does not exist.") if not source.is_file() else _("The file is not a SQLite database.")
        )
        raise _not_backed_up(problem)
    reader = sqlite3.connect(read_only_uri(source), uri=True, timeout=READ_TIMEOUT_S)
    reader.isolation_level = None
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        reader.close()
        if getattr(exc, "sqlite_errorcode", 0) & 0xFF not in DAMAGE_CODES:
            raise unavailable(source, exc) from exc
        problem = _("The file is damaged (SQLite: {detail}).").format(detail=exc)
        raise _not_backed_up(problem) from exc
    return reader


def set_journal_mode(path: Path, mode: str) -> None:
    """Write `mode` into the file's header, flushed to disk. DELETE makes a backup copy a lone
    file (it opens without -wal/-shm beside it, on a read-only key too); WAL is what every
    connection uses, so a read-only `check` right after a restore need not change it (it could not)."""
    conn = sqlite3.connect(path)
    try:
        conn.execute(f"PRAGMA journal_mode = {mode}")
    finally:
        conn.close()
    with path.open("rb+") as fh:
        os.fsync(fh.fileno())


def _checked_digest(source: Path, copy: Path, digest: Future[str]) -> str:
    """The copy's SHA-256, once the full integrity check found it sound (read while the hash is
    finished). A copy that fails says whether the database itself is damaged (then nothing is
    backed up)."""
    problems = integrity_problems(copy)
    if problems:
        damaged = integrity_problems(source)
        if damaged:
            raise _not_backed_up(damaged[0])
        raise DatabaseError(
            _("The file {name} is damaged: {problem}").format(name=copy.name, problem=problems[0])
        )
    if not is_ksm_database(copy):
        raise DatabaseError(_("The file {name} is not a KSM Desktop database.").format(name=copy.name))
    return digest.result()


def backup_file(source: Path, destination: Path) -> Path:
    """Copy the live database `source` to `destination`, verified; returns `destination`."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    tmp = destination.with_name(f".{destination.name}.partial")
    for stale in (tmp, *(Path(f"{tmp}{extra}") for extra in ("-journal", "-wal", "-shm"))):
        stale.unlink(missing_ok=True)  # left by a crash: a journal would be replayed into the copy
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            digest = _copy_snapshot(source, tmp, pool)
            _write_manifest(destination, _checked_digest(source, tmp, digest), source)
        os.replace(tmp, destination)
        fsync_dir(destination.parent)
    except (OSError, sqlite3.Error) as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise DatabaseError(
            _("Could not write the backup {path}: {reason}. No earlier backup was touched.").format(
                path=destination, reason=storage_reason(exc)
            )
        ) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return destination


def backup_prefix(name: str) -> str:
    """What the copies of the database called `name` (a file's stem, a server database's name)
    start with: `name`, with characters a file name on Windows or a USB key may not hold replaced
    by "_", so that two databases backed up into one folder never share names (the default
    `ksm.sqlite3` keeps the historical `ksm-` names)."""
    return re.sub(r"[^\w.-]+", "_", name).strip("._-") or "ksm"


def timestamped_name(
    name: str, reason: str, when: dt.datetime | None = None, suffix: str = ".sqlite3"
) -> str:
    """`<name>-YYYYMMDD-HHMMSS-<reason><suffix>` for a copy of the database called `name` (see
    backup_prefix): a copy's name says whose it is, when and why it was made."""
    stamp = (when or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    return f"{backup_prefix(name)}-{stamp}-{reason}{suffix}"


def aside_name(path: Path, suffix: str) -> Path:
    """A free dated name beside `path`: `ksm.<suffix>-YYYYMMDD-HHMMSS.sqlite3`."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.stem}.{suffix}-{stamp}{path.suffix}")
    n = 1
    while aside.exists():
        aside = path.with_name(f"{path.stem}.{suffix}-{stamp}-{n}{path.suffix}")
        n += 1
    return aside


def move_database(path: Path, destination: Path) -> None:
    """Rename a database file with its -wal/-shm (the main file last)."""
    for extra in ("-wal", "-shm"):
        side = Path(f"{path}{extra}")
        if side.exists():
            os.replace(side, Path(f"{destination}{extra}"))
    os.replace(path, destination)


def set_aside(path: Path, suffix: str) -> Path:
    """Move a database file (and its -wal/-shm) out of the way under a dated name; never deletes."""
    aside = aside_name(path, suffix)
    move_database(path, aside)
    return aside
