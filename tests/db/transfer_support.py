"""What the tests of copies and server backups share: a database summed up, a command run."""

from __future__ import annotations

import pytest

from ksm_desktop.cli import main
from ksm_desktop.db import server_backup
from ksm_desktop.db.engine import make_engine
from ksm_desktop.db.transfer import TableSum, database_sums
from ksm_desktop.domain.errors import DatabaseError


def sums(url: str) -> dict[str, TableSum]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return database_sums(connection)
    finally:
        engine.dispose()


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([*args])
    out, err = capsys.readouterr()
    return code, out, err


def needs_pg_dump() -> None:
    """Dumping the server takes PostgreSQL's client tools (none for Windows Python under Wine)."""
    try:
        server_backup.find_tool("pg_dump")
    except DatabaseError:
        pytest.skip("pg_dump (PostgreSQL client tools) is not installed")
