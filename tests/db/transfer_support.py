"""What the tests of copies and server backups share: a database summed up, a command run."""

from __future__ import annotations

import pytest

from ksm_desktop.cli import main
from ksm_desktop.db.engine import make_engine
from ksm_desktop.db.transfer import TableSum, database_sums


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
