"""Safety costs at office scale: a verified backup of 100,000 members, audited saves, sign-in."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from sqlalchemy import event

from benchmarks.common import Result, median_ms, people
from ksm_desktop.db.audit import after_flush
from ksm_desktop.db.backup import backup_file
from ksm_desktop.db.storage import open_database
from ksm_desktop.services import Actor, ListQuery, Services
from ksm_desktop.services.dto import PersonInput
from ksm_desktop.services.users import authenticate, create_first_admin

N = 100_000


def verified_backup() -> list[Result]:
    """backup_file (online backup, fsync, full integrity_check, SHA-256, rename) of a database with 100k members."""
    with tempfile.TemporaryDirectory() as tmp:
        services = Services(open_database(path=Path(tmp) / "b.sqlite3"), Actor("admin", "admin"))
        services.persons.bulk_create(people(N))
        services.db.dispose()
        n = iter(range(100))
        ms = median_ms(
            lambda: backup_file(Path(tmp) / "b.sqlite3", Path(tmp) / f"copy{next(n)}.sqlite3"), repeat=3
        )
    return [Result("verified backup of a 100k-member database", ms, "< 3000 ms", ms < 3000)]


def audited_updates() -> list[Result]:
    """200 person updates through the service, with the audit listener vs without it."""
    with tempfile.TemporaryDirectory() as tmp:
        services = Services(open_database(path=Path(tmp) / "a.sqlite3"), Actor("admin", "admin"))
        services.persons.bulk_create(people(200))
        ids = [r.id for r in services.persons.search(ListQuery(limit=None)).rows]

        def run(suffix: str) -> float:
            start = time.perf_counter()
            for pid in ids:
                services.persons.update(pid, PersonInput("Fatima", f"Alaoui {suffix}", "F"))
            return (time.perf_counter() - start) * 1000

        audited = run("a")
        event.remove(services.db.sessions, "after_flush", after_flush)
        bare = run("b")
        services.db.dispose()
    return [
        Result(
            "200 person updates, audited in the same transaction",
            audited,
            "<= 2x without audit",
            audited <= 2 * bare,
            "200 person updates without the audit listener",
            bare,
        )
    ]


def sign_in() -> list[Result]:
    """One Argon2id verification: slow enough to resist guessing, quick enough for a person."""
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(path=Path(tmp) / "u.sqlite3")
        create_first_admin(db, "amina", "correct horse battery")
        ms = median_ms(lambda: authenticate(db, "amina", "correct horse battery"), repeat=5)
        db.dispose()
    return [Result("sign-in (Argon2id 64 MiB, t=3)", ms, "50-1000 ms", 50 <= ms <= 1000)]


BENCHMARKS = [verified_backup, audited_updates, sign_in]
