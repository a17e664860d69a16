"""The members search's substring index (migration 0011): SQLite's FTS5 trigram table and
PostgreSQL's pg_trgm indexes follow every change to a person, the search finds what the scan
found, and the migration fills the index for persons already registered and goes down again."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import text

from ksm_desktop.db import migrate
from ksm_desktop.db.engine import Database, make_engine, sqlite_url
from ksm_desktop.db.storage import open_database
from ksm_desktop.services import Actor, ListQuery, Services, name_pages
from ksm_desktop.services import persons as persons_service
from ksm_desktop.services.dto import PersonInput

QUERIES = [
    "b",
    "be",
    "ben",
    "benal",
    "BENALI",
    "zineb ben",
    "fatima el",
    "محمد",
    "بن علي",
    "Mohammed",
    "0661234567",
    "+212 661",
    "AB123456",
    "ab 123",
    "50%",
    "a_b",
    'qu"ote',
]


def _found(services: Services, typed: str) -> list[int]:
    return [r.id for r in services.persons.search(ListQuery(text=typed, limit=None)).rows]


def _index_ok(db: Database) -> None:
    """SQLite: the trigram table agrees with the persons table row for row."""
    if db.is_sqlite:
        with db.engine.begin() as connection:
            connection.execute(
                text("INSERT INTO person_fts (person_fts, rank) VALUES ('integrity-check', 1)")
            )


def _register(services: Services) -> dict[str, int]:
    people = {
        "benali": PersonInput("Zineb", "Benali", "F", full_name_ar="زينب بنعلي", cin="AB123456"),
        "ben ali": PersonInput("Mohammed", "Ben Ali", "M", full_name_ar="محمد بن علي", phone="0661234567"),
        "fassi": PersonInput("Fatima", "El Fassi", "F", cin="X99"),
        "belkadi": PersonInput("Brahim", "Belkadi", "M", phone="0522334455"),
        "percent": PersonInput("Said", "Cinquante 50% Ab", "M"),
    }
    return {key: services.persons.create(p).id for key, p in people.items()}


def test_the_index_finds_what_the_scan_finds(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    _register(services)
    indexed = {q: _found(services, q) for q in QUERIES}
    monkeypatch.setattr(persons_service, "has_person_index", lambda _session: False)
    assert indexed == {q: _found(services, q) for q in QUERIES}
    assert indexed["benal"] and indexed["محمد"] and indexed["0661234567"] and indexed["AB123456"]


def test_a_person_is_found_after_each_change_and_gone_after_deletion(services: Services) -> None:
    ids = _register(services)
    assert _found(services, "benali") == [ids["benali"], ids["ben ali"]]
    zineb = services.persons.get(ids["benali"])
    services.persons.update(
        zineb.id,
        PersonInput("Zineb", "Tazi", "F", cin="AB123456", phone="0677889900", version=zineb.version),
    )
    assert _found(services, "benali") == [ids["ben ali"]]
    assert _found(services, "tazi") == _found(services, "0677889900") == [ids["benali"]]
    services.persons.merge(ids["percent"], ids["belkadi"])  # the kept person takes the phone
    assert _found(services, "belkadi") == []
    assert _found(services, "0522334455") == _found(services, "cinquante") == [ids["percent"]]
    services.persons.delete(ids["fassi"])
    assert _found(services, "fassi") == _found(services, "X99") == []
    _index_ok(services.db)


def test_persons_created_in_bulk_are_found_and_the_index_keeps_following(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An import fills the index in one statement (SQLite drops the row-by-row trigger meanwhile):
    every new person is found, the index agrees with the table, a later single creation is indexed
    again, and a bulk creation that fails leaves the trigger and the index as they were."""
    from ksm_desktop.db import audit
    from ksm_desktop.services.person_rows import BULK_INDEXING

    ids = _register(services)
    bulk = [PersonInput("Hanane", f"Ouazzani {n}", "F", cin=f"QB{n:05d}") for n in range(BULK_INDEXING)]
    assert services.persons.bulk_create(bulk) == BULK_INDEXING
    assert len(_found(services, "ouazzan")) == len(_found(services, "qb0")) == BULK_INDEXING
    assert _found(services, "benali") == [ids["benali"], ids["ben ali"]]
    _index_ok(services.db)
    later = services.persons.create(PersonInput("Rachid", "Zerhouni", "M")).id
    assert _found(services, "zerhoun") == [later]

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        services.persons.bulk_create([PersonInput("Nadia", f"Skalli {n}", "F") for n in range(BULK_INDEXING)])
    monkeypatch.undo()
    assert _found(services, "skalli") == []
    _index_ok(services.db)
    again = services.persons.create(PersonInput("Nadia", "Skalli", "F")).id
    assert _found(services, "skalli") == [again]


