"""A database in a folder named as offices name them ("KSM #2", "Budget 100%", Arabic): the check
at start, backups, the read-only window and the first figures read that very file, and nothing
appears beside the folder. `file:{path}?mode=ro` once cut the name at '#' (and dropped read-only
with it): the check passed a truncated database by checking an empty "KSM " it had just created."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from ksm_desktop.db.backup import backup_file, integrity_problems
from ksm_desktop.db.engine import Database, make_engine, sqlite_url
from ksm_desktop.db.recovery import check_at_start
from ksm_desktop.db.storage import open_database
from ksm_desktop.db.uri import read_only_uri, uri_path
from ksm_desktop.services import Actor, Services
from ksm_desktop.services.dto import OrganisationInput

pytestmark = pytest.mark.sqlite_only

NAMES = ["KSM #2", "Budget 100% 2026", "مشاريع كرامة", "a%23b"]


@pytest.fixture(params=NAMES)
def office_db(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    folder = tmp_path / request.param
    folder.mkdir()
    path = folder / "ksm.sqlite3"
    services = Services(open_database(path=path, backup_dir=folder / "backups"), Actor("admin", "admin"))
    services.organisations.create(OrganisationInput(kind="cooperative", name="Coopérative Tafraout"))
    services.db.dispose()
    return path


def _beside(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.parent.iterdir())


def test_the_uri_names_the_file_itself(office_db: Path) -> None:
    assert uri_path(read_only_uri(office_db)) == office_db.absolute()
    with sqlite3.connect(read_only_uri(office_db), uri=True) as connection:
        assert connection.execute("SELECT name FROM organisation").fetchall() == [("Coopérative Tafraout",)]
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            connection.execute("DELETE FROM organisation")
    connection.close()


def test_a_truncated_database_is_found_damaged(office_db: Path) -> None:
    office_db.write_bytes(office_db.read_bytes()[: office_db.stat().st_size // 3])
    assert integrity_problems(office_db)
    check = check_at_start(office_db, office_db.parent / "backups")
    assert check.problem and check.moved_aside is not None and check.moved_aside.parent == office_db.parent
    assert _beside(office_db) == [office_db.parent.name]


def test_a_backup_copies_that_database(office_db: Path, tmp_path: Path) -> None:
    copy = backup_file(office_db, tmp_path / "copy.sqlite3")
    with sqlite3.connect(copy) as connection:
        assert connection.execute("SELECT name FROM organisation").fetchall() == [("Coopérative Tafraout",)]
    connection.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [office_db.parent.name, "copy.sqlite3", "copy.sqlite3.sha256"]
    )


def test_the_read_only_window_reads_that_database(office_db: Path) -> None:
    reader = Database(make_engine(sqlite_url(office_db), read_only=True))
    try:
        assert reader.path == office_db
        with reader.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM organisation")).scalar() == 1
    finally:
        reader.dispose()
    assert _beside(office_db) == [office_db.parent.name]
