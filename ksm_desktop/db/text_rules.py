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
from ksm_desktop.domain.errors import ValidationError
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
    """The same check for rows written in bulk with plain SQL (imports, the demo). Each text column
    is checked at once (its longest value, its values joined); only a column that fails is read
    value by value, to name the first bad one as the form would."""
    rows = rows if isinstance(rows, Sequence) else list(rows)
    table_columns = Base.metadata.tables[table].c
    for index, name in enumerate(columns):
        column_type = table_columns[name].type
        if not isinstance(column_type, String):
            continue
        values = [value for row in rows if isinstance(value := row[index], str)]
        limit = column_type.length
        try:
            check_text("\n".join(values), name)  # line feeds are allowed: no false alarm
            if limit is not None and max(map(len, values), default=0) > limit:
                raise ValidationError("", name)
        except ValidationError:
            for value in values:
                check_text(value, name, limit)
