"""What every service shares: the database, who is acting, and list-query plumbing."""

from __future__ import annotations

import datetime as dt
import functools
import gc
import threading
import unicodedata
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Date, DateTime, Dialect, Select, and_, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from ksm_desktop.db.base import Base
from ksm_desktop.db.engine import Database
from ksm_desktop.db.models_security import AuditEntry
from ksm_desktop.db.text_rules import check_rows
from ksm_desktop.domain.enums import AccountRole
from ksm_desktop.domain.errors import ConcurrentSaveError, PermissionDeniedError, StaleRecordError
from ksm_desktop.domain.values import search_key
from ksm_desktop.i18n import _
from ksm_desktop.i18n.formatting import format_datetime

T = TypeVar("T")


@dataclass(frozen=True)
class Actor:
    """The person using the app, with their account role; stamped on workflow steps."""

    username: str
    role: AccountRole

    def __post_init__(self) -> None:
        # An account's role as stored ('agent') becomes the enum; an unknown one fails here, loudly.
        object.__setattr__(self, "role", AccountRole(self.role))

    @property
    def can_write(self) -> bool:
        return self.role in {AccountRole.ADMIN, AccountRole.AGENT}

    @property
    def is_admin(self) -> bool:
        return self.role == AccountRole.ADMIN

    @property
    def sees_personal_data(self) -> bool:
        """Read-only accounts see CIN and phone numbers masked."""
        return self.can_write


@dataclass(frozen=True)
class ListQuery:
    """What a list view asks for: free text, filters, sort and one page."""

    text: str = ""
    filters: dict[str, object] = field(default_factory=dict)
    sort: str | None = None
    descending: bool = False
    offset: int = 0
    limit: int | None = 200


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list; `more`: more than `total` rows were found (a count that stopped)."""

    rows: list[T]
    total: int
    more: bool = False


MASK = "••••••"


def mask(value: str | None) -> str | None:
    """A personal identifier as a read-only account sees it."""
    return MASK if value else value


def now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


# How many times a use case runs when the server aborts it because others saved at that moment.
SAVE_ATTEMPTS = 4
_running = threading.local()


def retried(method: Callable[..., Any]) -> Callable[..., Any]:
    """Run the use case `method` again, from the start, when the server aborted its transaction
    for another one saving at the same moment; after SAVE_ATTEMPTS the user is told. A use case
    called from another one is retried by the outermost only."""

    @functools.wraps(method)
    def run(*args: Any, **kwargs: Any) -> Any:
        if getattr(_running, "use_case", False):
            return method(*args, **kwargs)
        runner = getattr(getattr(args[0], "db", None), "runner", None) if args else None
        if runner is not None:
            return runner(lambda: attempts(*args, **kwargs))
        return attempts(*args, **kwargs)

    def attempts(*args: Any, **kwargs: Any) -> Any:
        _running.use_case = True
        try:
            for attempt in range(1, SAVE_ATTEMPTS + 1):
                try:
                    return method(*args, **kwargs)
                except ConcurrentSaveError:
                    if attempt == SAVE_ATTEMPTS:
                        raise
        finally:
            _running.use_case = False

    return run


class Service:
    """Base of the use-case classes: each public method is one use case, retried as a whole when
    the database server aborted it because of other people saving at the same time."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, value in list(vars(cls).items()):
            if not name.startswith("_") and callable(value) and not isinstance(value, type):
                setattr(cls, name, retried(value))

    def __init__(self, db: Database, actor: Actor) -> None:
        self.db = db
        self.actor = actor

    @contextmanager
    def _write(self) -> Iterator[Session]:
        """One transaction for one use case; refused for read-only users."""
        if not self.actor.can_write:
            raise PermissionDeniedError(_("Your account can view and print, but not change data."))
        with self.db.transaction(actor=self.actor.username) as session:
            yield session

    def _backup_before(self, reason: str) -> Path | None:
        """A verified copy before an operation that changes many rows at once (writers only);
        where it was written, or None (server database, read-only user, no file yet)."""
        if not self.actor.can_write:
            return None
        from ksm_desktop.db.backups_policy import backup_before

        return backup_before(self.db, reason)

    def _require_admin(self) -> None:
        """Accounts and shared settings are the administrator's alone."""
        if not self.actor.is_admin:
            raise PermissionDeniedError(_("Only an administrator can do this."))


SEARCH_MAX_CHARS, SEARCH_MAX_WORDS = 200, 12  # far beyond any name, CIN or phone typed


