"""The substring index of the members search on SQLite: the FTS5 table with the trigram tokenizer
that migration 0011 keeps in step with person.search, name_key and phone (PostgreSQL needs no
help from here: its pg_trgm indexes serve `LIKE '%x%'` on the columns themselves).

The table is asked with MATCH phrases (a phrase of trigrams is a substring), which reads only the
index; LIKE on the table is served too but checks every candidate row, ten times slower. A phrase
needs at least three characters (one trigram): a shorter word stays a LIKE on the column.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Integer, Select, column, literal_column, select, table, text
from sqlalchemy.orm import Session

PERSON_FTS = table("person_fts", column("rowid", Integer))
TRIGRAM = 3


def has_person_index(session: Session) -> bool:
    """Whether this is SQLite with the trigram table (a SQLite without FTS5's trigram tokenizer
    migrates without it, see migration 0011)."""
    if session.get_bind().dialect.name != "sqlite":
        return False
    found = session.scalar(
        text("SELECT 1 FROM sqlite_master WHERE name = 'person_fts' AND sql LIKE 'CREATE VIRTUAL TABLE%'")
    )
    return found is not None


def phrase(column_name: str, piece: str) -> str:
    """A MATCH phrase: `piece` anywhere in the column (at least TRIGRAM characters)."""
    assert len(piece) >= TRIGRAM
    return f'{column_name}:"{piece.replace(chr(34), chr(34) * 2)}"'


def all_of(phrases: Sequence[str]) -> str | None:
    return " AND ".join(f"({p})" for p in phrases) or None


def any_of(phrases: Sequence[str | None]) -> str | None:
    return " OR ".join(f"({p})" for p in phrases if p) or None


def matching(expression: str) -> Select[tuple[int]]:
    """The ids of the persons whose indexed columns match the MATCH `expression`."""
    return select(PERSON_FTS.c.rowid).where(literal_column("person_fts").match(expression))


def forget_deleted(session: Session) -> None:
    """Rewrite the trigram table into one segment: FTS5 keeps the trigrams of a changed or deleted
    row in its older segments until they are merged, and an anonymised person must leave none
    (about 13 s at 1,000,000 persons, for an administrator's rare anonymisation)."""
    if has_person_index(session):
        session.execute(text("INSERT INTO person_fts (person_fts) VALUES ('optimize')"))
