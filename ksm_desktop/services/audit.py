"""Reading the audit log (it is written by db/audit.py, in the transaction of each change)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ksm_desktop.db.models_security import AuditEntry
from ksm_desktop.i18n import _
from ksm_desktop.services.base import Service


@dataclass(frozen=True)
class AuditDTO:
    id: int
    at: dt.datetime
    username: str
    action: str
    entity: str
    entity_id: int | None
    label: str | None
    changes: dict[str, list[Any]]


@dataclass(frozen=True)
class AuditQuery:
    entity: str | None = None
    entity_id: int | None = None
    username: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None  # inclusive
    limit: int | None = 1000


class AuditService(Service):
    def search(self, query: AuditQuery = AuditQuery()) -> list[AuditDTO]:
        """Newest first. Administrators only: the log names who did what."""
        self._require_admin()
        stmt = select(AuditEntry)
        if query.entity:
            stmt = stmt.where(AuditEntry.entity == query.entity)
        if query.entity_id is not None:
            stmt = stmt.where(AuditEntry.entity_id == query.entity_id)
        if query.username:
            stmt = stmt.where(AuditEntry.username == query.username.strip().lower())
        if query.since:
            stmt = stmt.where(AuditEntry.at >= dt.datetime.combine(query.since, dt.time()))
        if query.until:
            stmt = stmt.where(
                AuditEntry.at < dt.datetime.combine(query.until + dt.timedelta(days=1), dt.time())
            )
        stmt = stmt.order_by(AuditEntry.id.desc())
        if query.limit is not None:
            stmt = stmt.limit(query.limit)
        with self.db.reading() as session:
            return [
                AuditDTO(
                    e.id, e.at, e.username, e.action, e.entity, e.entity_id, e.label, json.loads(e.changes)
                )
                for e in session.scalars(stmt)
            ]

    def export_xlsx(self, path: Path, query: AuditQuery = AuditQuery(limit=None)) -> int:
        """Write the matching entries to an Excel file, one row per changed field; returns how many."""
        from ksm_desktop.workbook import Sheet, write_xlsx

        entries = self.search(query)
        rows = [
            [r.at, r.username, r.action, r.entity, r.entity_id, r.label, field, _cell(before), _cell(after)]
            for r in entries
            for field, (before, after) in (r.changes.items() or [("", [None, None])])
        ]
        headers = [_("Date"), _("User"), _("Action"), _("Record"), _("Id"), _("Label"), _("Field")]
        write_xlsx(path, [Sheet(_("Audit log"), [*headers, _("Before"), _("After")], rows)])
        return len(entries)


def _cell(value: Any) -> Any:
    """A logged value as one cell: lists and mappings as their JSON text."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict)) else value
