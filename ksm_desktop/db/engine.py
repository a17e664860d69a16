"""Engines and sessions: SQLite by default (one file per office laptop), any SQLAlchemy URL otherwise.

Every SQLite connection gets foreign keys on, WAL journaling, synchronous FULL and a busy timeout,
so a power cut never leaves a half-written transaction behind.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from ksm_desktop.domain.errors import DatabaseError
from ksm_desktop.i18n import _

BUSY_TIMEOUT_MS = 5000


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def _on_sqlite_connect(
    dbapi_connection: sqlite3.Connection, _record: Any, *, read_only: bool = False
) -> None:
    # pysqlite's own transaction handling is disabled so SQLAlchemy's BEGIN is the real one.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
    if not read_only and str(mode).lower() not in {"wal", "memory"}:  # a reader cannot change it
        cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.close()


def _on_sqlite_connect_read_only(dbapi_connection: sqlite3.Connection, record: Any) -> None:
    _on_sqlite_connect(dbapi_connection, record, read_only=True)


def _on_sqlite_begin(conn: Any) -> None:
    # A write transaction takes the lock up front (BEGIN IMMEDIATE): no "database is locked"
    # half-way through a save. Reading sessions use a plain deferred BEGIN and never block writers.
    reading = conn.get_execution_options().get("ksm_read", False)
    conn.exec_driver_sql("BEGIN" if reading else "BEGIN IMMEDIATE")


def make_engine(url: str, *, read_only: bool = False) -> Engine:
    """An engine for `url` with the per-connection settings KSM relies on."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        connect_args: dict[str, Any] = {"timeout": BUSY_TIMEOUT_MS / 1000}
        if read_only and parsed.database:
            url = f"sqlite:///file:{parsed.database}?mode=ro&uri=true"
        engine = create_engine(url, connect_args=connect_args)
        event.listen(engine, "connect", _on_sqlite_connect_read_only if read_only else _on_sqlite_connect)
        if not read_only:
            event.listen(engine, "begin", _on_sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


def storage_error(exc: DBAPIError) -> DatabaseError | None:
    """A human message for a save the storage refused (read-only file, full disk), else None."""
    reason = str(exc.orig if exc.orig is not None else exc).lower()
    if "readonly" in reason or "read-only" in reason or "read only" in reason:
        return DatabaseError(
            _(
                "Nothing was saved: the database is read-only (a read-only file, folder or USB key, "
                "or a database opened for reading only)."
            )
        )
    if "disk is full" in reason or "no space" in reason or "database or disk is full" in reason:
        return DatabaseError(_("Nothing was saved: the disk is full. Free some space, then save again."))
    if "disk i/o error" in reason:
        return DatabaseError(
            _("Nothing was saved: the disk could not be written (removed USB key or network drive?).")
        )
    if "database is locked" in reason:
        return DatabaseError(
            _("Nothing was saved: the database is busy in another window or program. Try again.")
        )
    return None


class Database:
    """One open database: the engine, a session factory and where it lives."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.backup_dir: Path | None = None  # where automatic copies go (SQLite only)
        self.sessions = sessionmaker(engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(engine.execution_options(ksm_read=True), expire_on_commit=False)
        from ksm_desktop.db.audit import after_flush  # the models import is deferred to first use

        event.listen(self.sessions, "after_flush", after_flush)
        self._outer = threading.local()  # the session of an `all_or_nothing` block, per thread

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @property
    def path(self) -> Path | None:
        """The SQLite file, or None for a server database."""
        if self.is_sqlite and self.engine.url.database not in (None, "", ":memory:"):
            name = str(self.engine.url.database)
            return Path(name.removeprefix("file:").split("?", 1)[0])
        return None

    @contextmanager
    def transaction(self, actor: str | None = None) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error.

        `actor` is who the audit log names. A storage failure (read-only, disk full) becomes a
        DatabaseError with a message for the user; the rollback leaves nothing half-written.
        Inside `all_or_nothing`, it is a savepoint of that block's one transaction.
        """
        outer: Session | None = getattr(self._outer, "session", None)
        if outer is not None:
            with outer.begin_nested():
                yield outer
            return
        try:
            with self.sessions() as session, session.begin():
                if actor is not None:
                    session.info["actor"] = actor
                yield session
        except DBAPIError as exc:
            mapped = storage_error(exc)
            if mapped is None:
                raise
            raise mapped from exc

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for queries only (inside `all_or_nothing`: that block's, which sees its changes)."""
        outer: Session | None = getattr(self._outer, "session", None)
        if outer is not None:
            yield outer
            return
        with self._read_sessions() as session:
            yield session

    @contextmanager
    def all_or_nothing(self, actor: str | None = None) -> Iterator[None]:
        """Every use case run in this thread inside the block joins one transaction: committed at
        the end, or nothing at all if the block fails or the program is killed half-way."""
        with self.transaction(actor) as session:
            self._outer.session = session
            try:
                yield
            finally:
                self._outer.session = None

    def dispose(self) -> None:
        self.engine.dispose()
