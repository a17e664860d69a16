"""Attached files travel with the database: a SQLite backup and its restore, the server's pg_dump
and its restore, and a copy between engines give back every file byte for byte (by SHA-256)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from ksm_desktop.db import server_backup
from ksm_desktop.db.backups_policy import AutoBackup
from ksm_desktop.db.engine import sqlite_url
from ksm_desktop.db.restore import restore_file
from ksm_desktop.db.storage import open_database
from ksm_desktop.db.transfer import copy_database
from ksm_desktop.services import Actor, ListQuery, Services
from tests.db.transfer_support import needs_pg_dump, sums
from tests.unit.attachment_files import phone_photo, scanned_pdf

ADMIN = Actor("amina", "admin")
# The source is a SQLite file; the server side is `pg_url`'s own database.
pytestmark = pytest.mark.sqlite_only


def _attach_files(services: Services) -> dict[int, str]:
    """A photo, a large photo and a scanned PV on the first grant: attachment id → SHA-256."""
    grant = services.grants.search(ListQuery(limit=1)).rows[0].id
    files = [
        (phone_photo(), "photo", "machines.jpg"),
        (phone_photo(1600, 1200, noise=True), "photo", "atelier.jpg"),
        (scanned_pdf(), "signed_pv", "pv-signe.pdf"),
    ]
    added = [services.attachments.add("grant", grant, d, k, filename=n) for d, k, n in files]
    return {a.id: a.sha256 for a in added}


def _read_back(url: str, ids: list[int]) -> dict[int, str]:
    database = open_database(url)
    try:
        services = Services(database, ADMIN)
        return {i: hashlib.sha256(services.attachments.content(i)).hexdigest() for i in ids}
    finally:
        database.dispose()


def test_sqlite_backup_and_restore_give_back_every_file(demo: Services, tmp_path: Path) -> None:
    assert demo.db.path is not None
    path = demo.db.path
    stored = _attach_files(demo)
    copy = AutoBackup(path, tmp_path / "auto").run("manual")
    demo.attachments.remove(next(iter(stored)))
    Services(demo.db, ADMIN).attachments.purge()
    demo.db.dispose()
    restore_file(copy, path)
    assert _read_back(sqlite_url(path), list(stored)) == stored


def test_server_dump_and_restore_give_back_every_file(demo: Services, pg_url: str, tmp_path: Path) -> None:
    needs_pg_dump()
    stored = _attach_files(demo)
    copy_database(demo.db, pg_url)
    before = sums(pg_url)
    dump = tmp_path / "office.pgdump"
    manifest = server_backup.backup_server(pg_url, dump)
    assert manifest.tables["attachment_content"].rows == len(stored)

    server = open_database(pg_url)
    try:
        admin = Services(server, ADMIN)
        admin.attachments.remove(next(iter(stored)))
        admin.attachments.purge()
    finally:
        server.dispose()
    assert sums(pg_url)["attachment_content"] != before["attachment_content"]
    server_backup.restore_server(pg_url, dump, tmp_path / "aside")
    assert _read_back(pg_url, list(stored)) == stored
    assert sums(pg_url)["attachment_content"] == before["attachment_content"]


def test_copy_to_the_server_and_back_carries_every_file(demo: Services, pg_url: str, tmp_path: Path) -> None:
    stored = _attach_files(demo)
    copy_database(demo.db, pg_url)
    assert _read_back(pg_url, list(stored)) == stored
    laptop = tmp_path / "laptop.sqlite3"
    server = open_database(pg_url)
    try:
        copy_database(server, sqlite_url(laptop))
    finally:
        server.dispose()
    assert _read_back(sqlite_url(laptop), list(stored)) == stored
