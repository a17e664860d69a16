"""A writer killed with SIGKILL at random moments loses nothing it acknowledged and leaves no
grant without its items: SQLite's WAL with synchronous=FULL, one transaction per use case."""

from __future__ import annotations

import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

import pytest

from ksm_desktop.db.storage import open_database
from ksm_desktop.services import Actor, Services
from ksm_desktop.services.dto import OrganisationInput

# A parent that imports once, then forks one writer per trial: each writer is a separate process
# killed with SIGKILL; the fork keeps 50 trials within seconds on a slow laptop.
WRITER = """
import os, sys
from decimal import Decimal
from pathlib import Path
from ksm_desktop.db.engine import Database, make_engine, sqlite_url
from ksm_desktop.services import Actor, Services
from ksm_desktop.services.dto import GrantInput, GrantItemInput
path, org = Path(sys.argv[1]), int(sys.argv[2])
items = [GrantItemInput(f"Article {n}", Decimal(n + 1), Decimal("125.50")) for n in range(5)]
warm = Database(make_engine(sqlite_url(path)))  # loads everything lazy once; closed before forking
Services(warm, Actor("writer", "agent")).grants.create(GrantInput(purpose="Warm-up", organisation_id=org, items=items))
warm.dispose()
for _line in sys.stdin:
    pid = os.fork()
    if pid == 0:
        services = Services(Database(make_engine(sqlite_url(path))), Actor("writer", "agent"))
        os.write(1, f"pid {os.getpid()}\\n".encode())
        while True:
            grant = services.grants.create(GrantInput(purpose="Crash test", organisation_id=org, items=items))
            os.write(1, f"{grant.number}\\n".encode())  # one write: a kill cannot split the line
    os.waitpid(pid, 0)
    os.write(1, b"done\\n")
"""

TRIALS = 50
LINE_TIMEOUT = 60  # seconds without a line from the writer: it hung, the test fails instead


def _lines(stream: IO[str]) -> queue.Queue[str]:
    """The writer's lines, read on a thread so that every wait for one can time out."""
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        for line in stream:
            lines.put(line.strip())
        lines.put("")  # end of output

    threading.Thread(target=pump, daemon=True).start()
    return lines


def _next(lines: queue.Queue[str]) -> str:
    try:
        line = lines.get(timeout=LINE_TIMEOUT)
    except queue.Empty:
        pytest.fail(f"the writer printed nothing for {LINE_TIMEOUT} s")
    assert line, "the writer ended early"
    return line


pytestmark = pytest.mark.sqlite_only  # about the SQLite file itself


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_sigkill_never_loses_an_acknowledged_grant(tmp_path: Path) -> None:
    path = tmp_path / "crash.sqlite3"
    services = Services(open_database(path=path), Actor("admin", "admin"))
    org = services.organisations.create(OrganisationInput(kind="cooperative", name="Coopérative Malika"))
    services.db.dispose()
    acknowledged: list[str] = []
    rng = random.Random(909)
    env = os.environ | {"PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), str(org.id)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdin is not None and proc.stdout is not None
    lines = _lines(proc.stdout)
    try:
        for _trial in range(TRIALS):
            proc.stdin.write("go\n")
            proc.stdin.flush()
            first = _next(lines).split()
            assert first[0] == "pid"
            acknowledged.append(_next(lines))  # each trial kills a writer that has made progress
            time.sleep(rng.uniform(0.0, 0.4))
            os.kill(int(first[1]), signal.SIGKILL)
            while (line := _next(lines)) != "done":
                acknowledged.append(line)
    finally:
        proc.kill()
        proc.communicate(timeout=LINE_TIMEOUT)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {r[0] for r in conn.execute("SELECT number FROM grants")}
        assert set(acknowledged) <= stored
        orphans = conn.execute(
            "SELECT count(*) FROM grants g WHERE (SELECT count(*) FROM grant_item i WHERE i.grant_id = g.id) != 5"
        ).fetchone()[0]
        assert orphans == 0
        audited = conn.execute("SELECT count(*) FROM audit_entry WHERE entity = 'grant'").fetchone()[0]
        assert audited == len(stored)  # each grant's trace committed with it, never alone
    finally:
        conn.close()
