"""Start-up checks: damaged files moved aside with the latest good backup offered, warnings for
shared folders, one instance per database; and saves refused cleanly by the storage."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from ksm_desktop.db.backups_policy import AutoBackup
from ksm_desktop.db.engine import Database, make_engine
from ksm_desktop.db.recovery import InstanceLock, check_at_start, location_warning, lock_path
from ksm_desktop.domain.errors import DatabaseError
from ksm_desktop.services import Actor, ListQuery, Services
from ksm_desktop.services.dto import OrganisationInput

pytestmark = pytest.mark.sqlite_only  # about the SQLite file itself


def test_a_sound_database_passes(db: Database, tmp_path: Path) -> None:
    assert db.path is not None
    check = check_at_start(db.path, tmp_path / "b")
    assert check.moved_aside is None and check.problem is None


@pytest.mark.parametrize("damage", ["truncate", "garbage"])
def test_damaged_file_is_moved_aside_and_backup_offered(demo: Services, tmp_path: Path, damage: str) -> None:
    path = demo.db.path
    assert path is not None
    folder = tmp_path / "auto"
    good = AutoBackup(path, folder).run("manual")
    demo.db.dispose()
    original = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(original[: len(original) // 3])
    else:
        path.write_bytes(b"not a database at all" * 100)
    damaged_bytes = path.read_bytes()
    check = check_at_start(path, folder)
    assert check.problem
    assert not path.exists()
    assert check.moved_aside is not None and check.moved_aside.read_bytes() == damaged_bytes
    assert check.latest_good is not None and check.latest_good.path == good


@pytest.mark.parametrize(
    "path",
    [
        r"\\server\partage\ksm.sqlite3",
        "/home/amina/OneDrive/KSM/ksm.sqlite3",
        "/Users/amina/Library/Mobile Documents/iCloud Drive/ksm.sqlite3",
        "C:/Users/amina/Dropbox/ksm.sqlite3",
        "/home/amina/Google Drive/ksm.sqlite3",
    ],
)
def test_network_or_synced_folder_gets_a_postgresql_warning(path: str) -> None:
    warning = location_warning(Path(path))
    assert warning is not None and "PostgreSQL" in warning


def test_local_folder_has_no_warning(tmp_path: Path) -> None:
    assert location_warning(tmp_path / "ksm.sqlite3") is None


def test_second_instance_is_refused_and_stale_lock_taken_over(db_path: Path) -> None:
    first = InstanceLock(db_path)
    first.acquire()

    def lock_held_by(pid: int) -> None:
        lock_path(db_path).write_text(
            f'{{"pid": {pid}, "host": "{socket.gethostname()}", "user": "amina"}}', "utf-8"
        )

    # another process on this host holds it: a live one, waiting for its standard input to close
    other = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        lock_held_by(other.pid)
        with pytest.raises(DatabaseError, match="already open"):
            InstanceLock(db_path).acquire()
    finally:
        other.communicate(timeout=60)
    # a crashed one: that process has ended (Windows keeps an ended process's pid while a handle
    # to it is open, as `other` still has)
    lock_held_by(other.pid)
    second = InstanceLock(db_path)
    second.acquire()
    assert second.owner() is not None and second.owner().pid == os.getpid()  # type: ignore[union-attr]
    second.release()
    assert not lock_path(db_path).exists()


def test_read_only_database_gives_a_clear_error_and_writes_nothing(services: Services) -> None:
    services.organisations.create(OrganisationInput(kind="cooperative", name="Before"))

    @__import__("sqlalchemy").event.listens_for(services.db.engine, "connect")
    def _query_only(dbapi_connection: object, _record: object) -> None:
        dbapi_connection.execute("PRAGMA query_only = ON")  # type: ignore[attr-defined]

    services.db.engine.dispose()  # reconnect with the pragma
    with pytest.raises(DatabaseError, match="read-only"):
        services.organisations.create(OrganisationInput(kind="cooperative", name="Refused"))
    names = [o.name for o in services.organisations.search().rows]
    assert names == ["Before"]


def test_read_only_engine_refuses_with_a_clear_error(demo: Services) -> None:
    assert demo.db.path is not None
    ro = Database(make_engine(f"sqlite:///{demo.db.path}", read_only=True))
    reader = Services(ro, Actor("amina", "admin"))
    with pytest.raises(DatabaseError, match="read-only"):
        reader.organisations.create(OrganisationInput(kind="cooperative", name="Refused"))
    assert reader.organisations.search(ListQuery(text="Refused")).total == 0
    ro.dispose()


def test_full_disk_gives_a_clear_error_and_nothing_partial(demo: Services) -> None:
    from ksm_desktop.services.dto import PersonInput

    before = demo.persons.search(ListQuery(limit=None)).total
    with demo.db.engine.connect() as conn:
        pages = conn.execute(text("PRAGMA page_count")).scalar()

    @__import__("sqlalchemy").event.listens_for(demo.db.engine, "connect")
    def _cap(dbapi_connection: object, _record: object) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")  # type: ignore[attr-defined]

    demo.db.engine.dispose()
    rows = [PersonInput(f"Prénom{n}", "Nom" * 30, "F", notes="x" * 2000) for n in range(500)]
    with pytest.raises(DatabaseError, match="disk is full"):
        demo.persons.bulk_create(rows)
    assert demo.persons.search(ListQuery(limit=None)).total == before


def test_a_foreign_sqlite_file_is_left_untouched(db_path: Path, tmp_path: Path) -> None:
    import sqlite3

    from ksm_desktop.db.storage import open_database

    with sqlite3.connect(db_path) as conn:
        conn.execute("CREATE TABLE compta (id INTEGER PRIMARY KEY)")
    conn.close()
    before = db_path.read_bytes()
    check = check_at_start(db_path, tmp_path / "b")
    assert check.moved_aside is None and check.unavailable is None
    with pytest.raises(DatabaseError, match="left untouched"):
        open_database(path=db_path)
    assert db_path.read_bytes() == before
    assert sorted(p.name for p in db_path.parent.iterdir() if p.name.startswith("ksm")) == [db_path.name]


def test_a_healthy_database_locked_by_another_program_is_not_called_damaged(
    demo: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database browser holds an exclusive lock: the check says so, moves nothing, and passes
    once the other program lets go."""
    import sqlite3

    from ksm_desktop.db import backup

    path = demo.db.path
    assert path is not None
    folder = tmp_path / "auto"
    AutoBackup(path, folder).run("manual")
    demo.db.dispose()
    monkeypatch.setattr(backup, "READ_TIMEOUT_S", 0.1)
    browser = sqlite3.connect(path, isolation_level=None)
    browser.execute("PRAGMA journal_mode = DELETE")
    browser.execute("BEGIN EXCLUSIVE")
    try:
        check = check_at_start(path, folder)
    finally:
        browser.execute("ROLLBACK")
        browser.close()
    assert check.moved_aside is None and check.latest_good is None
    assert (
        check.unavailable is not None and "lock" in check.unavailable and "damaged" not in check.unavailable
    )
    assert not list(path.parent.glob("*.damaged-*"))
    again = check_at_start(path, folder)  # "Try again"
    assert again.unavailable is None and again.moved_aside is None and again.problem is None


def test_a_file_that_cannot_be_read_is_reported_not_moved(
    demo: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ksm_desktop.db import backup

    path = demo.db.path
    assert path is not None
    demo.db.dispose()

    def denied(_path: Path) -> bool:
        raise PermissionError(13, "Permission denied", str(_path))

    monkeypatch.setattr(backup, "is_sqlite_file", denied)
    check = check_at_start(path, tmp_path / "auto")
    assert check.moved_aside is None and path.exists()
    assert check.unavailable is not None and "read-only" in check.unavailable
