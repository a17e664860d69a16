"""Grant numbers (KSM-2026-0007): consecutive per year, never reused nor skipped, taken as the
last statements of a save so that people saving at once on a server wait for each other briefly."""

from __future__ import annotations

import uuid

from sqlalchemy import bindparam, func, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from ksm_desktop.db.models import Grant, GrantCounter
from ksm_desktop.db.models_security import AuditEntry
from ksm_desktop.domain.values import format_grant_number, search_key


def provisional_number() -> str:
    """A grant's number until `number_grants` gives it the real one at the end of its save:
    unique (nobody else's save waits on it), and never a real number."""
    return "~" + uuid.uuid4().hex[:19]


def number_grants(session: Session, grants: list[Grant], year: int) -> list[str]:
    """Give `grants`, saved with provisional numbers, the next consecutive numbers of `year`
    (e.g. KSM-2026-0007), as the very last statements of their save.

    The year's counter is raised by one atomic upsert that returns the new last number: its row
    stays locked until the transaction ends, so people saving at the same moment on a server queue
    up for it instead of taking the same number, and numbers are never reused nor skipped. Taking
    it last keeps that queue short: everything else of the save is already written. The grant rows,
    their search text and their creation in the audit log then get the real number.
    """
    session.flush()
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    count = len(grants)
    upsert = (
        insert(GrantCounter)
        .values(year=year, last=count)
        .on_conflict_do_update(index_elements=[GrantCounter.year], set_={"last": GrantCounter.last + count})
        .returning(GrantCounter.last)
    )
    first = int(session.execute(upsert).scalar_one()) - count + 1
    numbers = [format_grant_number(year, first + n) for n in range(count)]
    rows = [
        {"g_id": g.id, "old": g.number, "new": number, "old_key": search_key(g.number)}
        | {"new_key": search_key(number)}
        for g, number in zip(grants, numbers, strict=True)
    ]
    # Straight to the connection: the ORM would log these as changes and raise the versions.
    connection = session.connection()
    connection.execute(
        update(Grant)
        .where(Grant.id == bindparam("g_id"))
        .values(
            number=bindparam("new"),
            search=func.replace(Grant.search, bindparam("old_key"), bindparam("new_key")),
        ),
        rows,
    )
    connection.execute(
        update(AuditEntry)
        .where(AuditEntry.entity == "grant", AuditEntry.entity_id == bindparam("g_id"))
        .values(
            label=func.replace(AuditEntry.label, bindparam("old"), bindparam("new")),
            changes=func.replace(AuditEntry.changes, bindparam("old"), bindparam("new")),
        ),
        rows,
    )
    for grant, number in zip(grants, numbers, strict=True):
        grant_search = grant.search.replace(search_key(grant.number), search_key(number))
        set_committed_value(grant, "number", number)
        set_committed_value(grant, "search", grant_search)
    return numbers