def search_words(text: str) -> list[str]:
    """The words of a search as they are matched: control characters (NUL, tabs, line breaks)
    are spaces, and text pasted by mistake is cut to a sane length, so a search never fails
    ("LIKE pattern too complex") nor matches every row (a NUL ends SQLite's pattern)."""
    cleaned = "".join(" " if unicodedata.category(c) == "Cc" else c for c in text[:SEARCH_MAX_CHARS])
    return search_key(cleaned).split()[:SEARCH_MAX_WORDS]


def check_version(session: Session, row: Any, read: int | None, entity: str) -> None:
    """Refuse to save over a change made after the form read the record at version `read`
    (None: no form, nothing to compare), saying who changed it and when."""
    if read is None or row.version == read:
        return
    last = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity == entity, AuditEntry.entity_id == row.id)
        .order_by(AuditEntry.id.desc())
        .limit(1)
    ).first()
    if last is None:
        message = _("Someone else changed this record after you opened it. Your changes were not saved.")
    else:
        message = _(
            "{user} changed this record ({when}) after you opened it. Your changes were not saved."
        ).format(user=last.username, when=format_datetime(last.at))
    raise StaleRecordError(
        message,
        changed_by=last.username if last else None,
        changed_at=last.at if last else None,
    )


def check_query(query: ListQuery, filters: Collection[str], sorts: Collection[str]) -> None:
    """A list asks only for filters and sort keys its service knows: a mistyped key would otherwise
    be ignored and the list would silently show every row, in the default order."""
    unknown = sorted(set(query.filters) - set(filters))
    if unknown:
        raise ValueError(f"unknown list filter(s) {unknown}; this list knows {sorted(filters)}")
    if query.sort is not None and query.sort not in sorts:
        raise ValueError(f"unknown sort key {query.sort!r}; this list knows {sorted(sorts)}")


def text_filter(
    column: ColumnElement[str] | InstrumentedAttribute[str], text: str
) -> ColumnElement[bool] | None:
    """Every word typed must appear in the normalised search column (accents and case ignored)."""
    words = search_words(text)
    if not words:
        return None
    clauses = [column.contains(word, autoescape=True) for word in words]
    return and_(*clauses)


def paginate(
    session: Session, stmt: Select[Any], query: ListQuery, indexed: bool = False
) -> tuple[list[dict[str, Any]], int]:
    """One page of `stmt`'s rows and the number of rows over all pages.

    A text search scans the whole table anyway, so its total comes from a window count in the
    same query (one scan). Without text, or when an index finds the text (`indexed`), the page
    and the count are two queries: a window count would carry every found row, with all its
    columns, through the sort (three times slower at 230,000 persons found of 1,000,000).
    """
    if indexed or not search_words(query.text):
        page = stmt.offset(query.offset or None).limit(query.limit)
        rows = [dict(r._mapping) for r in session.execute(page)]
        if query.limit is None or (len(rows) < query.limit and (rows or not query.offset)):
            return rows, (query.offset or 0) + len(rows)
        total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
        return rows, total
    paged = stmt.add_columns(func.count().over().label("_total"))
    if query.offset:
        paged = paged.offset(query.offset)
    if query.limit is not None:
        paged = paged.limit(query.limit)
    window_rows = list(session.execute(paged).all())
    if window_rows:
        total = int(window_rows[0]._total)
        return [{k: v for k, v in r._mapping.items() if k != "_total"} for r in window_rows], total
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    return [], total


def executemany(session: Session, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """Insert plain, already validated rows through the driver's executemany (bulk paths only:
    imports and the demo), skipping SQLAlchemy's per-row parameter processing."""
    check_rows(table, columns, rows)
    dialect = session.get_bind().dialect
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([marker] * len(columns))})"
    session.connection().exec_driver_sql(sql, _dates_converted(dialect, table, columns, rows))


def _dates_converted(
    dialect: Dialect, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    """Dates and times converted as the ORM converts them (SQLite stores text): sqlite3's own
    adapters are deprecated from Python 3.12 (the Windows build's 3.13 warns for each row)."""
    table_columns = Base.metadata.tables[table].c
    converters = [
        (index, process)
        for index, name in enumerate(columns)
        if isinstance(column_type := table_columns[name].type, Date | DateTime)
        and (process := column_type.dialect_impl(dialect).bind_processor(dialect)) is not None
    ]
    if not converters:
        return rows
    converted = []
    for row in rows:
        values = list(row)
        for index, process in converters:
            values[index] = process(values[index])
        converted.append(tuple(values))
    return converted


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector for bulk work (reading a sheet, an import, bulk creation):
    it keeps tens of thousands of new rows alive, which the collector would scan again and again
    (a third of a 10,000-row import) to find no garbage. It resumes as it was (the window pauses
    it anyway and collects when idle)."""
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()
