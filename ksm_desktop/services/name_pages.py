"""A page of a list in name order for a search that may find hundreds of thousands of rows.

Sorting every row found to show the first 200 is what made a broad search slow ("ben" finds
230,000 of 1,000,000 persons: two seconds). So the rows found are counted only up to COUNT_CAP
("more than 10,000"), and when there are more than that, the page is read by walking the name
index and keeping the rows that match until the page is full: a broad search finds its page
after a few hundred rows. A narrow one (up to COUNT_CAP rows found) asks its index for the rows
and sorts those, as before. The rows and their order are the same either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal_column, select
from sqlalchemy.orm import InstrumentedAttribute, Session

Key = ColumnElement[int] | InstrumentedAttribute[int]

# Up to this many rows found, a search is counted exactly and sorted; beyond, "more than".
COUNT_CAP = 10_000


def capped_count(session: Session, stmt: Select[Any]) -> int:
    """How many rows `stmt` gives, counted no further than COUNT_CAP + 1."""
    limited: Select[Any] = (
        stmt.order_by(None)
        .with_only_columns(literal_column("1"), maintain_column_froms=True)
        .limit(COUNT_CAP + 1)
    )
    return int(session.scalar(select(func.count()).select_from(limited.subquery())) or 0)


def _count(session: Session, stmt: Select[Any]) -> int:
    return int(session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0)


def _page(session: Session, stmt: Select[Any], key: Key, skip: int, limit: int) -> list[dict[str, Any]]:
    """Rows skip…skip+limit of `stmt`: their keys first, from the indexes alone (a row's other
    columns would have each row read, matching or not), then those rows in the same order."""
    keys = list(
        session.scalars(
            stmt.with_only_columns(key, maintain_column_froms=True).offset(skip or None).limit(limit)
        )
    )
    return [dict(r._mapping) for r in session.execute(stmt.where(key.in_(keys)))] if keys else []


@dataclass(frozen=True)
class Stream:
    """Rows found one way (e.g. the name as typed), written twice: `served` as its index finds
    them (few rows, sorted after), `walked` as checked row by row along the name index (many).
    `estimate`, when there is one, is cheap to count and tells a broad stream from a narrow one
    (on SQLite, the trigram table's matches) before the rows themselves are counted."""

    served: ColumnElement[bool]
    walked: ColumnElement[bool]
    estimate: Select[Any] | None = None


def name_ordered_page(
    session: Session,
    base: Select[Any],
    key: Key,
    streams: Sequence[Stream],
    offset: int,
    limit: int,
) -> tuple[list[dict[str, Any]], int, bool]:
    """Rows offset…offset+limit of `base` (ordered by name, then by its unique `key`) restricted to each stream in turn (the
    name as typed, then its other spellings), the number found (at most COUNT_CAP) and whether
    more than that were found."""
    rows: list[dict[str, Any]] = []
    counted, skip = 0, offset
    for stream in streams:
        if counted > COUNT_CAP and len(rows) >= limit:
            break
        broad = stream.estimate is not None and capped_count(session, stream.estimate) > COUNT_CAP
        found = capped_count(session, base.where(stream.walked if broad else stream.served))
        counted += found
        if len(rows) >= limit:
            continue
        few = found <= COUNT_CAP
        if few and skip >= found:  # the whole stream comes before this page
            skip -= found
            continue
        if few:  # its index gives the rows, sorted here: one query
            stmt = base.where(stream.served).offset(skip or None).limit(limit - len(rows))
            rows += [dict(r._mapping) for r in session.execute(stmt)]
            skip = 0
            continue
        stmt = base.where(stream.walked)
        got = _page(session, stmt, key, skip, limit - len(rows))
        if not got:  # a broad stream that ends before this page: the next one skips the rest
            skip -= _count(session, stmt)
        else:
            skip = 0
        rows += got
    return rows, min(counted, COUNT_CAP), counted > COUNT_CAP
