"""The command line for accounts, the audit log, backups and personal data."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from ksm_desktop.cli import main

PASSWORD = "correct horse battery"


def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str, stdin: str = ""
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def dbfile(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    db = str(tmp_path / "k.sqlite3")
    assert main(["--db", db, "demo"]) == 0
    capsys.readouterr()
    return db


def test_first_user_must_be_admin_then_users_are_listed(
    dbfile: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _out, err = run(
        capsys, monkeypatch, "--db", dbfile, "user-add", "amina", "--password-stdin", stdin=PASSWORD + "\n"
    )
    assert code == 1 and "administrator" in err
    code, out, _err = run(
        capsys,
        monkeypatch,
        "--db",
        dbfile,
        "user-add",
        "amina",
        "--role",
        "admin",
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert code == 0 and "amina" in out
    code, _out, err = run(
        capsys, monkeypatch, "--db", dbfile, "user-add", "karim", "--password-stdin", stdin="short\n"
    )
    assert code == 1 and "at least" in err
    code, out, _err = run(capsys, monkeypatch, "--db", dbfile, "user-list")
    assert code == 0 and "amina" in out and "karim" not in out and PASSWORD not in out


def test_audit_json_and_xlsx(
    dbfile: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _err = run(capsys, monkeypatch, "--db", dbfile, "audit", "--entity", "organisation", "--json")
    entries = json.loads(out)
    assert code == 0 and entries and all(e["entity"] == "organisation" for e in entries)
    assert entries[0]["username"].startswith("cli:")
    code, _out, _err = run(capsys, monkeypatch, "--db", dbfile, "audit", "--xlsx", str(tmp_path / "a.xlsx"))
    assert code == 0 and (tmp_path / "a.xlsx").stat().st_size > 0
    code, _out, _err = run(capsys, monkeypatch, "--db", dbfile, "audit", "--since", "yesterday")
    assert code == 2


def test_backups_are_listed_with_counts(
    dbfile: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(capsys, monkeypatch, "--db", dbfile, "backup")[0] == 0
    code, out, _err = run(capsys, monkeypatch, "--db", dbfile, "backups")
    assert code == 0 and "manual" in out


def test_person_export_and_anonymise(
    dbfile: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _err = run(capsys, monkeypatch, "--db", dbfile, "members", "--json")
    person = next(p for p in json.loads(out) if p["cin"])
    code, out, _err = run(
        capsys, monkeypatch, "--db", dbfile, "person-export", "1", "--out", str(tmp_path / "p.json")
    )
    assert code == 0 and json.loads((tmp_path / "p.json").read_text("utf-8"))["person"]["id"] == 1
    code, _out, err = run(capsys, monkeypatch, "--db", dbfile, "person-anonymise", "1")
    assert code == 1 and "--yes" in err
    code, _out, _err = run(capsys, monkeypatch, "--db", dbfile, "person-anonymise", "1", "--yes")
    assert code == 0
    code, _out, err = run(
        capsys, monkeypatch, "--db", dbfile, "person-export", "99999", "--out", str(tmp_path / "x.json")
    )
    assert code == 1 and not (tmp_path / "x.json").exists()
    assert person


def test_audit_entity_choices_match_the_audited_records() -> None:
    from ksm_desktop.cli.security import AUDIT_ENTITIES
    from ksm_desktop.db.audit import AUDITED

    assert set(AUDITED.values()) == AUDIT_ENTITIES


def test_single_user_mode_on_and_off(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from ksm_desktop.db.storage import open_database
    from ksm_desktop.services.users import single_user_actor

    db = tmp_path / "k.sqlite3"
    assert main(["--db", str(db), "single-user", "on"]) == 1  # no administrator yet: refused
    assert "administrator" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-password\n"))
    assert main(["--db", str(db), "user-add", "boss", "--role", "admin", "--password-stdin"]) == 0
    assert main(["--db", str(db), "single-user", "on"]) == 0
    database = open_database(path=db)
    actor = single_user_actor(database)
    assert actor is not None and actor.username == "boss"
    database.dispose()
    assert main(["--db", str(db), "single-user", "off"]) == 0
    database = open_database(path=db)
    assert single_user_actor(database) is None
    database.dispose()
