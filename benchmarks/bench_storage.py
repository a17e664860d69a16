"""Storage and services at office scale: 100,000 members."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.common import Result, median_ms, people
from ksm_desktop.db.storage import open_database
from ksm_desktop.services import Actor, ListQuery, Services
from ksm_desktop.services.dto import OrganisationInput, PersonInput
from ksm_desktop.services.person_rows import validate_person

N = 100_000


ROUNDS = 3  # service and raw runs alternate, the medians are compared: a busy moment hits both


def _empty_database(path: Path) -> int:
    """A migrated database with one organisation; returns its id."""
    services = Services(open_database(path=path), Actor("admin", "admin"))
    org = services.organisations.create(OrganisationInput(kind="cooperative", name="Bench")).id
    services.db.dispose()
    return org


def _service_insert(path: Path, rows: list[PersonInput]) -> float:
    org = _empty_database(path)
    services = Services(open_database(path=path), Actor("admin", "admin"))
    start = time.perf_counter()
    services.persons.bulk_create(rows, organisation_id=org)
    elapsed = (time.perf_counter() - start) * 1000
    services.db.dispose()
    return elapsed


def _raw_insert(
    path: Path,
    columns: tuple[str, ...],
    tuples: list[tuple[object, ...]],
    audit: list[tuple[object, ...]],
) -> float:
    org = _empty_database(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    start = time.perf_counter()
    with conn:
        conn.executemany(
            f"INSERT INTO person ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", tuples
        )
        conn.executemany(
            "INSERT INTO membership (person_id, organisation_id, role) VALUES (?, ?, 'member')",
            [(pid, org) for pid in range(1, len(tuples) + 1)],
        )
        conn.executemany(  # each imported person has their own line in the audit log
            "INSERT INTO audit_entry (at, username, action, entity, entity_id, label, changes) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            audit,
        )
    elapsed = (time.perf_counter() - start) * 1000
    conn.close()
    return elapsed


def insert_members() -> list[Result]:
    """100k members through PersonService.bulk_create vs raw sqlite3 executemany of the same rows:
    the same schema and indexes, every column the service stores, ids handed out the same way,
    values already validated and normalised for the baseline."""
    rows = people(N)
    values = [validate_person(r) for r in rows]
    columns = ("id", *values[0])
    tuples = [(pid, *v.values()) for pid, v in enumerate(values, start=1)]
    now = dt.datetime.now().replace(microsecond=0).isoformat(sep=" ")
    audit = [
        (now, "admin", "create", "person", pid, f"{v['first_name']} {v['last_name']}",
         json.dumps({k: [None, str(x)] for k, x in v.items()}, ensure_ascii=False, sort_keys=True))
        for pid, v in enumerate(values, start=1)
    ]  # fmt: skip
    service, raw = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(ROUNDS):
            service.append(_service_insert(Path(tmp) / f"svc{n}.sqlite3", rows))
            raw.append(_raw_insert(Path(tmp) / f"raw{n}.sqlite3", columns, tuples, audit))
    service_ms, raw_ms = statistics.median(service), statistics.median(raw)
    return [
        Result(
            "insert 100k members (services, validated, with memberships)",
            service_ms,
            "<= 2x raw executemany",
            service_ms <= 2 * raw_ms,
            "raw sqlite3 executemany (persons + memberships + their audit lines)",
            raw_ms,
        )
    ]


def search_members() -> list[Result]:
    """A filtered member search (text + sex) over 100k rows, first page and total count."""
    with tempfile.TemporaryDirectory() as tmp:
        services = Services(open_database(path=Path(tmp) / "s.sqlite3"), Actor("admin", "admin"))
        services.persons.bulk_create(people(N))
        query = ListQuery(text="naima alaoui", filters={"sex": "F"}, limit=200)
        page = services.persons.search(query)
        assert page.total > 0
        ms = median_ms(lambda: services.persons.search(query))
        services.db.dispose()
    return [Result("filtered member search over 100k (text + sex, page + count)", ms, "< 50 ms", ms < 50)]


BENCHMARKS = [insert_members, search_members]
