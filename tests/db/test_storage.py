"""Opening databases safely: bad files are refused and left untouched; migrations back up first."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine, event, text

from ksm_desktop.db import migrate, revisions
from ksm_desktop.db.backup import backup_file, integrity_problems
from ksm_desktop.db.restore import restore_file
from ksm_desktop.db.storage import open_database
from ksm_desktop.demo.portfolio import load_demo
from ksm_desktop.domain.errors import DatabaseError
from ksm_desktop.services import Actor, ListQuery, Services

pytestmark = pytest.mark.sqlite_only  # about the SQLite file itself


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_connection_has_the_safety_pragmas(db_path: Path) -> None:
    database = open_database(path=db_path)
    with database.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    database.dispose()


@pytest.mark.parametrize("checked", [False, True])  # True: the start-up check found it sound
def test_a_foreign_sqlite_file_is_refused_and_untouched(tmp_path: Path, checked: bool) -> None:
    path = tmp_path / "compta.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE factures (id INTEGER PRIMARY KEY, montant REAL)")
    conn.execute("INSERT INTO factures VALUES (1, 12.5)")
    conn.commit()
    conn.close()
    before = _digest(path)
    with pytest.raises(DatabaseError) as err:
        open_database(path=path, checked=checked)
    assert "not a KSM Desktop database" in err.value.message
    assert _digest(path) == before


def test_a_file_that_is_not_sqlite_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_text("Liste des bénéficiaires\n" * 100)
    before = _digest(path)
    with pytest.raises(DatabaseError):
        open_database(path=path)
    assert _digest(path) == before


def test_a_corrupted_database_is_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "ksm.sqlite3"
    database = open_database(path=path)
    load_demo(Services(database, Actor("admin", "admin")))
    database.dispose()
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 2, len(data) - page, page * 3):  # scribble over several pages
        data[offset + 100 : offset + 400] = b"\xff" * 300
    path.write_bytes(bytes(data))
    before = _digest(path)
    with pytest.raises(DatabaseError) as err:
        open_database(path=path)
    assert "damaged" in err.value.message or "not a KSM" in err.value.message
    assert _digest(path) == before


def test_a_truncated_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ksm.sqlite3"
    database = open_database(path=path)
    load_demo(Services(database, Actor("admin", "admin")))
    database.dispose()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(DatabaseError):
        open_database(path=path)


def test_a_newer_schema_is_refused_and_untouched(db_path: Path) -> None:
    database = open_database(path=db_path)
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    database.dispose()
    before = _digest(db_path)
    with pytest.raises(DatabaseError) as err:
        open_database(path=db_path)
    assert "newer version" in err.value.message
    assert _digest(db_path) == before


def test_migrating_backs_up_the_file_first(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = open_database(path=db_path)
    load_demo(Services(database, Actor("admin", "admin")))
    database.dispose()
    current = revisions.head_revision()
    upgraded: list[Path] = []
    backups = tmp_path / "backups"

    def fake_upgrade(engine: object, revision: str = "head") -> None:
        upgraded.extend(backups.glob("*.sqlite3"))  # the backup must exist before the upgrade runs

    monkeypatch.setattr(revisions, "head_revision", lambda: "next")
    monkeypatch.setattr(revisions, "known_revisions", lambda: {current, "next"})
    monkeypatch.setattr(migrate, "upgrade", fake_upgrade)
    open_database(path=db_path, backup_dir=backups).dispose()
    assert [p for p in upgraded if "before-migration-next" in p.name]
    assert integrity_problems(upgraded[0]) == []


def test_backup_is_verified_and_restore_keeps_the_replaced_database(db_path: Path, tmp_path: Path) -> None:
    database = open_database(path=db_path)
    services = Services(database, Actor("admin", "admin"))
    load_demo(services)
    copy = backup_file(db_path, tmp_path / "copies" / "b.sqlite3")
    assert integrity_problems(copy) == []
    from ksm_desktop.services.dto import OrganisationInput

    services.organisations.create(OrganisationInput(kind="agr", name="Ajoutée après la sauvegarde"))
    database.dispose()
    aside = restore_file(copy, db_path)
    assert aside is not None and aside.exists()
    restored = Services(open_database(path=db_path), Actor("admin", "admin"))
    assert restored.organisations.search(ListQuery(text="ajoutee")).total == 0
    restored.db.dispose()


def test_restore_refuses_a_bad_backup_and_changes_nothing(db_path: Path, tmp_path: Path) -> None:
    open_database(path=db_path).dispose()
    before = _digest(db_path)
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"garbage" * 1000)
    with pytest.raises(DatabaseError):
        restore_file(bad, db_path)
    assert _digest(db_path) == before


def test_a_province_gone_missing_is_added_back_under_its_region_on_opening(db_path: Path) -> None:
    open_database(path=db_path).dispose()
    with sqlite3.connect(db_path) as conn:
        region_id = conn.execute("SELECT parent_id FROM location WHERE code = 'P0103'").fetchone()[0]
        conn.execute("DELETE FROM location WHERE code = 'P0103'")
    conn.close()
    open_database(path=db_path).dispose()
    with sqlite3.connect(db_path) as conn:
        back = conn.execute(
            "SELECT parent_id, id = province_id FROM location WHERE code = 'P0103'"
        ).fetchall()
    conn.close()
    assert back == [(region_id, 1)]


def test_reopening_reads_the_regions_and_provinces_in_one_query(db_path: Path) -> None:
    """A complete reference list is not read back region by region at every start."""
    open_database(path=db_path).dispose()
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    event.listen(Engine, "before_cursor_execute", seen)
    try:
        open_database(path=db_path).dispose()
    finally:
        event.remove(Engine, "before_cursor_execute", seen)
    assert sum("FROM location" in s for s in statements) == 1
