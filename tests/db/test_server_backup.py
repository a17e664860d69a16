"""`backup` and `restore` on the office's PostgreSQL server: a pg_dump with a manifest, checked
before it counts and before it replaces anything; the replaced database is dumped aside first."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from ksm_desktop.cli import main
from ksm_desktop.db import server_backup
from ksm_desktop.db.storage import open_database
from ksm_desktop.db.transfer import copy_database
from ksm_desktop.services import Actor, Services
from ksm_desktop.services.dto import PersonInput
from tests.db.transfer_support import needs_pg_dump, run, sums


@pytest.fixture
def server(demo: Services, pg_url: str) -> str:
    """The demo portfolio moved to the server."""
    copy_database(demo.db, pg_url)
    return pg_url


def add_person(url: str) -> None:
    database = open_database(url)
    try:
        Services(database, Actor("agent.test", "agent")).persons.create(
            PersonInput(first_name="Fadma", last_name="Aït Lahcen", sex="F")
        )
    finally:
        database.dispose()


def test_a_dump_is_verified_and_restores_the_server_as_it_was(
    server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    needs_pg_dump()
    before = sums(server)
    dump = tmp_path / "office.pgdump"
    code, out, err = run(capsys, "--db-url", server, "backup", "--out", str(dump))
    assert (code, err) == (0, "") and "Dump written and verified" in out
    manifest = json.loads((tmp_path / "office.pgdump.json").read_text("utf-8"))
    assert manifest["tables"]["grants"]["rows"] == before["grants"].rows
    assert "postgres@" in manifest["database"] and not list(tmp_path.glob(".*partial"))

    add_person(server)
    assert sums(server)["person"] != before["person"]
    code, out, err = run(capsys, "--db-url", server, "restore", str(dump))
    assert (code, err) == (0, ""), err
    after = sums(server)
    # as it was, plus the restore's own line in the audit log
    assert {k: v for k, v in after.items() if k != "audit_entry"} == {
        k: v for k, v in before.items() if k != "audit_entry"
    }
    assert after["audit_entry"].rows == before["audit_entry"].rows + 1
    aside = Path(out.split("kept as ", 1)[1].strip().rstrip("."))
    assert (
        aside.is_file()
        and server_backup.read_manifest(aside).tables["person"].rows == before["person"].rows + 1
    )


def test_a_damaged_dump_is_refused_and_the_server_left_alone(
    server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    needs_pg_dump()
    dump = tmp_path / "office.pgdump"
    assert main(["--db-url", server, "backup", "--out", str(dump)]) == 0
    add_person(server)
    after = sums(server)
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    capsys.readouterr()
    code, _out, err = run(capsys, "--db-url", server, "restore", str(dump))
    assert code == 1 and "does not match its manifest" in err
    (tmp_path / "office.pgdump.json").unlink()
    code, _out, err = run(capsys, "--db-url", server, "restore", str(dump))
    assert code == 1 and "has no manifest" in err
    assert sums(server) == after


def test_a_database_that_is_not_ksm_is_not_dumped(
    pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(capsys, "--db-url", pg_url, "backup", "--out", str(tmp_path / "x.pgdump"))
    assert code == 1 and "not a KSM Desktop database" in err
    assert list(tmp_path.iterdir()) == []
    engine = create_engine(pg_url)
    with engine.connect() as connection:
        assert inspect(connection).get_table_names() == []
    engine.dispose()


def test_missing_client_tools_are_named_with_what_to_install(
    server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    monkeypatch.setattr(server_backup, "TOOL_DIRS", ())
    code, _out, err = run(capsys, "--db-url", server, "backup", "--out", str(tmp_path / "x.pgdump"))
    assert code == 1
    assert (
        "pg_dump was not found" in err and "postgresql-client" in err and len(err.strip().splitlines()) == 1
    )
    assert not (tmp_path / "x.pgdump").exists()


def test_the_tools_are_found_in_postgresql_s_own_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    exe = "pg_dump.exe" if os.name == "nt" else "pg_dump"
    for version in ("9.6", "13", "16"):
        tool = tmp_path / "postgresql" / version / "bin" / exe
        tool.parent.mkdir(parents=True)
        tool.write_text("")
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    monkeypatch.setattr(server_backup, "TOOL_DIRS", (str(tmp_path / "postgresql" / "*" / "bin"),))
    assert server_backup.find_tool("pg_dump") == tmp_path / "postgresql" / "16" / "bin" / exe
