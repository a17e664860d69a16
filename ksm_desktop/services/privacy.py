"""Personal data under Moroccan law 09-08: consent, access (everything held about one person) and
anonymisation of a person who leaves, keeping the counts (sex, birth year) and grant history."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, or_, select, text, update
from sqlalchemy.orm import Session

from ksm_desktop.db import audit
from ksm_desktop.db.engine import Database
from ksm_desktop.db.models import Grant, GrantSeal, Location, Membership, Person
from ksm_desktop.db.models_attachments import Attachment
from ksm_desktop.db.models_fieldwork import Household
from ksm_desktop.db.models_security import AuditEntry
from ksm_desktop.db.search_index import forget_deleted
from ksm_desktop.domain.errors import NotFoundError, ValidationError
from ksm_desktop.domain.values import optional_text, search_key
from ksm_desktop.i18n import _
from ksm_desktop.services.attachments import AttachmentService, delete_unused_contents
from ksm_desktop.services.base import Service
from ksm_desktop.services.grants import index_grant

ANONYMOUS = "Anonyme"
PERSON_FIELDS = (
    "id", "first_name", "last_name", "full_name_ar", "cin", "sex", "birth_date", "birth_year", "phone",
    "vulnerabilities", "household_size", "location_id", "notes", "consent_date", "consent_purpose", "anonymised_on",
)  # fmt: skip


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


def validate_consent(given_on: dt.date | None, purpose: str | None) -> tuple[dt.date, str]:
    """The consent to store, or a ValidationError naming the field (forms check before saving)."""
    if given_on is None:
        raise ValidationError(_("Give the date the person gave their consent."), "consent_date")
    text = optional_text(purpose)
    if text is None:
        raise ValidationError(_("Say what the person agreed to (purpose of the data)."), "consent_purpose")
    if given_on > dt.date.today():
        raise ValidationError(_("The consent date cannot be in the future."), "consent_date")
    return given_on, text


class PrivacyService(Service):
    def set_consent(self, person_id: int, given_on: dt.date | None, purpose: str | None) -> None:
        given_on, text = validate_consent(given_on, purpose)
        with self._write() as session:
            person = _get(session, person_id)
            person.consent_date, person.consent_purpose = given_on, text

    def export(self, person_id: int) -> dict[str, Any]:
        """Everything the database holds about one person (right of access). Administrators only."""
        self._require_admin()
        with self.db.reading() as session:
            person = _get(session, person_id)
            memberships = session.scalars(select(Membership).where(Membership.person_id == person_id))
            grants = session.scalars(
                select(Grant).where(
                    or_(Grant.person_id == person_id, Grant.received_by_cin == person.cin)
                    if person.cin
                    else Grant.person_id == person_id
                )
            )
            own = (AuditEntry.entity == "person", AuditEntry.entity_id == person_id)
            # A database from before ids were kept unique may have given this id to a person
            # deleted earlier: only the entries after the last deletion are this person's.
            deleted = session.scalar(
                select(func.max(AuditEntry.id)).where(*own, AuditEntry.action == "delete")
            )
            audit = session.scalars(
                select(AuditEntry).where(*own, AuditEntry.id > (deleted or 0)).order_by(AuditEntry.id)
            )
            return {
                "person": {f: _plain(getattr(person, f)) for f in PERSON_FIELDS},
                "memberships": [
                    {
                        "organisation": m.organisation.name,
                        "role": m.role,
                        "start_date": _plain(m.start_date),
                        "end_date": _plain(m.end_date),
                    }
                    for m in memberships
                ],
                "grants": [
                    {
                        "number": g.number,
                        "purpose": g.purpose,
                        "status": g.status,
                        "grant_date": _plain(g.grant_date),
                        "as_recipient": g.person_id == person_id,
                        "received_by_name": g.received_by_name,
                    }
                    for g in grants
                ],
                "attachments": [
                    a.as_json() for a in AttachmentService(self.db, self.actor).list("person", person_id)
                ],
                "history": [
                    {
                        "at": _plain(e.at),
                        "user": e.username,
                        "action": e.action,
                        "changes": json.loads(e.changes),
                    }
                    for e in audit
                ],
            }

    def export_to(self, person_id: int, path: Path) -> Path:
        """Write the export as JSON (.json) or a workbook with one sheet per section (.xlsx); the
        person's attached files (photos, scans) go into the folder `<name>-files` beside it."""
        from ksm_desktop.workbook import Sheet, atomic_write, write_xlsx

        data = self.export(person_id)
        _write_attachments(AttachmentService(self.db, self.actor), data["attachments"], path)
        if path.suffix.lower() == ".xlsx":
            sheets = [Sheet(_("Person"), [_("Field"), _("Value")], list(data["person"].items()))]
            for section in ("memberships", "grants", "attachments", "history"):
                rows = data[section]
                sheets.append(
                    Sheet(
                        section,
                        list(rows[0]) if rows else [],
                        [
                            [
                                json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else v
                                for v in row.values()
                            ]
                            for row in rows
                        ],
                    )
                )
            write_xlsx(path, sheets)
        else:
            text = json.dumps(data, ensure_ascii=False, indent=2)
            atomic_write(path, lambda tmp: tmp.write_text(text, "utf-8"))
        with self._write() as session:
            audit.record(session, "export", "person", _label(data["person"]), {"file": path.name}, person_id)
        return path

    def anonymise(self, person_id: int) -> None:
        """Remove name, CIN, phone, Arabic name, birth date and notes; keep sex, birth year,
        memberships and grants (for counts).

        Every copy in the live database goes too: the search texts of the person, their household
        and their grants, the "received by" of deliveries, and their values in the audit log of
        any record. On SQLite the freed bytes are zeroed (secure_delete) and the write-ahead log is
        emptied, so the file itself keeps no trace; backups made before still hold the person.
        """
        self._require_admin()
        self._backup_before("anonymise")
        with self._write() as session:
            if self.db.is_sqlite:
                session.execute(text("PRAGMA secure_delete = ON"))
            person = _get(session, person_id)
            if person.anonymised_on is not None:
                return
            traces = _identity(person)
            if person.birth_date is not None and person.birth_year is None:
                person.birth_year = person.birth_date.year
            person.first_name, person.last_name = ANONYMOUS, f"#{person.id}"
            person.full_name_ar = person.cin = person.phone = person.birth_date = person.notes = None
            person.search = person.name_key = ""
            person.anonymised_on = dt.date.today()
            session.flush()
            _scrub_copies(session, person, traces)
            # Their photos and scanned papers go for good, bytes included (unless another record
            # holds the same file).
            files = session.execute(delete(Attachment).where(Attachment.person_id == person.id)).rowcount  # type: ignore[attr-defined]
            if files:
                audit.record(session, "delete", "attachment", ANONYMOUS, {"files": files}, None)
            delete_unused_contents(session)
            forget_deleted(session)
        if self.db.is_sqlite:
            _empty_write_ahead_log(self.db)


