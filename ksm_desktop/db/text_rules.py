"""The same text rules on every engine, for every record: a flush listener checks each text
column of each added or changed row against its declared length and refuses control characters.

SQLite stores any length and a NUL; PostgreSQL refuses both with a DataError. Checking before
the row is written gives the user a field error on both, and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import String, inspect
from sqlalchemy.orm import Session

from ksm_desktop.db.base import Base
from ksm_desktop.domain.values import check_text


def before_flush(session: Session, _context: Any, _instances: Iterable[object] | None) -> None:
    """Check the text of every row about to be inserted or updated (listener of the session factory)."""
    for row in (*session.new, *session.dirty):
        for attr in inspect(row).mapper.column_attrs:
            column_type = attr.columns[0].type
            value = getattr(row, attr.key)
            if isinstance(column_type, String) and isinstance(value, str):
                check_text(value, attr.key, column_type.length)


def check_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """The same check for rows written in bulk with plain SQL (imports, the demo)."""
    types = [Base.metadata.tables[table].c[name].type for name in columns]
    for row in rows:
        for name, column_type, value in zip(columns, types, row, strict=True):
            if isinstance(column_type, String) and isinstance(value, str):
                check_text(value, name, column_type.length)