WRITER = """
import sys
from pathlib import Path
from ksm_desktop.db.storage import open_database
from ksm_desktop.services import Actor, Services
from ksm_desktop.services.dto import PersonInput
services = Services(open_database(path=Path(sys.argv[1])), Actor("other", "agent"))
services.persons.create(PersonInput("Rachid", "Zerhouni", "M"))
services.db.dispose()
"""


@pytest.mark.sqlite_only  # the trigger is dropped only on SQLite
def test_a_person_saved_by_another_program_during_an_import_is_indexed(
    services: Services, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While an import has the trigram trigger dropped, another program saving a person waits for
    the import's lock and finds the trigger back: its person is found, the index intact."""
    import subprocess
    import sys

    from ksm_desktop.services import person_rows
    from ksm_desktop.services.person_rows import BULK_INDEXING

    inserted = person_rows.executemany
    other: list[subprocess.Popen[bytes]] = []

    def insert_then_let_another_write(*args: object) -> None:
        inserted(*args)
        other.append(subprocess.Popen([sys.executable, "-c", WRITER, str(db_path)]))
        with pytest.raises(subprocess.TimeoutExpired):  # it waits for the import's write lock
            other[0].wait(timeout=1.5)

    monkeypatch.setattr(person_rows, "executemany", insert_then_let_another_write)
    bulk = [PersonInput("Hanane", f"Ouazzani {n}", "F") for n in range(BULK_INDEXING)]
    assert services.persons.bulk_create(bulk) == BULK_INDEXING
    assert other[0].wait(timeout=60) == 0
    assert len(_found(services, "zerhoun")) == 1 and len(_found(services, "ouazzan")) == BULK_INDEXING
    _index_ok(services.db)


def test_an_anonymised_person_is_no_longer_found(services: Services) -> None:
    ids = _register(services)
    Services(services.db, Actor("amina", "admin")).privacy.anonymise(ids["ben ali"])
    for typed in ("mohammed", "ben ali", "محمد", "0661234567"):
        assert ids["ben ali"] not in _found(services, typed), typed
    assert _found(services, "zineb") == [ids["benali"]]
    _index_ok(services.db)


def test_a_search_of_three_letters_reads_the_index(services: Services) -> None:
    """SQLite asks the trigram table; PostgreSQL has a trigram index on each searched column."""
    with services.db.engine.connect() as connection:
        if services.db.is_sqlite:
            names = set(connection.execute(text("SELECT name FROM sqlite_master")).scalars())
            assert {"person_fts", "person_fts_insert", "person_fts_update", "person_fts_delete"} <= names
        else:
            indexes = connection.execute(
                text(
                    "SELECT indexdef FROM pg_indexes WHERE tablename = 'person' AND indexdef LIKE '%gin_trgm_ops%'"
                )
            ).scalars()
            assert len(list(indexes)) == 3


def _upgrade_down_and_up(url: str) -> None:
    engine = make_engine(url)
    migrate.upgrade(engine, "0010")
    engine.dispose()
    services = Services(open_database(url), Actor("admin", "admin"))  # persons written before 0011
    migrate.downgrade(services.db.engine, "0010")
    ids = _register(services)
    migrate.upgrade(services.db.engine)
    assert _found(services, "benali") == [ids["benali"], ids["ben ali"]]
    assert _found(services, "0661234567") == [ids["ben ali"]]
    _index_ok(services.db)
    migrate.downgrade(services.db.engine, "0008")
    assert _found(services, "benali") == [ids["benali"], ids["ben ali"]]  # the scan, as before
    with services.db.engine.connect() as connection:
        if services.db.is_sqlite:
            left = connection.execute(text("SELECT name FROM sqlite_master WHERE name LIKE 'person_fts%'"))
        else:
            left = connection.execute(text("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%trgm%'"))
        assert list(left) == []
    services.db.dispose()


def test_sqlite_migration_indexes_registered_persons_and_goes_down(tmp_path: Path) -> None:
    _upgrade_down_and_up(sqlite_url(tmp_path / "m.sqlite3"))


def test_postgresql_migration_indexes_registered_persons_and_goes_down(pg_url: str) -> None:
    _upgrade_down_and_up(pg_url)


def _without_index(url: str, taken: str, caplog: pytest.LogCaptureFixture) -> None:
    """The index cannot be made (here its name is taken): the upgrade logs it, the search works."""
    engine = make_engine(url)
    migrate.upgrade(engine, "0008")
    with engine.begin() as connection:
        connection.execute(text(taken))
    with caplog.at_level(logging.WARNING):
        migrate.upgrade(engine)
    engine.dispose()
    assert "no substring index" in caplog.text
    services = Services(open_database(url), Actor("admin", "admin"))
    ids = _register(services)
    assert _found(services, "benali") == [ids["benali"], ids["ben ali"]]
    services.db.dispose()


def test_sqlite_without_the_trigram_table_still_searches(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _without_index(sqlite_url(tmp_path / "m.sqlite3"), "CREATE TABLE person_fts (x INTEGER)", caplog)


def test_postgresql_without_pg_trgm_still_searches(pg_url: str, caplog: pytest.LogCaptureFixture) -> None:
    _without_index(pg_url, "CREATE INDEX ix_person_phone_trgm ON person (phone)", caplog)


MORE = [
    PersonInput("Amina", "Benali", "F", full_name_ar="أمينة بنعلي"),
    PersonInput("Youssef", "Benali", "M", phone="0661234599"),
    PersonInput("Said", "Ben Ali", "M", full_name_ar="سعيد بن علي"),
    PersonInput("Fatima", "Bennani", "F", cin="AB123457"),
    PersonInput("Hassan", "Aabid", "M", full_name_ar="حسن بنعلي"),
    PersonInput("Zineb", "Zahraoui", "F", full_name_ar="زينب الزهراوي"),
    PersonInput("Mohamed", "Ait Benali", "M"),
]


ORDERS = [(None, False), (None, True), ("last_name", False), ("last_name", True)]


@pytest.mark.parametrize("cap", [0, 2])
def test_a_broad_search_is_paged_in_the_same_order_and_counted_up_to_a_cap(
    services: Services, monkeypatch: pytest.MonkeyPatch, cap: int
) -> None:
    """Beyond COUNT_CAP persons found, the page is read along the name index and the count says
    "more than": the same persons, in the same order, page after page."""
    _register(services)
    for person in MORE:
        services.persons.create(person)
    monkeypatch.setattr(name_pages, "COUNT_CAP", cap)
    for typed in QUERIES:
        for sort, descending in ORDERS:
            asked = ListQuery(text=typed, sort=sort, descending=descending)
            everyone = [r.id for r in services.persons.search(replace(asked, limit=None)).rows]
            for size in (1, 2, 3):
                paged: list[int] = []
                while True:
                    page = services.persons.search(replace(asked, offset=len(paged), limit=size))
                    paged += [r.id for r in page.rows]
                    if len(page.rows) < size:
                        break
                assert paged == everyone, (typed, sort, descending, size)
            first = services.persons.search(replace(asked, limit=3))
            expected = (cap, True) if len(everyone) > cap else (len(everyone), False)
            assert (first.total, first.more) == expected, typed
    assert len(_found(services, "benali")) > 4  # the name as typed, then its other spellings
