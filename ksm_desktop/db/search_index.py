"""The substring index of the members search on SQLite: the FTS5 table with the trigram tokenizer
that migration 0013 keeps in step with person.search, name_key and phone (PostgreSQL needs no
help from here: its pg_trgm indexes serve `LIKE '%x%'` on the columns themselves).

FTS5 answers a LIKE pattern from its index only when every piece between the wildcards has at
least three characters (one trigram); a shorter one would make it read every row, slower than the
person table itself, so such a pattern stays on the column.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Integer, Text, column, select, table, text
from sqlalchemy.orm import InstrumentedAttribute, Session

PERSON_FTS = table(
    "person_fts",
    column("rowid", Integer),
    column("search", Text),
    column("name_key", Text),
    column("phone", Text),
)
TRIGRAM = 3
_WILDCARDS = ("%", "_")


def has_person_index(session: Session) -> bool:
    """Whether this SQLite database has the trigram table (a SQLite without FTS5's trigram
    tokenizer migrates without it, see migration 0013)."""
    if session.get_bind().dialect.name != "sqlite":
        return False
    found = session.scalar(text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'person_fts'"))
    return found is not None


def servable(pattern: str) -> bool:
    """Whether FTS5 answers `pattern` (with % wildcards only) from its trigrams."""
    pieces = [p for p in pattern.split("%") if p]
    return bool(pieces) and "_" not in pattern and all(len(p) >= TRIGRAM for p in pieces)


def like(
    column_: InstrumentedAttribute[str | None] | InstrumentedAttribute[str],
    key: ColumnElement[int] | InstrumentedAttribute[int],
    pattern: str,
    indexed: bool,
) -> ColumnElement[bool]:
    """`column LIKE pattern`, asked of the trigram table when it can answer (`indexed`: the table
    exists), else of the column."""
    if indexed and servable(pattern):
        return key.in_(select(PERSON_FTS.c.rowid).where(PERSON_FTS.c[column_.key].like(pattern)))
    return column_.like(pattern)


def contains(
    column_: InstrumentedAttribute[str | None] | InstrumentedAttribute[str],
    key: ColumnElement[int] | InstrumentedAttribute[int],
    value: str,
    indexed: bool,
) -> ColumnElement[bool]:
    """`value` anywhere in the column (wildcard characters in it taken literally)."""
    if any(w in value for w in _WILDCARDS) or "/" in value:
        return column_.contains(value, autoescape=True)
    return like(column_, key, f"%{value}%", indexed)
