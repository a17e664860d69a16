"""Opening a database safely: refuse what is not ours, back up before migrating, then upgrade.

A corrupted file, a foreign SQLite file or a database made by a newer KSM Desktop is refused
with a clear message and left exactly as it was.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from importlib import resources
from pathlib import Path

from sqlalchemy import inspect, select
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session

from ksm_desktop.db import migrate, revisions
from ksm_desktop.db.backup import (
    backup_file,
    integrity_problems,
    is_ksm_database,
    is_sqlite_file,
    storage_reason,
    timestamped_name,
)
from ksm_desktop.db.engine import Database, make_engine, server_error, sqlite_url
from ksm_desktop.db.models import Location, SchemaInfo
from ksm_desktop.db.restore import finish_interrupted_restore
from ksm_desktop.db.uri import read_only_uri
from ksm_desktop.domain.enums import LocationLevel
from ksm_desktop.domain.errors import DatabaseError
from ksm_desktop.i18n import _

log = logging.getLogger(__name__)
APPLICATION_MARK = "ksm-desktop"


def _sqlite_has_tables(path: Path) -> bool:
    conn = sqlite3.connect(read_only_uri(path), uri=True)
    try:
        return bool(conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] > 0)
    finally:
        conn.close()


def check_sqlite_file(path: Path, *, integrity: bool = True) -> None:
    """Refuse a file that is damaged or not a KSM database (an empty file is a new database).
    `integrity=False` leaves out SQLite's full check, for a file just found sound by it."""
    if path.is_dir():
        raise DatabaseError(_("{path} is a folder, not a database file.").format(path=path))
    if not path.exists() or path.stat().st_size == 0:
        return
    if not is_sqlite_file(path):
        raise DatabaseError(
            _("The file {path} is not a KSM Desktop database; it was left untouched.").format(path=path)
        )
    problems = integrity_problems(path) if integrity else []
    if problems:
        raise DatabaseError(
            _("The database {path} is damaged and was not opened ({problem}).").format(
                path=path, problem=problems[0]
            )
        )
    if _sqlite_has_tables(path) and not is_ksm_database(path):
        raise DatabaseError(
            _("The file {path} is not a KSM Desktop database; it was left untouched.").format(path=path)
        )


def _check_revision(database: Database) -> str | None:
    current = migrate.current_revision(database.engine)
    if current is not None and current not in revisions.known_revisions():
        raise DatabaseError(
            _(
                "The database {url} was created by a newer version of KSM Desktop "
                "(schema {revision}). Install the latest version to open it."
            ).format(url=database.url, revision=current)
        )
    return current


def _is_foreign_server_database(database: Database) -> bool:
    tables = set(inspect(database.engine).get_table_names())
    return bool(tables) and "ksm_schema_info" not in tables


def open_database(
    url: str | None = None,
    *,
    path: Path | None = None,
    backup_dir: Path | None = None,
    checked: bool = False,
) -> Database:
    """Open (creating or migrating if needed) the database at `path` or `url`.

    `checked`: the caller holds the file's instance lock and SQLite's full check has just found
    it sound (the start-up check): that check, the longest step of opening a large file, is not
    run a second time; the file is still refused if it is not a KSM database."""
    if url is None:
        if path is None:
            raise ValueError("open_database needs a path or a URL")
        path.parent.mkdir(parents=True, exist_ok=True)
        finished = finish_interrupted_restore(path)
        if finished:
            log.warning("%s", finished)
        check_sqlite_file(path, integrity=not (checked and finished is None))
        url = sqlite_url(path)
    database = Database(make_engine(url))
    try:
        db_path = database.path
        if db_path is not None and path is None:
            check_sqlite_file(db_path)
        if db_path is None and _is_foreign_server_database(database):
            raise DatabaseError(
                _("The database {url} is not a KSM Desktop database; it was left untouched.").format(
                    url=database.url
                )
            )
        if db_path is not None:
            database.backup_dir = backup_dir or db_path.parent / "backups"
        current = _check_revision(database)
        head = revisions.head_revision()
        if current != head:
            if current is not None and database.backup_dir is not None and db_path is not None:
                backup_file(
                    db_path, database.backup_dir / timestamped_name(db_path.stem, f"before-migration-{head}")
                )
            log.info("migrating %s from %s to %s", database.url, current, head)
            migrate.upgrade(database.engine)
        with database.transaction() as session:
            ensure_reference_data(session)
    except SQLAlchemyError as exc:
        database.dispose()
        refused = server_error(exc, database.engine.url) if isinstance(exc, DBAPIError) else None
        if refused is not None:
            raise refused from exc
        orig = getattr(exc, "orig", None)
        detail = " ".join(str(orig or exc).split())
        reason = f"{storage_reason(orig)} ({detail})" if isinstance(orig, sqlite3.Error) else detail
        raise DatabaseError(
            _("The database {url} could not be opened: {reason}").format(url=database.url, reason=reason)
        ) from exc
    except BaseException:
        database.dispose()
        raise
    return database


def ensure_reference_data(session: Session) -> None:
    """Mark the database as KSM's and add any missing région or province (idempotent)."""
    if session.get(SchemaInfo, "application") is None:
        session.add(SchemaInfo(key="application", value=APPLICATION_MARK))
    existing = set(session.scalars(select(Location.code).where(Location.code.is_not(None))))
    text = resources.files("ksm_desktop.db.reference").joinpath("regions.json").read_text("utf-8")
    for region in json.loads(text):
        missing = [province for province in region["provinces"] if province["code"] not in existing]
        if region["code"] in existing and not missing:
            continue  # every start but the first: nothing to read row by row
        if region["code"] in existing:
            region_row = session.scalars(select(Location).where(Location.code == region["code"])).one()
        else:
            region_row = Location(
                level=LocationLevel.REGION,
                code=region["code"],
                name=region["name"],
                name_ar=region["name_ar"],
            )
            session.add(region_row)
            session.flush()
        for province in missing:
            row = Location(
                level=LocationLevel.PROVINCE,
                code=province["code"],
                name=province["name"],
                name_ar=province["name_ar"],
                parent_id=region_row.id,
            )
            session.add(row)
            session.flush()
            row.province_id = row.id


def schema_report(database: Database) -> dict[str, str | None]:
    """What `check` prints about the schema: the database's revision and the one this version expects."""
    return {
        "revision": migrate.current_revision(database.engine),
        "expected": revisions.head_revision(),
    }
