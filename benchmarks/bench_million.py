"""The members list and a search typed one keystroke at a time, at 1,000,000 persons, on SQLite
and on PostgreSQL, through the services (what the Members page asks for each keystroke).

Run it by name (`python -m benchmarks million`): building a million persons takes minutes, so it
is not part of every `make bench`, and the databases are kept between runs and reused while they
hold the expected number of persons (a newer schema is migrated on open):

KSM_BENCH_1M_DIR      folder of the SQLite file (default: "ksm-bench-1m" in the temporary folder)
KSM_BENCH_1M_PERSONS  how many persons (default 1,000,000)
KSM_BENCH_PG_URL      a PostgreSQL server where the database "ksm_bench_1m_<persons>" may be made and
                      kept (default: KSM_TEST_PG_URL); without either, only SQLite is measured
"""

from __future__ import annotations

import os
import random
import sqlite3
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from benchmarks.common import Result, median_ms
from ksm_desktop.db.engine import Database
from ksm_desktop.db.storage import open_database
from ksm_desktop.demo.seed import AR, LAST, MEN_FIRST, WOMEN_FIRST
from ksm_desktop.services import Actor, ListQuery, Services
from ksm_desktop.services.dto import OrganisationInput, PersonInput
from ksm_desktop.services.person_rows import validate_person

PG_DATABASE = "ksm_bench_1m"
ORGANISATIONS = 50
# Family names people type in a search ("ben…") beside the demo's, with their Arabic spelling.
MORE_LAST = {
    "Benali": "بنعلي",
    "Ben Ali": "بن علي",
    "Benabdellah": "بنعبد الله",
    "Benjelloun": "بنجلون",
    "Bensaid": "بن سعيد",
    "Berrada": "برادة",
}
LAST_NAMES = [*LAST, *MORE_LAST]
ARABIC = AR | MORE_LAST
# What a person types, one keystroke at a time, then an Arabic name, a phone and a CIN.
KEYSTROKES = ["b", "be", "ben", "bena", "benal", "فاطمة", "0600012345", "ZZ012345"]
GOAL_PAGE_MS, GOAL_KEYSTROKE_MS = 500.0, 100.0


def persons() -> int:
    return int(os.environ.get("KSM_BENCH_1M_PERSONS", "1000000"))


def person(i: int, rng: random.Random) -> PersonInput:
    """Person number i: a name from the demo's pools, its Arabic spelling, a unique CIN and phone."""
    woman = i % 2 == 0
    first = rng.choice(WOMEN_FIRST if woman else MEN_FIRST)
    last = rng.choice(LAST_NAMES)
    return PersonInput(
        first_name=first,
        last_name=last,
        sex="F" if woman else "M",
        full_name_ar=f"{ARABIC[first]} {ARABIC[last]}" if i % 3 else None,
        cin=f"ZZ{i:06d}",
        phone=f"06{i:08d}",
        birth_year=1950 + i % 55,
    )


def rows(n: int) -> Iterator[tuple[Any, ...]]:
    """(id, column values…) of n persons, validated and keyed exactly as the service stores them."""
    rng = random.Random(13)
    for i in range(n):
        values = validate_person(person(i, rng))
        yield (i + 1, *values.values())


def columns() -> tuple[str, ...]:
    return ("id", *validate_person(person(0, random.Random(0))))


def _count(database: Database) -> int:
    with database.engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM person")).scalar_one())


def _organisations(database: Database) -> list[int]:
    services = Services(database, Actor("bench", "admin"))
    return [
        services.organisations.create(OrganisationInput(kind="cooperative", name=f"Coopérative {n}")).id
        for n in range(ORGANISATIONS)
    ]


def _fill_sqlite(path: Path, n: int, orgs: list[int]) -> None:
    names = columns()
    connection = sqlite3.connect(path)
    with connection:
        connection.executemany(
            f"INSERT INTO person ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})", rows(n)
        )
        connection.executemany(  # every second person is a member of a cooperative
            "INSERT INTO membership (person_id, organisation_id, role) VALUES (?, ?, 'member')",
            ((pid, orgs[pid % len(orgs)]) for pid in range(1, n + 1, 2)),
        )
    connection.close()