def _write_attachments(service: AttachmentService, attachments: list[dict[str, Any]], path: Path) -> None:
    """Each attached file into `<export name>-files/`, named `<id>-<file name>` (two files may
    share a name); the export lists them under the same names."""
    if not attachments:
        return
    folder = path.with_name(f"{path.stem}-files")
    folder.mkdir(parents=True, exist_ok=True)
    for attachment in attachments:
        name = f"{attachment['id']}-{Path(attachment['filename']).name}"
        (folder / name).write_bytes(service.content(int(attachment["id"])))
        attachment["exported_as"] = f"{folder.name}/{name}"


def _identity(person: Person) -> list[str]:
    """The texts that identify a person wherever they were copied (longest first)."""
    names = [
        f"{person.first_name} {person.last_name}",
        f"{person.last_name} {person.first_name}",
        person.full_name_ar,
        person.cin,
        person.phone,
    ]
    return sorted({n.strip() for n in names if n and len(n.strip()) >= 3}, key=len, reverse=True)


def _scrub_copies(session: Session, person: Person, traces: list[str]) -> None:
    """Rewrite the person's other copies: households, grants, deliveries and the audit log."""
    households = list(session.scalars(select(Household).where(Household.head_id == person.id)))
    for household in households:
        place = session.get(Location, household.location_id)
        household.search = search_key(
            household.code, person.first_name, person.last_name, place.name if place else None
        )
    conditions = [Grant.person_id == person.id]
    if households:
        conditions.append(Grant.household_id.in_([h.id for h in households]))
    conditions += [Grant.received_by_cin == t for t in traces]
    conditions += [Grant.received_by_name.icontains(t) for t in traces]
    pattern = re.compile("|".join(re.escape(t) for t in traces), re.IGNORECASE) if traces else None
    for grant in session.scalars(select(Grant).where(or_(*conditions))):
        if grant.received_by_cin in traces:
            grant.received_by_cin = None
        if pattern and grant.received_by_name and pattern.search(grant.received_by_name):
            grant.received_by_name = ANONYMOUS
        index_grant(session, grant)
    session.flush()
    session.execute(
        update(AuditEntry)
        .where(AuditEntry.entity == "person", AuditEntry.entity_id == person.id)
        .values(changes="{}", label=ANONYMOUS)
    )
    if pattern is None:
        return
    # The frozen content of printed sheets: the sheets stay on paper, their copy here is anonymised
    # (checking such a sheet's code then says its content changed since it was printed).
    for seal in session.scalars(
        select(GrantSeal).where(or_(*(GrantSeal.content.icontains(t) for t in traces)))
    ):
        seal.content = pattern.sub(ANONYMOUS, seal.content)
    found = or_(
        *(c for t in traces for c in (AuditEntry.changes.icontains(t), AuditEntry.label.icontains(t)))
    )
    for entry in session.scalars(select(AuditEntry).where(found)):
        changes = json.loads(entry.changes)
        entry.changes = json.dumps(
            {
                field: [pattern.sub(ANONYMOUS, v) if isinstance(v, str) else v for v in pair]
                for field, pair in changes.items()
            },
            ensure_ascii=False,
            sort_keys=True,
        )
        if entry.label:
            entry.label = pattern.sub(ANONYMOUS, entry.label)


def _empty_write_ahead_log(db: Database) -> None:
    """Copy the write-ahead log into the file and truncate it: the old pages it held go away."""
    raw = db.engine.raw_connection()
    try:
        raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        raw.close()


def _label(person: dict[str, Any]) -> str:
    """The log's label of a person, as the flush listener writes it."""
    return f"{person['first_name']} {person['last_name']}"


def _get(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFoundError(_("This person no longer exists."))
    return person
