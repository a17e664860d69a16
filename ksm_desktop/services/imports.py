"""Importing members into an organisation: a preview first, then all rows or none.

The preview says, line by line, what would happen: new people to add, people already registered
(same CIN) who only get the membership, people already members (reported, not errors), and rejected
lines with the reason. The commit redoes the same checks inside one transaction, after a verified
backup of the SQLite file, and refuses to import anything while a line is rejected.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ksm_desktop.db import audit
from ksm_desktop.db.models import Membership
from ksm_desktop.domain.errors import ValidationError
from ksm_desktop.i18n import _, ngettext
from ksm_desktop.services.base import Service
from ksm_desktop.services.dto import PersonInput
from ksm_desktop.services.persons import (
    _org,
    existing_cins,
    insert_memberships,
    insert_people,
    validate_batch,
    validate_person,
)


@dataclass(frozen=True)
class MemberRow:
    """One spreadsheet line cleaned: the person and their role in the organisation."""

    line: int
    person: PersonInput
    role: str


@dataclass(frozen=True)
class RejectedLine:
    line: int
    reason: str
    field: str | None = None


@dataclass(frozen=True)
class ImportReport:
    """What an import would do (preview) or did (committed)."""

    organisation_code: str
    rows_read: int
    to_add: int
    linked: int  # people already registered (same CIN) who become members
    already_members: tuple[str, ...]  # "line 7: Fatima Alaoui (AB123456)"
    rejected: tuple[RejectedLine, ...]
    committed: bool = False
    backup: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.rejected

    def lines(self) -> list[str]:
        """The report as printed by the CLI and shown by the dialog's summary."""
        out = [
            _("Organisation: {code}").format(code=self.organisation_code),
            _("Rows read: {n}").format(n=self.rows_read),
            _("New people to add: {n}").format(n=self.to_add),
            _("Registered people linked as members: {n}").format(n=self.linked),
            _("Already members (left as they are): {n}").format(n=len(self.already_members)),
        ]
        out += [f"  - {entry}" for entry in self.already_members]
        out.append(_("Rejected rows: {n}").format(n=len(self.rejected)))
        out += [
            "  - " + _("line {line}: {reason}").format(line=r.line, reason=r.reason) for r in self.rejected
        ]
        return out


@dataclass
class _Plan:
    new: list[tuple[dict[str, Any], str]] = field(default_factory=list)  # (person row, role)
    link: list[tuple[int, str]] = field(default_factory=list)  # (person id, role)
    already: list[str] = field(default_factory=list)
    rejected: list[RejectedLine] = field(default_factory=list)


# What stands in for a refused value while looking for the next error of the same row.
_NEUTRAL: dict[str, dict[str, Any]] = {
    "first_name": {"first_name": "-"},
    "last_name": {"last_name": "-"},
    "sex": {"sex": "F"},
    "cin": {"cin": None},
    "phone": {"phone": None},
    "birth_date": {"birth_date": None},
    "birth_year": {"birth_year": None},
    "household_size": {"household_size": None},
    "vulnerabilities": {"vulnerabilities": ()},
    "full_name_ar": {"full_name_ar": None},
    "notes": {"notes": None},
}


def every_error(person: PersonInput, known: Collection[str | None] = ()) -> list[ValidationError]:
    """Every check `person` fails, not only the first: each refused field is set aside in turn.
    Fields in `known` (already reported by the reader) are set aside from the start."""
    errors: list[ValidationError] = []
    for name in known:
        person = replace(person, **_NEUTRAL.get(name or "", {}))
    while len(errors) <= len(_NEUTRAL):
        try:
            validate_person(person)
        except ValidationError as exc:
            errors.append(exc)
            if exc.field not in _NEUTRAL:
                break
            person = replace(person, **_NEUTRAL[exc.field])
            continue
        break
    return errors


def joined(errors: Sequence[ValidationError]) -> ValidationError:
    """One error telling all of `errors` (its field: the first one's)."""
    return ValidationError(" ".join(e.message for e in errors), errors[0].field)


