"""Importing members into an organisation: a preview first, then all rows or none.

The preview says, line by line, what would happen: new people to add, people already registered
(same CIN) who only get the membership, people already members (reported, not errors), and rejected
lines with the reason; and the new people who look like a registered person or like another line
of the file, for the user to decide: the same person (linked, not created again) or a different one
(remembered). The commit redoes the same checks inside one transaction, after a verified backup of
the SQLite file, and refuses to import anything while a line is rejected.
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
from ksm_desktop.db.models import Membership, Person
from ksm_desktop.domain.enums import DuplicateReason
from ksm_desktop.domain.errors import NotFoundError, ValidationError
from ksm_desktop.i18n import _, ngettext
from ksm_desktop.services.base import Service, collector_paused
from ksm_desktop.services.dto import PersonInput
from ksm_desktop.services.duplicates import (
    STRONG,
    candidates_in,
    look_alikes_in,
    record_different,
    record_same,
)
from ksm_desktop.services.person_rows import existing_cins, insert_people, validate_batch, validate_person
from ksm_desktop.services.persons import _org, insert_memberships


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
class LookAlike:
    """A new person of the file who may be a registered person (`person_id`) or the person of
    an earlier line (`other_line`)."""

    line: int
    name: str
    other_name: str
    score: float
    reasons: tuple[DuplicateReason, ...]
    person_id: int | None = None
    other_line: int | None = None


@dataclass(frozen=True)
class ImportDecision:
    """The user's answer about one look-alike: `same` links (or skips) instead of creating."""

    line: int
    same: bool
    person_id: int | None = None
    other_line: int | None = None


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
    look_alikes: tuple[LookAlike, ...] = ()

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
        if self.look_alikes:
            out.append(
                _("New people who look like someone already registered: {n}").format(n=len(self.look_alikes))
            )
            out += [
                "  - "
                + _("line {line}: {name} — {other}").format(line=a.line, name=a.name, other=a.other_name)
                for a in self.look_alikes
            ]
        out.append(_("Rejected rows: {n}").format(n=len(self.rejected)))
        out += [
            "  - " + _("line {line}: {reason}").format(line=r.line, reason=r.reason) for r in self.rejected
        ]
        return out


@dataclass
class _Plan:
    new: list[tuple[int, dict[str, Any], str]] = field(default_factory=list)  # (line, person row, role)
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
        self,
        organisation_id: int,
        rows: Sequence[MemberRow],
        rejected: Sequence[tuple[int, ValidationError]],
        decisions: Sequence[ImportDecision] = (),
    ) -> ImportReport:
        """What importing `rows` would do; `rejected` are lines the reader could not clean;
        `decisions`: the user's answers about look-alikes so far."""
        checked, refused = _validate(rows, rejected)
        with self.db.reading() as session:
            org = _org(session, organisation_id)
            plan = self._plan(session, org.id, rows, checked, refused, decisions)
            report = self._report(org.code, rows, rejected, plan)
            return replace(report, look_alikes=tuple(_look_alikes(session, org.id, rows, plan)))

    @collector_paused()
    def commit(
        self,
        organisation_id: int,
        rows: Sequence[MemberRow],
        rejected: Sequence[tuple[int, ValidationError]] = (),
        decisions: Sequence[ImportDecision] = (),
    ) -> ImportReport:
        """Import every row in one transaction, after a verified backup; nothing when a row is bad.
        A look-alike decided "same" is linked (or left to its earlier line), one decided
        "different" is remembered as a different person."""
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
            plan = self._plan(session, org.id, rows, checked, refused, decisions)
            ids = insert_people(session, [person for _n, person, _role in plan.new]) if plan.new else []
            members = [(pid, role) for pid, (_n, _p, role) in zip(ids, plan.new, strict=True)] + plan.link
            insert_memberships(session, org.id, members)
            created = {n: pid for pid, (n, _p, _r) in zip(ids, plan.new, strict=True)}
            people = {r.line: r.person for r in rows}
            for d in decisions:
                if d.same and d.person_id is not None:
                    typed = people[d.line]
                    record_same(session, d.person_id, f"{typed.first_name} {typed.last_name}".strip())
                other = d.person_id if d.person_id is not None else created.get(d.other_line or 0)
                if not d.same and d.line in created and other is not None:
                    record_different(session, created[d.line], other)
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
        decisions: Sequence[ImportDecision] = (),
    ) -> _Plan:
        """Which checked rows are new people, registered people to link, or members already."""
        plan = _Plan(rejected=refused)
        same = _check_decisions(session, decisions, {n for n, _row in checked})
        roles = {r.line: r.role for r in rows}
        owners = dict(existing_cins(session, [row["cin"] for _n, row in checked if row["cin"]]))
        chosen = {n: pid for n, pid in same.items() if pid is not None}
        members = set(
            session.scalars(
                select(Membership.person_id).where(
                    Membership.organisation_id == org_id,
                    Membership.person_id.in_([*owners.values(), *chosen.values()] or [-1]),
                )
            )
        )
        for n, row in checked:
            if n in same and same[n] is None:  # the same person as an earlier line: once only
                continue
            owner = chosen.get(n) or (owners.get(row["cin"]) if row["cin"] else None)
            if owner is None:
                plan.new.append((n, row, roles[n]))
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


def _check_decisions(
    session: Session,
    decisions: Sequence[ImportDecision],
    lines: set[int],
) -> dict[int, int | None]:
    """The lines decided "same": line → registered person id (None: an earlier line's person).
    A decision about a line not imported, or a person who does not exist, is refused."""
    same: dict[int, int | None] = {}
    wanted = {d.person_id for d in decisions if d.person_id is not None}
    known = set(session.scalars(select(Person.id).where(Person.id.in_(wanted)))) if wanted else set()
    for d in decisions:
        if d.line not in lines or (d.other_line is not None and d.other_line not in lines):
            raise ValidationError(
                _("Line {line} is not a person to import: no decision can be taken about it.").format(
                    line=d.line
                ),
                "decisions",
            )
        if (d.person_id is None) == (d.other_line is None):
            raise ValidationError(
                _("Line {line}: say which registered person or which line it is compared with.").format(
                    line=d.line
                ),
                "decisions",
            )
        if d.person_id is not None and d.person_id not in known:
            raise NotFoundError(_("Unknown person (id {id}).").format(id=d.person_id), "decisions")
        if d.same:
            same[d.line] = d.person_id
    return same


def _look_alikes(session: Session, org_id: int, rows: Sequence[MemberRow], plan: _Plan) -> list[LookAlike]:
    """The new people of `plan` who look like a registered person or like an earlier new line."""
    people = {r.line: r.person for r in rows}
    new = [(n, people[n]) for n, _row, _role in plan.new]
    found: list[LookAlike] = []
    for n, candidates in sorted(candidates_in(session, new, org_id, STRONG, None).items()):
        person = people[n]
        for c in candidates:
            found.append(
                LookAlike(
                    n,
                    f"{person.first_name} {person.last_name}",
                    c.name,
                    c.score,
                    c.reasons,
                    person_id=c.person_id,
                )
            )
    for n, earlier, score, reasons in look_alikes_in(new):
        a, b = people[n], people[earlier]
        other = _("line {line}: {name}").format(line=earlier, name=f"{b.first_name} {b.last_name}")
        found.append(LookAlike(n, f"{a.first_name} {a.last_name}", other, score, reasons, other_line=earlier))
    return sorted(found, key=lambda a: (a.line, -a.score))
