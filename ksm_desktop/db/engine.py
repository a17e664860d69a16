"""Engines and sessions: SQLite by default (one file per office laptop), any SQLAlchemy URL otherwise.

Every SQLite connection gets foreign keys on, WAL journaling, synchronous FULL and a busy timeout,
so a power cut never leaves a half-written transaction behind.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from ksm_desktop.db.text_rules import before_flush
from ksm_desktop.db.uri import read_only_uri, uri_path
from ksm_desktop.domain.errors import ConcurrentSaveError, DatabaseError
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
            url = f"sqlite:///{read_only_uri(Path(parsed.database))}&uri=true"
        engine = create_engine(url, connect_args=connect_args)
        event.listen(engine, "connect", _on_sqlite_connect_read_only if read_only else _on_sqlite_connect)
        if not read_only:
            event.listen(engine, "begin", _on_sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, connect_args=dict(SERVER_CONNECT_ARGS))


# A server that stops answering must not freeze the program: connecting gives up after a few
# seconds, a connection whose network is cut is noticed by TCP keep-alives and a send timeout, and
# no statement runs for more than a minute. pool_pre_ping replaces dead pooled connections, so work
# resumes by itself when the server is back.
SERVER_CONNECT_ARGS: dict[str, Any] = {
    "connect_timeout": 5,
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 3,
    "keepalives_count": 3,
    "tcp_user_timeout": 15_000,
    "options": "-c statement_timeout=60000",
}
# SQLSTATEs of a server refusing who connects, a database missing on it, a statement cancelled.
_BAD_LOGIN = {"28P01", "28000"}
# libpq gives a refused connection no SQLSTATE: its text says the server refused the login (a wrong
# password, none where one is needed, an unknown user), not that the server cannot be reached.
_LOGIN_REFUSED = re.compile(
    r"password authentication failed|no password supplied|role \".*\" does not exist|no pg_hba\.conf entry"
)
_NO_DATABASE = "3D000"
_TOO_SLOW = "57014"


def server_name(url: URL) -> str:
    """How a message names a database server: host:port/database."""
    return f"{url.host or 'localhost'}:{url.port or 5432}/{url.database or ''}"


def server_error(exc: DBAPIError, url: URL) -> DatabaseError | None:
    """A message naming the server for a server that is gone, refuses the login, lacks the
    database or took too long; None for anything else (and for SQLite files)."""
    if url.get_backend_name() == "sqlite":
        return None
    server = server_name(url)
    code = getattr(exc.orig, "sqlstate", None)
    reason = str(exc.orig)  # libpq reports a refused connection without a SQLSTATE
    if code in _BAD_LOGIN or (code is None and _LOGIN_REFUSED.search(reason)):
        return DatabaseError(
            _("The database server {server} refused the user name or password.").format(server=server)
        )
    if code == _NO_DATABASE or f'database "{url.database}" does not exist' in reason:
        return DatabaseError(
            _("The database {name} does not exist on the server {server}.").format(
                name=url.database, server=server
            )
        )
    if code == _TOO_SLOW:
        return DatabaseError(
            _("The database server {server} took too long to answer; nothing was saved. Try again.").format(
                server=server
            )
        )
    if isinstance(exc, OperationalError) or exc.connection_invalidated:
        return DatabaseError(
            _(
                "The database server {server} cannot be reached (stopped, or the network is cut). "
                "Nothing was changed: try again once it is back, the program reconnects by itself."
            ).format(server=server)
        )
    return None


# PostgreSQL's SQLSTATEs for a transaction the server aborted because of another one running at
# the same time, and for a unique key taken by a transaction that committed in between.
RETRYABLE_SQLSTATES = {"40001", "40P01"}
UNIQUE_VIOLATION = "23505"


def concurrent_save_message() -> str:
    """What a user reads when the server aborted a save for others' (translated when raised)."""
    return _("Nothing was saved: other people were saving the same records at that moment. Save again.")


def is_concurrent_save(exc: DBAPIError) -> bool:
    """Whether `exc` comes from another transaction saving at the same moment, so running the
    whole use case again sees its result (a check-then-insert race is then a clear error)."""
    code = getattr(exc.orig, "sqlstate", None)
    return code in RETRYABLE_SQLSTATES or (isinstance(exc, IntegrityError) and code == UNIQUE_VIOLATION)


def storage_error(exc: DBAPIError) -> DatabaseError | None:
    """A human message for a save the storage refused (read-only file, full disk), else None."""
    if is_concurrent_save(exc):
        return ConcurrentSaveError(concurrent_save_message())
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
        return ConcurrentSaveError(
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

        event.listen(self.sessions, "before_flush", before_flush)
        event.listen(self.sessions, "after_flush", after_flush)
        self._outer = threading.local()  # the session of an `all_or_nothing` block, per thread
        # How a use case is called (Service methods): directly, unless the GUI asks for its saves
        # to wait on a worker thread while the window keeps painting (ui.workers.saving_off_gui).
        self.runner: Callable[[Callable[[], Any]], Any] | None = None

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
            return uri_path(name) if name.startswith("file:") else Path(name)
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
        except StaleDataError as exc:  # the row's version moved on between reading and writing it
            raise ConcurrentSaveError(concurrent_save_message()) from exc
        except DBAPIError as exc:
            mapped = server_error(exc, self.engine.url) or storage_error(exc)
            if mapped is None:
                raise
            raise mapped from exc

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for queries only (inside `all_or_nothing`: that block's, which sees its changes);
        a server gone away is a DatabaseError naming it."""
        outer: Session | None = getattr(self._outer, "session", None)
        if outer is not None:
            yield outer
            return
        try:
            with self._read_sessions() as session:
                yield session
        except DBAPIError as exc:
            mapped = server_error(exc, self.engine.url)
            if mapped is None:
                raise
            raise mapped from exc

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
