"""The audit log, written once for every service: a flush listener on the session factory.

Every insert, update and delete of an audited record adds an `audit_entry` row with the acting
user (`session.info["actor"]`, set by Service._write), the time and the changed fields before and
after, through the same connection and so in the same transaction: no change without its trace,
no trace of a change that was rolled back.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, inspect
from sqlalchemy.orm import Session

from ksm_desktop.db.models import (
    Grant,
    GrantItem,
    GrantItemSerial,
    Membership,
    Organisation,
    Person,
    Programme,
    ProgrammeParty,
    ProgrammeZone,
    Setting,
)
from ksm_desktop.db.models_attachments import Attachment
from ksm_desktop.db.models_fieldwork import (
    Activity,
    ExpectedResult,
    Household,
    Indicator,
    Measurement,
    Visit,
    VisitPiece,
)
from ksm_desktop.db.models_security import AuditEntry, UserAccount

if TYPE_CHECKING:
    from ksm_desktop.db.engine import Database

SYSTEM_ACTOR = "system"
# Entity names as stored in the log (stable: they are searched and exported).
AUDITED: dict[type, str] = {
    Organisation: "organisation",
    Person: "person",
    Membership: "membership",
    Programme: "programme",
    ProgrammeParty: "programme_party",
    ProgrammeZone: "programme_zone",
    Grant: "grant",
    GrantItem: "grant_item",
    GrantItemSerial: "grant_item_serial",
    Setting: "setting",
    UserAccount: "user",
    Household: "household",
    Activity: "activity",
    ExpectedResult: "result",
    Indicator: "indicator",
    Measurement: "measurement",
    Visit: "visit",
    VisitPiece: "visit_piece",
    Attachment: "attachment",
}
# Derived or noisy columns that say nothing a reader of the log needs.
IGNORED = frozenset({"search", "name_key", "failed_attempts", "locked_until", "last_login"})
SECRET = frozenset({"password_hash"})


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def _label(obj: Any) -> str | None:
    for names in (
        ("number",),
        ("name",),
        ("first_name", "last_name"),
        ("designation",),
        ("filename",),
        ("username",),
        ("key",),
    ):
        parts = [getattr(obj, n, None) for n in names]
        if all(p is not None for p in parts):
            return " ".join(str(p) for p in parts)[:200]
    return None


def _changes(obj: Any, action: str) -> dict[str, list[Any]]:
    state = inspect(obj)
    changes: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key in IGNORED or key == "id":
            continue
        hist = state.attrs[key].history
        if action == "create":
            value = state.dict.get(key)
            if value is not None:
                changes[key] = [None, "***" if key in SECRET else _plain(value)]
        elif action == "delete":
            value = state.dict.get(key)
            if value is not None:
                changes[key] = ["***" if key in SECRET else _plain(value), None]
        elif hist.has_changes():
            before = hist.deleted[0] if hist.deleted else None
            after = hist.added[0] if hist.added else None
            if before != after:
                changes[key] = ["***", "***"] if key in SECRET else [_plain(before), _plain(after)]
    return changes


def _entries(session: Session) -> list[dict[str, Any]]:
    actor = str(session.info.get("actor", SYSTEM_ACTOR))
    at = dt.datetime.now().replace(microsecond=0)
    rows = []
    for action, objects in (("create", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objects:
            entity = AUDITED.get(type(obj))
            if entity is None:
                continue
            changes = _changes(obj, action)
            if action == "update" and not changes:
                continue
            if entity == "grant" and action == "update" and "status" in changes:
                action_name = str(changes["status"][1])  # a workflow step: validated, delivered…
            else:
                action_name = action
            rows.append(
                {
                    "at": at,
                    "username": actor,
                    "action": action_name,
                    "entity": entity,
                    "entity_id": getattr(obj, "id", None),
                    "label": _label(obj),
                    "changes": json.dumps(changes, ensure_ascii=False, sort_keys=True),
                }
            )
    return rows


def after_flush(session: Session, _context: Any) -> None:
    """Write the log rows for what this flush just sent (ids are known by now)."""
    rows = _entries(session)
    if rows:
        session.connection().execute(insert(AuditEntry), rows)


def record(
    session: Session,
    action: str,
    entity: str,
    label: str,
    changes: dict[str, Any],
    entity_id: int | None = None,
) -> None:
    """Log what the flush listener cannot see: bulk statements (imports, mass deletes) and events
    that change no audited column (a lockout, a restore, a personal-data export).

    `changes` are plain values (e.g. a row count), stored as before-values of a delete and
    after-values of anything else, like the listener's [before, after] pairs.
    """
    record_each(session, action, entity, [(entity_id, label, changes)])


# One encoder for every line of a bulk log (json.dumps would build one per line: an import of
# 100,000 persons spends a fifth of its JSON time on that).
_BULK_ENCODER = json.JSONEncoder(ensure_ascii=False, default=_plain, sort_keys=True)


def record_each(
    session: Session,
    action: str,
    entity: str,
    records: Sequence[tuple[int | None, str, dict[str, Any]]],
) -> None:
    """One log row per (entity id, label, changes) in one statement: every imported person gets
    their own row, found by their id like a person created in the form."""
    if not records:
        return
    connection = session.connection()
    table = AuditEntry.__table__
    at: object = dt.datetime.now().replace(microsecond=0)
    # one timestamp, converted once as the ORM does (the generic type has no converter of its own;
    # sqlite3's default adapter is deprecated from Python 3.12 and writes another format)
    to_db = table.c.at.type.dialect_impl(connection.dialect).bind_processor(connection.dialect)
    if to_db is not None:
        at = to_db(at)
    username = str(session.info.get("actor", SYSTEM_ACTOR))
    before = action == "delete"
    encode = _BULK_ENCODER.encode
    rows = [
        (
            at,
            username,
            action,
            entity,
            entity_id,
            label[:200],
            encode({k: [v, None] if before else [None, v] for k, v in changes.items()}),
        )
        for entity_id, label, changes in records
    ]
    # The driver's executemany: an import logs one line per person, and SQLAlchemy's per-row
    # parameter processing would cost more than the insert itself.
    marker = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    connection.exec_driver_sql(
        f"INSERT INTO {AuditEntry.__tablename__} (at, username, action, entity, entity_id, label, changes) "
        f"VALUES ({', '.join([marker] * 7)})",
        rows,
    )


def record_restore(db: Database, actor: str, backup: Path, replaced: Path | None) -> None:
    """Log a restore in the restored database itself (the log of the file now in use): which
    backup it came from and where the replaced database was kept. Call it right after the copy."""
    with db.transaction(actor=actor) as session:
        record(
            session,
            "restore",
            "database",
            backup.name,
            {"backup": backup.name, "replaced_kept_as": replaced.name if replaced else None},
        )
