"""Storage and services at office scale: 100,000 members."""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path

from benchmarks.common import Result, median_ms, people
from ksm_desktop.db.storage import open_database
from ksm_desktop.services import ListQuery, Services
from ksm_desktop.services.dto import OrganisationInput
from ksm_desktop.services.persons import validate_person

N = 100_000


def insert_members() -> list[Result]:
    """100k members through PersonService.bulk_create vs raw sqlite3 executemany of the same rows."""
    rows = people(N)
    with tempfile.TemporaryDirectory() as tmp:
        services = Services(open_database(path=Path(tmp) / "svc.sqlite3"))
        org = services.organisations.create(OrganisationInput(kind="cooperative", name="Bench")).id
        start = time.perf_counter()
        services.persons.bulk_create(rows, organisation_id=org)
        service_ms = (time.perf_counter() - start) * 1000
        services.db.dispose()

        # Baseline: the same table (same schema and indexes), the same already-normalised values.
        raw_services = Services(open_database(path=Path(tmp) / "raw.sqlite3"))
        org = raw_services.organisations.create(OrganisationInput(kind="cooperative", name="Bench")).id
        raw_services.db.dispose()
        values = [validate_person(r) for r in rows]
        tuples = [
            (
                v["first_name"],
                v["last_name"],
                v["sex"],
                v["cin"],
                v["phone"],
                v["birth_year"],
                v["vulnerabilities"],
                v["search"],
            )
            for v in values
        ]
        conn = sqlite3.connect(Path(tmp) / "raw.sqlite3")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        start = time.perf_counter()
        with conn:
            conn.executemany(
                "INSERT INTO person (first_name, last_name, sex, cin, phone, birth_year, vulnerabilities, search)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                tuples,
            )
            conn.executemany(
                "INSERT INTO membership (person_id, organisation_id, role) VALUES (?, ?, 'member')",
                [(pid, org) for pid in range(1, len(tuples) + 1)],
            )
        raw_ms = (time.perf_counter() - start) * 1000
        conn.close()
    return [
        Result(
            "insert 100k members (services, validated, with memberships)",
            service_ms,
            "<= 3x raw executemany",
            service_ms <= 3 * raw_ms,
            "raw sqlite3 executemany (persons + memberships)",
            raw_ms,
        )
    ]


def search_members() -> list[Result]:
    """A filtered member search (text + sex) over 100k rows, first page and total count."""
    with tempfile.TemporaryDirectory() as tmp:
        services = Services(open_database(path=Path(tmp) / "s.sqlite3"))
        services.persons.bulk_create(people(N))
        query = ListQuery(text="naima alaoui", filters={"sex": "F"}, limit=200)
        page = services.persons.search(query)
        assert page.total > 0
        ms = median_ms(lambda: services.persons.search(query))
        services.db.dispose()
    return [Result("filtered member search over 100k (text + sex, page + count)", ms, "< 50 ms", ms < 50)]


BENCHMARKS = [insert_members, search_members]
