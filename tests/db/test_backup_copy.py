"""A backup is what was committed when it began, whatever other connections do meanwhile, and a
copy damaged on its way to the disk is refused without blaming the database."""

from __future__ import annotations

import io
import sqlite3
import threading
from pathlib import Path

import pytest

from ksm_desktop.db import backup
from ksm_desktop.db.backup import backup_file, read_manifest, sha256_of, verify_copy
from ksm_desktop.db.engine import Database
from ksm_desktop.domain.errors import DatabaseError
from ksm_desktop.services import Actor, Services
from ksm_desktop.services.dto import OrganisationInput

pytestmark = pytest.mark.sqlite_only  # about the SQLite file itself


def _names(path: Path) -> set[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {row[0] for row in conn.execute("SELECT name FROM organisation")}
    finally:
        conn.close()


def _add(services: Services, name: str) -> None:
    services.organisations.create(OrganisationInput(kind="cooperative", name=name))


def test_a_backup_holds_what_is_committed_while_a_reader_pins_the_wal(db: Database, tmp_path: Path) -> None:
    """Pages still in the WAL (another program reads an older snapshot, so they cannot be moved
    into the file) are in the backup all the same."""
    assert db.path is not None
    services = Services(db, Actor("admin", "admin"))
    _add(services, "Coopérative Malika")
    reader = sqlite3.connect(db.path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM organisation").fetchone()  # an older snapshot, kept open
    _add(services, "Coopérative Weam")
    try:
        copy = backup_file(db.path, tmp_path / "b.sqlite3")
    finally:
        reader.close()
    assert _names(copy) == {"Coopérative Malika", "Coopérative Weam"}
    verify_copy(copy)
    assert read_manifest(copy)["sha256"] == sha256_of(copy)


def test_a_backup_while_another_program_writes_is_a_sound_snapshot(db: Database, tmp_path: Path) -> None:
    assert db.path is not None
    services = Services(db, Actor("admin", "admin"))
    _add(services, "Avant")
    stop = threading.Event()
    written: list[str] = []

    def write() -> None:
        while not stop.is_set() and len(written) < 200:
            name = f"Coopérative {len(written)}"
            _add(services, name)
            written.append(name)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        copies = [backup_file(db.path, tmp_path / f"b{n}.sqlite3") for n in range(3)]
    finally:
        stop.set()
        writer.join(timeout=60)
    for copy in copies:
        verify_copy(copy)
        assert copy.read_bytes()[18:20] == b"\x01\x01"  # a lone file: no WAL goes with it
        names = _names(copy)
        # Every copy is a prefix of what was written: the snapshot of one moment.
        assert "Avant" in names and names - {"Avant"} == set(written[: len(names) - 1])


def test_a_copy_damaged_on_its_way_is_refused_and_the_database_not_blamed(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failing disk or USB key writes other bytes than it was given: the check of the copy finds
    it, nothing is left under the backup's name, and the message names the copy."""
    assert db.path is not None
    _add(Services(db, Actor("admin", "admin")), "Coopérative Malika")
    real_chunk = backup._copy_chunk

    def failing_key(src: io.FileIO, dst: io.FileIO) -> int:
        n = real_chunk(src, dst)
        if dst.tell() > 3 * 4096:  # the third page comes out as something else
            dst.seek(2 * 4096)
            dst.write(b"\xff" * 4096)
            dst.seek(0, io.SEEK_END)
        return n

    monkeypatch.setattr(backup, "_copy_chunk", failing_key)
    with pytest.raises(DatabaseError) as exc:
        backup_file(db.path, tmp_path / "key" / "b.sqlite3")
    assert "b.sqlite3.partial is damaged" in exc.value.message
    assert "fails its integrity check" not in exc.value.message
    assert list((tmp_path / "key").iterdir()) == []


def test_a_file_the_system_cannot_read_through_is_copied_page_by_page(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Windows another program's lock on a byte range makes a plain read fail; SQLite's own
    backup copies the database all the same."""
    assert db.path is not None
    _add(Services(db, Actor("admin", "admin")), "Coopérative Malika")

    def locked(_src: io.FileIO, _dst: io.FileIO) -> int:
        raise PermissionError(13, "The process cannot access the file: a portion is locked")

    monkeypatch.setattr(backup, "_copy_chunk", locked)
    copy = backup_file(db.path, tmp_path / "b.sqlite3")
    verify_copy(copy)
    assert _names(copy) == {"Coopérative Malika"} and read_manifest(copy)["sha256"] == sha256_of(copy)
    assert not list(tmp_path.glob(".*partial*"))
