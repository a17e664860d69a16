"""Events that used to leave no trace of their own in the audit log: a restore, a personal-data
export and each person of an import (the lockout is in test_security)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ksm_desktop.db import audit
from ksm_desktop.db.backups_policy import AutoBackup
from ksm_desktop.db.restore import restore_file
from ksm_desktop.db.storage import open_database
from ksm_desktop.exchange.members import guess_mapping, parse_rows
from ksm_desktop.exchange.sheets import read_table
from ksm_desktop.services import Actor, ListQuery, Services
from ksm_desktop.services.audit import AuditQuery
from tests.exchange.conftest import write_xlsx


def _admin(services: Services) -> Services:
    return Services(services.db, Actor("amina", "admin"))


def test_each_imported_person_has_their_own_creation_entry(demo: Services, tmp_path: Path) -> None:
    org = demo.organisations.get_by_code("MALIKA")
    path = write_xlsx(
        tmp_path / "m.xlsx",
        [
            ["Nom", "Prénom", "CIN", "Sexe"],
            ["Xamlich", "Zahra", "XQ5", "F"],
            ["Quorbane", "Hamid", None, "H"],
        ],
    )
    table = read_table(path)
    demo.imports.commit(org.id, *parse_rows(table, guess_mapping(table.headers)))
    admin = _admin(demo)
    for text, cin in (("Xamlich", "XQ5"), ("Quorbane", None)):
        (person,) = demo.persons.search(ListQuery(text=text)).rows
        (entry,) = admin.audit.search(AuditQuery(entity="person", entity_id=person.id))
        assert entry.action == "create" and entry.username == "agent.test"
        assert entry.label == f"{person.first_name} {person.last_name}"
        assert entry.changes["last_name"] == [None, person.last_name]
        assert entry.changes.get("cin", [None, None])[1] == cin


def test_a_personal_data_export_is_logged(demo: Services, tmp_path: Path) -> None:
    admin = _admin(demo)
    pid = next(r.id for r in demo.persons.search(ListQuery(limit=None)).rows if r.cin)
    admin.privacy.export_to(pid, tmp_path / "access.json")
    entry = admin.audit.search(AuditQuery(entity="person", entity_id=pid, limit=1))[0]
    assert (entry.action, entry.username, entry.changes) == (
        "export",
        "amina",
        {"file": [None, "access.json"]},
    )


@pytest.mark.sqlite_only  # restores a SQLite file
def test_a_restore_is_logged_in_the_restored_database(services: Services, tmp_path: Path) -> None:
    path = services.db.path
    assert path is not None
    copy = AutoBackup(path, tmp_path / "auto").run("manual")
    services.db.dispose()
    aside = restore_file(copy, path)
    restored = open_database(path=path)
    try:
        audit.record_restore(restored, "amina", copy, aside)
        (entry,) = _admin(Services(restored, Actor("admin", "admin"))).audit.search(
            AuditQuery(entity="database")
        )
        assert (entry.action, entry.username, entry.label) == ("restore", "amina", copy.name)
        assert entry.changes["replaced_kept_as"][1] == (aside.name if aside else None)
    finally:
        restored.dispose()


def test_an_import_needs_no_sqlite3_date_adapter(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    """Python 3.12 deprecates sqlite3's default date and time adapters (a warning per imported
    person on Windows' Python 3.13) and a later version drops them: an import's birth dates and
    log times reach the database already converted, in the form's format, so the log reads in order."""
    import datetime as dt
    import sqlite3

    from ksm_desktop.services.dto import PersonInput

    for kind in (dt.date, dt.datetime):
        monkeypatch.delitem(sqlite3.adapters, (kind, sqlite3.PrepareProtocol), raising=False)
    services.persons.create(PersonInput(first_name="Zahra", last_name="Xamlich", sex="F"))
    born = dt.date(1980, 4, 3)
    services.persons.bulk_create(
        [PersonInput(first_name="Hamid", last_name="Quorbane", sex="M", birth_date=born)]
    )
    (hamid,) = services.persons.search(ListQuery(text="Quorbane")).rows
    assert services.persons.get(hamid.id).birth_date == born
    entries = _admin(services).audit.search(AuditQuery(entity="person"))
    assert {"Hamid Quorbane", "Zahra Xamlich"} <= {e.label for e in entries}
    with services.db.engine.connect() as conn:
        stored = {len(str(at)) for (at,) in conn.exec_driver_sql("SELECT at FROM audit_entry")}
    assert len(stored) == 1  # one text format (SQLite), or the server's own type