def _fill_postgresql(database: Database, n: int, orgs: list[int]) -> None:
    names = columns()
    raw: Any = database.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("SET statement_timeout = 0")  # the application's limit is for one screen's query
        with cursor.copy(f"COPY person ({', '.join(names)}) FROM STDIN") as copy:
            for row in rows(n):
                copy.write_row(row)
        with cursor.copy("COPY membership (person_id, organisation_id, role) FROM STDIN") as copy:
            for pid in range(1, n + 1, 2):
                copy.write_row((pid, orgs[pid % len(orgs)], "member"))
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('person', 'id'), {n})")
        cursor.execute("ANALYZE person")
        cursor.execute("ANALYZE membership")
        raw.commit()
    finally:
        raw.close()


def _built(database: Database, fill: Callable[[list[int]], None], n: int, label: str) -> Database:
    """The database holding n persons: reused when it already does, else filled now."""
    if _count(database) == n:
        return database
    if _count(database):
        raise RuntimeError(f"the {label} benchmark database holds another number of persons; delete it")
    start = time.perf_counter()
    fill(_organisations(database))
    print(f"  built {n:,} persons on {label} in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return database


def sqlite_database(n: int) -> Database:
    folder = Path(os.environ.get("KSM_BENCH_1M_DIR") or Path(tempfile.gettempdir()) / "ksm-bench-1m")
    path = folder / f"persons-{n}.sqlite3"
    database = open_database(path=path)
    return _built(database, lambda orgs: _fill_sqlite(path, n, orgs), n, "SQLite")


def postgresql_database(n: int) -> Database | None:
    base = os.environ.get("KSM_BENCH_PG_URL") or os.environ.get("KSM_TEST_PG_URL")
    if not base:
        return None
    name = f"{PG_DATABASE}_{n}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        if not connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first():
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    database = open_database(base.rsplit("/", 1)[0] + f"/{name}")
    return _built(database, lambda orgs: _fill_postgresql(database, n, orgs), n, "PostgreSQL")


def peak_kib(fn: Callable[[], object]) -> float:
    """The most memory Python held while `fn` ran, in KiB."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 1024
    finally:
        tracemalloc.stop()


def measure(label: str, database: Database, n: int) -> list[Result]:
    services = Services(database, Actor("bench", "admin"))
    search = services.persons.search
    first_page = ListQuery(limit=200)
    results = []
    page_ms = median_ms(partial(search, first_page), repeat=5)
    page = search(first_page)
    results.append(
        Result(
            f"{label}, {n:,} persons: Members list, first page ({len(page.rows)} rows of {page.total:,})",
            page_ms,
            f"< {GOAL_PAGE_MS:.0f} ms",
            page_ms < GOAL_PAGE_MS,
        )
    )
    for typed in KEYSTROKES:
        query = ListQuery(text=typed, limit=200)
        ms = median_ms(partial(search, query), repeat=3)
        found = search(query)
        results.append(
            Result(
                f"{label}, {n:,} persons: search keystroke “{typed}” "
                f"({'more than ' if found.more else ''}{found.total:,} found, page + count)",
                ms,
                f"< {GOAL_KEYSTROKE_MS:.0f} ms",
                ms < GOAL_KEYSTROKE_MS,
            )
        )
    heaviest = max(
        peak_kib(partial(search, q)) for q in [first_page, *(ListQuery(text=t) for t in KEYSTROKES)]
    )
    results.append(
        Result(
            f"{label}, {n:,} persons: Python memory at the peak of one page or keystroke",
            heaviest,
            "flat in the list size (one page)",
            heaviest < 4096,
            unit=" KiB",
        )
    )
    return results


def million_members() -> list[Result]:
    n = persons()
    results = []
    for label, opener in (("SQLite", sqlite_database), ("PostgreSQL", postgresql_database)):
        database = opener(n)
        if database is None:
            print("  (no PostgreSQL server: set KSM_BENCH_PG_URL or KSM_TEST_PG_URL)", file=sys.stderr)
            continue
        try:
            results += measure(label, database, n)
        finally:
            database.dispose()
    return results


BENCHMARKS: list[Callable[[], list[Result]]] = [million_members]
ON_REQUEST = True  # minutes to build, hundreds of MB: run by name, not in every `make bench`
