"""A shared office under load: 8 client processes, each doing what a person at a desk does (search
the members list, add a person, create a grant, validate one), at once, against PostgreSQL and
against one SQLite file.

Failed saves and duplicate grant numbers are counted, p50/p95 latency is reported per operation.
The database holds the demo portfolio and 10,000 more members.

KSM_BENCH_SECONDS  how long the clients run (default 60); KSM_BENCH_QUICK=1: 5 seconds
KSM_BENCH_CLIENTS  how many client processes (default 8)
KSM_BENCH_PG_URL   a PostgreSQL server where a scratch database may be created (default:
                   KSM_TEST_PG_URL); without either, only SQLite is measured
"""

from __future__ import annotations

import collections
import datetime as dt
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

from benchmarks.common import FIRST, LAST, Result, people
from ksm_desktop.db.engine import Database, make_engine, sqlite_url
from ksm_desktop.db.storage import open_database
from ksm_desktop.db.transfer import copy_database
from ksm_desktop.demo.portfolio import load_demo
from ksm_desktop.services import Actor, ListQuery, Services
from ksm_desktop.services.dto import GrantInput, GrantItemInput, PersonInput

MEMBERS = 10_000
SEARCH, ADD_PERSON, CREATE_GRANT, VALIDATE = (
    "search members (page + count)",
    "add a person",
    "create a grant",
    "validate a grant",
)
MIX = [(SEARCH, 5), (ADD_PERSON, 2), (CREATE_GRANT, 2), (VALIDATE, 1)]  # weights of a desk's day
GOALS_MS = {SEARCH: 50.0, ADD_PERSON: 100.0, CREATE_GRANT: 100.0, VALIDATE: 100.0}
SAVES = (ADD_PERSON, CREATE_GRANT, VALIDATE)


def seconds() -> float:
    if os.environ.get("KSM_BENCH_QUICK"):
        return 5.0
    return float(os.environ.get("KSM_BENCH_SECONDS", "60"))


def clients() -> int:
    return int(os.environ.get("KSM_BENCH_CLIENTS", "8"))


@dataclass
class Tally:
    """What one client (or all of them) did: latencies per operation and failures by reason."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: collections.defaultdict(list))
    failures: dict[str, collections.Counter[str]] = field(
        default_factory=lambda: collections.defaultdict(collections.Counter)
    )

    def add(self, latencies: dict[str, list[float]], failures: dict[str, dict[str, int]]) -> None:
        for op, values in latencies.items():
            self.latencies[op].extend(values)
        for op, reasons in failures.items():
            self.failures[op].update(reasons)


class Desk:
    """One person's work on their own connection to the shared database."""

    def __init__(self, url: str, number: int) -> None:
        self.services = Services(Database(make_engine(url)), Actor(f"bench.{number}", "agent"))
        self.number = number
        self.random = random.Random(number)
        self.added = 0
        self.organisations = [o.id for o in self.services.organisations.search(ListQuery(limit=None)).rows]
        self.drafts: collections.deque[int] = collections.deque()

    def search(self) -> None:
        words = f"{self.random.choice(FIRST)} {self.random.choice(LAST)}"
        self.services.persons.search(ListQuery(text=words[: self.random.randint(3, len(words))], limit=50))

    def add_person(self) -> None:
        self.added += 1
        first, last = self.random.choice(FIRST), self.random.choice(LAST)
        self.services.persons.create(
            PersonInput(
                first_name=first,
                last_name=last,
                sex=self.random.choice("FM"),
                cin=f"Z{self.number}{self.added:05d}",
                birth_year=self.random.randint(1960, 2004),
            )
        )

    def create_grant(self) -> None:
        items = [GrantItemInput("Ruches", Decimal(self.random.randint(1, 20)), Decimal("450.00"))]
        grant = self.services.grants.create(
            GrantInput(
                purpose="Apiculture",
                organisation_id=self.random.choice(self.organisations),
                grant_date=dt.date.today(),
                women=self.random.randint(0, 12),
                items=items,
            )
        )
        self.drafts.append(grant.id)

    def validate(self) -> None:
        if not self.drafts:
            self.create_grant()
        self.services.grants.transition(self.drafts.popleft(), "validated")

    def run(self, op: str) -> None:
        {
            SEARCH: self.search,
            ADD_PERSON: self.add_person,
            CREATE_GRANT: self.create_grant,
            VALIDATE: self.validate,
        }[op]()


