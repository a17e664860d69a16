"""Copying a whole database to another engine: a laptop's SQLite file to the office's PostgreSQL
server, or the server to a new SQLite file (a field laptop, an archive).

The target must be empty. It gets the schema from the same Alembic migrations, then every row of
every table (ids, grant numbers and counters, users, the audit log) in one transaction, with the
server's id sequences moved past the copied ids. Before the commit both sides are summed up the
same way: row count and a SHA-256 per table over values as Python reads them, never as an engine
renders them (floats by their exact bits, money as Decimal, dates in ISO), so a copy that differs
in one cell is rolled back and the target is left empty.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, LargeBinary, Table, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from ksm_desktop.db import migrate
from ksm_desktop.db.base import Base
from ksm_desktop.db.engine import Database, make_engine, sqlite_url
from ksm_desktop.domain.errors import DatabaseError
from ksm_desktop.i18n import _

BATCH_ROWS = 1000
BLOB_BATCH_ROWS = 1
Progress = Callable[[int, int, str], None]  # (tables done, tables in all, table being copied)


@dataclass(frozen=True)
class TableSum:
    """What a table holds, summed up the same way on every engine."""

    rows: int
    sha256: str


@dataclass(frozen=True)
class CopyReport:
    target: str  # the target's URL without its password
    tables: dict[str, TableSum]

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables.values())


def tables() -> list[Table]:
    """Every KSM table, referenced tables first."""
    from ksm_desktop.db import models  # noqa: F401  (registers every table on Base.metadata)

    return list(Base.metadata.sorted_tables)


def one_line(exc: BaseException) -> str:
    """A driver's message on one line (psycopg's span several, with tabs)."""
    return " ".join(str(getattr(exc, "orig", None) or exc).split())


def not_opened(label: str, exc: BaseException) -> DatabaseError:
    """The error for a database that cannot be reached or read, on one line."""
    return DatabaseError(
        _("The database {url} could not be opened: {reason}").format(url=label, reason=one_line(exc))
    )


def check_url(url: str) -> str:
    """`url` if SQLAlchemy can parse it, else a DatabaseError naming it."""
    try:
        make_url(url)
    except ArgumentError:
        raise DatabaseError(_("“{url}” is not a valid database URL.").format(url=url)) from None
    return url


def canonical(value: Any) -> str:
    """One value as text that does not depend on the engine it was read from."""
    if value is None:
        return "\x00"
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, bool):
        return "b1" if value else "b0"
    if isinstance(value, int):
        return f"i{value}"
    if isinstance(value, Decimal):
        return f"d{value.normalize():f}"
    if isinstance(value, float):
        return f"f{value.hex()}"
    if isinstance(value, dt.datetime):
        return f"t{value.isoformat()}"
    if isinstance(value, dt.date):
        return f"D{value.isoformat()}"
    if isinstance(value, bytes | bytearray | memoryview):  # an attached file: its digest, not its hex
        return f"h{hashlib.sha256(value).hexdigest()}"
    return f"s{value}"


def table_sum(connection: Connection, table: Table) -> TableSum:
    """Row count and SHA-256 of `table`: each row hashed, the row hashes sorted (so neither the
    engine's row order nor its text collation matters) and hashed together."""
    rows = connection.execute(select(table).execution_options(yield_per=_batch_rows(table)))
    digests = sorted(
        hashlib.sha256(json.dumps([canonical(v) for v in row], ensure_ascii=False).encode()).digest()
        for row in rows
    )
    return TableSum(len(digests), hashlib.sha256(b"".join(digests)).hexdigest())


def database_sums(connection: Connection) -> dict[str, TableSum]:
    return {table.name: table_sum(connection, table) for table in tables()}


def _parents_first(table: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of a self-referencing table (a commune under its province) ordered so a row comes
    after the one it points to: the server checks each reference as the row arrives."""
    own = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
    if not own:
        return rows
    key = next(iter(table.primary_key.columns)).name
    placed: set[Any] = set()
    ordered: list[dict[str, Any]] = []
    pending = rows
    while pending:
        ready = [r for r in pending if all(r[c] is None or r[c] == r[key] or r[c] in placed for c in own)]
        if not ready:
            raise DatabaseError(_("The table {table} refers to itself in a loop.").format(table=table.name))
        placed.update(r[key] for r in ready)
        ordered += ready
        ready_ids = {id(r) for r in ready}
        pending = [r for r in pending if id(r) not in ready_ids]
    return ordered


def _batches(connection: Connection, table: Table) -> Iterator[Sequence[Mapping[Any, Any]]]:
    stmt = select(table).order_by(*table.primary_key.columns)
    if any(fk.column.table is table for fk in table.foreign_keys):
        yield _parents_first(table, [dict(r._mapping) for r in connection.execute(stmt)])
        return
    result = connection.execute(stmt.execution_options(yield_per=_batch_rows(table)))
    yield from result.mappings().partitions()


def _batch_rows(table: Table) -> int:
    """Rows read (from a server: fetched) at a time: one for a table of files (up to 25 MB each,
    twice that as the server's hex), so a database holding gigabytes of attachments is copied and
    summed in bounded memory (measured in benchmarks/bench_attachments.py)."""
    if any(isinstance(c.type, LargeBinary) for c in table.columns):
        return BLOB_BATCH_ROWS
    return BATCH_ROWS


def _reset_sequences(connection: Connection) -> None:
    """Move each id sequence past the copied ids, so the next person or grant gets a fresh id."""
    if connection.dialect.name != "postgresql":
        return  # SQLite takes max(rowid) + 1 by itself
    for table in tables():
        columns = list(table.primary_key.columns)
        if len(columns) != 1 or columns[0].autoincrement is False:
            continue
        sequence = connection.execute(
            text("SELECT pg_get_serial_sequence(:table, :column)"),
            {"table": table.name, "column": columns[0].name},
        ).scalar()
        if sequence is not None:
            connection.execute(
                text(
                    f'SELECT setval(:seq, COALESCE((SELECT max("{columns[0].name}") FROM "{table.name}"), 0) + 1, false)'
                ),
                {"seq": sequence},
            )


def _refuse_non_empty(connection: Connection, label: str) -> None:
    existing = inspect(connection).get_table_names()
    if existing:
        raise DatabaseError(
            _(
                "The target database {url} is not empty ({count} tables); a copy goes only into an "
                "empty database. Nothing was changed."
            ).format(url=label, count=len(existing))
        )


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection that sees the source as it was when the copy began, whoever saves meanwhile."""
    options: dict[str, Any] = {"ksm_read": True}
    if engine.dialect.name == "postgresql":
        options["isolation_level"] = "REPEATABLE READ"
    with engine.connect() as connection, connection.execution_options(**options).begin():
        yield connection


def _copy_into(source: Engine, target: Engine, label: str, progress: Progress | None) -> CopyReport:
    every = tables()
    with _snapshot(source) as reader, migrate.migrating(target) as writer:
        _refuse_non_empty(writer, label)
        migrate.upgrade_on(writer)
        for table in reversed(every):  # rows the migrations wrote (the schema mark) come from the source
            writer.execute(table.delete())
        for done, table in enumerate(every):
            if progress is not None:
                progress(done, len(every), table.name)
            for batch in _batches(reader, table):
                writer.execute(table.insert(), list(batch))
        _reset_sequences(writer)
        expected, copied = database_sums(reader), database_sums(writer)
        differing = [name for name in expected if expected[name] != copied[name]]
        if differing:
            raise DatabaseError(
                _("The copy differs from the source in {tables}; nothing was kept.").format(
                    tables=", ".join(differing)
                )
            )
    if progress is not None:
        progress(len(every), len(every), "")
    return CopyReport(label, copied)


def copy_database(source: Database, target_url: str, progress: Progress | None = None) -> CopyReport:
    """Copy `source` into the empty database at `target_url` (PostgreSQL, or a SQLite file that
    does not exist yet), verified; the target is left as it was on any failure."""
    check_url(target_url)
    url = make_url(target_url)
    label = url.render_as_string(hide_password=True)
    if url.get_backend_name() == "sqlite":
        return _copy_to_new_file(source, Path(url.database or ""), progress)
    try:
        target = make_engine(target_url)
    except (SQLAlchemyError, ImportError) as exc:
        raise not_opened(label, exc) from exc
    try:
        return _copy_into(source.engine, target, label, progress)
    except SQLAlchemyError as exc:
        raise DatabaseError(
            _("The copy to {url} failed and nothing was kept: {reason}").format(
                url=label, reason=one_line(exc)
            )
        ) from exc
    finally:
        target.dispose()


def _copy_to_new_file(source: Database, path: Path, progress: Progress | None) -> CopyReport:
    """Write into a temporary file next to `path`, renamed only once the copy is verified."""
    if not path.name or path.name == ":memory:":
        raise DatabaseError(_("Give the file to copy to (for example sqlite:///ksm-copy.sqlite3)."))
    path = path.expanduser().resolve()
    if path.exists() and path.stat().st_size > 0:
        raise DatabaseError(
            _(
                "The file {path} already exists; a copy goes only into a new file. Nothing was changed."
            ).format(path=path)
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.partial")
    for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    target = make_engine(sqlite_url(tmp))
    try:
        try:
            report = _copy_into(source.engine, target, str(path), progress)
            with target.connect() as connection:  # one self-contained file, like a backup
                connection.connection.dbapi_connection.execute("PRAGMA journal_mode = DELETE")  # type: ignore[union-attr]
        finally:
            target.dispose()
        os.replace(tmp, path)
    except BaseException as exc:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)
        if isinstance(exc, SQLAlchemyError):
            raise DatabaseError(
                _("The copy to {url} failed and nothing was kept: {reason}").format(
                    url=path, reason=one_line(exc)
                )
            ) from exc
        raise
    return CopyReport(str(path), report.tables)
