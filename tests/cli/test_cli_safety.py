"""The command line for accounts, the audit log, backups and personal data."""

from __future__ import annotations

import io
import json
import os
import socket
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


def test_the_first_user_is_the_administrator_then_users_are_listed(
    dbfile: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """As the README says: the first account is the administrator, even without --role admin."""
    code, out, _err = run(
        capsys, monkeypatch, "--db", dbfile, "user-add", "amina", "--password-stdin", stdin=PASSWORD + "\n"
    )
    assert code == 0 and "amina" in out and "admin" in out
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


def _held_by_the_window(db: str) -> None:
    """The lock file of a KSM Desktop window open on `db` (a live process on this computer)."""
    Path(db + ".lock").write_text(
        json.dumps(
            {
                "pid": os.getppid(),
                "host": socket.gethostname(),
                "user": "amina",
                "since": "2026-03-02T09:15:00",
            }
        ),
        "utf-8",
    )


@pytest.mark.parametrize(
    "command",
    [
        ["restore", "COPY"],
        ["demo"],
        ["user-add", "karim", "--role", "admin", "--password-stdin"],
        ["single-user", "on"],
        ["person-anonymise", "1", "--yes"],
        ["merge-persons", "1", "2"],
        ["attach", "grant", "1", "pv-signe.pdf", "--kind", "signed_pv"],
    ],
)
def test_writing_commands_are_refused_while_the_window_has_the_database(
    dbfile: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
) -> None:
    copy = str(tmp_path / "copy.sqlite3")
    assert main(["--db", dbfile, "backup", "--out", copy]) == 0
    before = Path(dbfile).read_bytes()
    _held_by_the_window(dbfile)
    args = [copy if a == "COPY" else a for a in command]
    code, _out, err = run(capsys, monkeypatch, "--db", dbfile, *args, stdin=PASSWORD + "\n")
    assert code == 1
    assert "amina" in err and socket.gethostname() in err and "2026" in err
    assert Path(dbfile).read_bytes() == before
    assert not list(tmp_path.glob("*.replaced-*"))
    assert Path(dbfile + ".lock").exists()  # the window's lock is left alone


def test_a_command_leaves_no_connection_open_on_the_file(
    dbfile: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, windows_open_files: None
) -> None:
    """Windows cannot move an open file: a command closes its database (and its lock) before
    returning, so the file can be moved right after, as a restore or a backup tool does."""
    code, _out, _err = run(capsys, monkeypatch, "--db", dbfile, "orgs")
    assert code == 0
    moved = dbfile + ".moved"
    os.replace(dbfile, moved)  # refused while a connection is open (Windows; simulated on Linux)
    os.replace(moved, dbfile)
    assert not Path(dbfile + ".lock").exists()


def test_user_add_from_a_script_without_a_terminal_says_to_use_password_stdin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "k.sqlite3")
    code, _out, err = run(capsys, monkeypatch, "--db", db, "user-add", "amina", stdin="")
    assert code == 1 and "--password-stdin" in err and "Traceback" not in err


class _FullDisk:
    """A sqlite3 connection whose online backup hits a full disk (SQLITE_FULL)."""

    def __init__(self, conn: object) -> None:
        self.conn = conn

    def backup(self, _target: object) -> None:
        error = __import__("sqlite3").OperationalError("database or disk is full")
        error.sqlite_errorcode = 13
        raise error

    def __getattr__(self, name: str) -> object:
        return getattr(self.conn, name)


@pytest.mark.parametrize("where", ["fsync", "copy"])
def test_backup_on_a_full_disk_says_so_in_the_users_language(
    dbfile: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    where: str,
) -> None:
    import errno
    import sqlite3

    from ksm_desktop.db import backup

    if where == "fsync":

        def full(_fd: int) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(backup.os, "fsync", full)
    else:  # the system's copy, then SQLite's page by page: the disk is full for both

        def no_space(_src: object, _dst: object) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(backup, "_copy_chunk", no_space)
        real_connect = sqlite3.connect
        monkeypatch.setattr(
            backup.sqlite3,
            "connect",
            lambda *a, **k: (
                _FullDisk(real_connect(*a, **k)) if "mode=ro" in str(a[0]) else real_connect(*a, **k)
            ),
        )
    out = tmp_path / "usb" / "copy.sqlite3"
    code, _out, err = run(capsys, monkeypatch, "--lang", "fr", "--db", dbfile, "backup", "--out", str(out))
    assert code == 1 and "disque est plein" in err
    assert "No space" not in err and "disk is full" not in err and "Traceback" not in err
    assert not list(out.parent.iterdir())  # no partial copy left


def test_check_right_after_a_restore_and_on_a_backup_copy(
    dbfile: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = str(tmp_path / "copy.sqlite3")
    assert run(capsys, monkeypatch, "--db", dbfile, "backup", "--out", copy)[0] == 0
    code, out, err = run(capsys, monkeypatch, "--db", copy, "check")  # a copy is in rollback-journal mode
    assert code == 0 and "Integrity: OK" in out, err
    assert run(capsys, monkeypatch, "--db", dbfile, "restore", copy)[0] == 0
    code, out, err = run(capsys, monkeypatch, "--db", dbfile, "check")
    assert code == 0 and "Integrity: OK" in out, err