def client(url: str, number: int, duration: float, start: Any, results: Any) -> None:
    """A client process: get ready, wait for the others, then work for `duration` seconds."""
    desk = Desk(url, number)
    desk.search()  # connection and first query out of the way
    tally = Tally()
    ops, weights = zip(*MIX, strict=True)
    start.wait()
    end = time.perf_counter() + duration
    while time.perf_counter() < end:
        op = desk.random.choices(ops, weights)[0]
        began = time.perf_counter()
        try:
            desk.run(op)
        except Exception as exc:  # a failed save is what is being counted
            tally.failures[op][
                f"{type(exc).__name__}: {str(getattr(exc, 'message', exc)).splitlines()[0][:120]}"
            ] += 1
        else:
            tally.latencies[op].append((time.perf_counter() - began) * 1000)
    desk.services.db.dispose()
    results.put((dict(tally.latencies), {op: dict(c) for op, c in tally.failures.items()}))


def load(url: str) -> Tally:
    """Run the clients at once against `url`; their tallies added up."""
    context = multiprocessing.get_context("spawn")
    count = clients()
    start, results = context.Barrier(count + 1), context.Queue()
    processes = [
        context.Process(target=client, args=(url, n + 1, seconds(), start, results)) for n in range(count)
    ]
    for process in processes:
        process.start()
    start.wait(timeout=120)
    total = Tally()
    for _ in processes:
        total.add(*results.get(timeout=seconds() + 300))
    for process in processes:
        process.join(timeout=60)
    return total


def duplicate_numbers(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            sql = "SELECT count(*) - count(DISTINCT number) FROM grants"
            return int(connection.execute(text(sql)).scalar_one())
    finally:
        engine.dispose()


def percentile(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1] if len(values) > 1 else values[0]


def results_for(engine: str, tally: Tally, duplicates: int, goals: bool) -> list[Result]:
    """One row per operation (p95, with p50 and counts in the name), one for failures."""
    rows = []
    label = f"office load, {engine}, {clients()} clients × {seconds():.0f} s"
    for op, _weight in MIX:
        done = tally.latencies.get(op, [])
        failed = sum(tally.failures.get(op, {}).values())
        if not done:
            rows.append(Result(f"{label}: {op}: nothing succeeded ({failed} failed)", 0.0, "", False))
            continue
        p95, p50 = percentile(done, 95), statistics.median(done)
        goal = f"p95 < {GOALS_MS[op]:.0f} ms" if goals else "none (comparison)"
        rows.append(
            Result(
                f"{label}: {op}, p95 (p50 {p50:.1f} ms; {len(done):,} done, {failed:,} failed)",
                p95,
                goal,
                p95 < GOALS_MS[op] if goals else True,
            )
        )
    failed_saves = sum(sum(tally.failures.get(op, {}).values()) for op in SAVES)
    reasons = collections.Counter[str]()
    for op in SAVES:
        reasons.update(tally.failures.get(op, {}))
    why = "; ".join(f"{n}× {reason}" for reason, n in reasons.most_common(2))
    rows.append(
        Result(
            f"{label}: failed saves{f' ({why})' if why else ''}, duplicate grant numbers: {duplicates}",
            float(failed_saves),
            "0 failed, 0 duplicates",
            failed_saves == 0 and duplicates == 0,
            unit="",
        )
    )
    return rows


def _populated(path: Path) -> Database:
    database = open_database(path=path)
    services = Services(database, Actor("bench", "admin"))
    load_demo(services)
    services.persons.bulk_create(people(MEMBERS))
    return database


@contextmanager
def _scratch_server_database() -> Iterator[str | None]:
    base = os.environ.get("KSM_BENCH_PG_URL") or os.environ.get("KSM_TEST_PG_URL")
    if not base:
        yield None
        return
    name = f"ksm_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def office_load() -> list[Result]:
    """The same office, the same work, on PostgreSQL (goals apply) and on one SQLite file."""
    rows: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp, _scratch_server_database() as server:
        path = Path(tmp) / "office.sqlite3"
        source = _populated(path)
        engines: list[tuple[str, str, bool]] = [("SQLite", sqlite_url(path), False)]
        if server is None:
            print("  (no PostgreSQL server: set KSM_BENCH_PG_URL or KSM_TEST_PG_URL)", file=sys.stderr)
        else:
            copy_database(source, server)
            engines.insert(0, ("PostgreSQL", server, True))
        source.dispose()
        for engine, url, goals in engines:
            tally = load(url)
            rows += results_for(engine, tally, duplicate_numbers(url), goals)
    return rows


BENCHMARKS: list[Callable[[], list[Result]]] = [office_load]