def _validate(
    rows: Sequence[MemberRow], rejected: Sequence[tuple[int, ValidationError]]
) -> tuple[list[tuple[int, dict[str, Any]]], list[RejectedLine]]:
    """Rows to store, and every rejected line (from the reader or validate_person) in line order,
    each with all its errors."""
    checked, errors = validate_batch([(r.line, r.person) for r in rows], dt.date.today())
    people = {r.line: r.person for r in rows}
    refused = [RejectedLine(n, e.message, e.field) for n, e in rejected]
    for n, error in errors:
        every = every_error(people[n]) if isinstance(error, ValidationError) else [error]
        refused.append(RejectedLine(n, " ".join(e.message for e in every), every[0].field))
    return checked, sorted(refused, key=lambda r: r.line)


class ImportService(Service):
    def preview(
        self, organisation_id: int, rows: Sequence[MemberRow], rejected: Sequence[tuple[int, ValidationError]]
    ) -> ImportReport:
        """What importing `rows` would do; `rejected` are lines the reader could not clean."""
        checked, refused = _validate(rows, rejected)
        with self.db.reading() as session:
            org = _org(session, organisation_id)
            plan = self._plan(session, org.id, rows, checked, refused)
            return self._report(org.code, rows, rejected, plan)

    def commit(
        self,
        organisation_id: int,
        rows: Sequence[MemberRow],
        rejected: Sequence[tuple[int, ValidationError]] = (),
    ) -> ImportReport:
        """Import every row in one transaction, after a verified backup; nothing when a row is bad."""
        checked, refused = _validate(rows, rejected)
        if refused:
            raise ValidationError(
                ngettext(
                    "{n} row is rejected: nothing was imported.",
                    "{n} rows are rejected: nothing was imported.",
                    len(refused),
                ).format(n=len(refused)),
                "file",
            )
        with self.db.reading() as session:
            _org(session, organisation_id)
        backup = self._backup_before("import")
        with self._write() as session:
            org = _org(session, organisation_id)
            plan = self._plan(session, org.id, rows, checked, refused)
            ids = insert_people(session, [person for person, _role in plan.new]) if plan.new else []
            members = [(pid, role) for pid, (_p, role) in zip(ids, plan.new, strict=True)] + plan.link
            insert_memberships(session, org.id, members)
            audit.record(
                session,
                "create",
                "person",
                _("Import"),
                {"persons": len(ids), "linked": len(plan.link), "organisation_id": org.id},
            )
            final = self._report(org.code, rows, rejected, plan)
        return replace(final, committed=True, backup=backup)

    def _plan(
        self,
        session: Session,
        org_id: int,
        rows: Sequence[MemberRow],
        checked: list[tuple[int, dict[str, Any]]],
        refused: list[RejectedLine],
    ) -> _Plan:
        """Which checked rows are new people, registered people to link, or members already."""
        plan = _Plan(rejected=refused)
        roles = {r.line: r.role for r in rows}
        owners = dict(existing_cins(session, [row["cin"] for _n, row in checked if row["cin"]]))
        members = set(
            session.scalars(
                select(Membership.person_id).where(
                    Membership.organisation_id == org_id,
                    Membership.person_id.in_(list(owners.values()) or [-1]),
                )
            )
        )
        for n, row in checked:
            owner = owners.get(row["cin"]) if row["cin"] else None
            if owner is None:
                plan.new.append((row, roles[n]))
            elif owner in members:
                plan.already.append(
                    _("line {line}: {name} ({cin})").format(
                        line=n, name=f"{row['first_name']} {row['last_name']}", cin=row["cin"]
                    )
                )
            else:
                plan.link.append((owner, roles[n]))
        return plan

    @staticmethod
    def _report(
        code: str, rows: Sequence[MemberRow], rejected: Sequence[tuple[int, ValidationError]], plan: _Plan
    ) -> ImportReport:
        return ImportReport(
            organisation_code=code,
            rows_read=len(rows) + len(rejected),
            to_add=len(plan.new),
            linked=len(plan.link),
            already_members=tuple(plan.already),
            rejected=tuple(plan.rejected),
        )
