"""Person rows checked and written in bulk: the rules of one person's record, shared by the form,
the members import and bulk creation, and the one-statement inserts they use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.orm import Session

from ksm_desktop.db import audit
from ksm_desktop.db.models import Person
from ksm_desktop.domain.enums import Sex, Vulnerability
from ksm_desktop.domain.errors import ConflictError, KsmError, ValidationError
from ksm_desktop.domain.names import name_key
from ksm_desktop.domain.values import normalize_cin, normalize_phone, optional_text, required_text, search_key
from ksm_desktop.i18n import N_, _
from ksm_desktop.services.base import executemany
from ksm_desktop.services.dto import PersonInput

_SEXES = frozenset(s.value for s in Sex)
_VULNERABILITIES = frozenset(v.value for v in Vulnerability)


def validate_person(data: PersonInput, today: dt.date | None = None) -> dict[str, Any]:
    """The row to store for `data`, or a ValidationError naming the first bad field."""
    first = required_text(data.first_name, "first_name", N_("First name"))
    last = required_text(data.last_name, "last_name", N_("Last name"))
    if data.sex not in _SEXES:
        raise ValidationError(_("Choose the sex: woman or man."), "sex")
    cin = normalize_cin(data.cin)
    phone = normalize_phone(data.phone)
    today = today or dt.date.today()
    if data.birth_date is not None and not dt.date(1900, 1, 1) <= data.birth_date <= today:
        raise ValidationError(_("The birth date must be between 1900 and today."), "birth_date")
    birth_year = data.birth_date.year if data.birth_date else data.birth_year
    if birth_year is not None and not 1900 <= birth_year <= today.year:
        raise ValidationError(_("The birth year must be between 1900 and this year."), "birth_year")
    for tag in data.vulnerabilities:
        if tag not in _VULNERABILITIES:
            raise ValidationError(_("Unknown vulnerability “{tag}”.").format(tag=tag), "vulnerabilities")
    if data.household_size is not None and data.household_size < 1:
        raise ValidationError(_("The household size must be at least 1."), "household_size")
    name_ar = optional_text(data.full_name_ar)
    return {
        "first_name": first,
        "last_name": last,
        "full_name_ar": name_ar,
        "sex": str(data.sex),
        "cin": cin,
        "phone": phone,
        "birth_date": data.birth_date,
        "birth_year": birth_year,
        "vulnerabilities": ",".join(sorted(set(data.vulnerabilities))),
        "household_size": data.household_size,
        "location_id": data.location_id,
        "notes": optional_text(data.notes),
        "search": search_key(first, last, name_ar, cin, phone),
        "name_key": name_key(first, last, name_ar),
    }


def validate_batch(
    rows: Sequence[tuple[int, PersonInput]], today: dt.date | None = None
) -> tuple[list[tuple[int, dict[str, Any]]], list[tuple[int, KsmError]]]:
    """Validate numbered rows: (number, row to store) of the good ones and (number, error) of the
    bad ones, every bad row reported (a CIN repeated in the batch is a ConflictError)."""
    today = today or dt.date.today()
    checked: list[tuple[int, dict[str, Any]]] = []
    errors: list[tuple[int, KsmError]] = []
    seen: dict[str, int] = {}
    for n, data in rows:
        try:
            row = validate_person(data, today)
        except ValidationError as exc:
            errors.append((n, exc))
            continue
        cin = row["cin"]
        if cin is not None:
            if cin in seen:
                message = _("the CIN {cin} already appears on row {first}.").format(cin=cin, first=seen[cin])
                errors.append((n, ConflictError(message, "cin")))
                continue
            seen[cin] = n
        checked.append((n, row))
    return checked, errors


def existing_cins(session: Session, cins: list[str]) -> list[tuple[str, int]]:
    """(cin, person id) of the given CINs already in the database (in chunks, or one pass for big batches)."""
    if len(cins) > 5000:
        wanted = set(cins)
        rows = session.execute(select(Person.cin, Person.id).where(Person.cin.is_not(None)))
        return [(cin, pid) for cin, pid in rows if cin in wanted]
    found: list[tuple[str, int]] = []
    for start in range(0, len(cins), 500):
        stmt = select(Person.cin, Person.id).where(Person.cin.in_(cins[start : start + 500]))
        found += [(cin, pid) for cin, pid in session.execute(stmt)]
    return found


BULK_INDEXING = 50  # from this many rows, the trigram table is filled in one statement


@contextmanager
def _substring_index_filled_at_once(session: Session, first: int, last: int) -> Iterator[None]:
    """SQLite: the members search's trigram table (migration 0011) filled in one statement after
    the rows are inserted, instead of by its trigger row by row — eight times faster for an import
    (0.25 s of a 10,000-row one). The trigger is dropped and recreated from its own stored text
    inside the caller's transaction: a failure or a crash rolls both back, and other connections
    only ever see it in place. Without the trigger (no FTS5 trigram), nothing to do."""
    connection = session.connection()
    trigger = (
        connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'person_fts_insert'"
        ).scalar()
        if last - first + 1 >= BULK_INDEXING
        else None
    )
    if trigger is None:
        yield
        return
    columns = ", ".join(row[1] for row in connection.exec_driver_sql("PRAGMA table_info(person_fts)"))
    connection.exec_driver_sql("DROP TRIGGER person_fts_insert")
    yield
    connection.exec_driver_sql(
        f"INSERT INTO person_fts (rowid, {columns}) SELECT id, {columns} FROM person WHERE id BETWEEN ? AND ?",
        (first, last),
    )
    connection.exec_driver_sql(trigger)


def insert_people(session: Session, values: list[dict[str, Any]]) -> list[int]:
    """Insert already validated rows with one executemany and return their ids in order.

    On SQLite the write lock is held since BEGIN IMMEDIATE, so ids are handed out past the highest
    ever used (the AUTOINCREMENT counter, deleted persons included) and the rows go straight to the driver's executemany (INSERT … RETURNING through the
    ORM is five times slower there); other databases return the ids from their sequence.
    """
    table = Person.__table__
    assert isinstance(table, Table)
    if session.get_bind().dialect.name != "sqlite":
        ids = list(session.scalars(insert(table).returning(table.c.id, sort_by_parameter_order=True), values))
    else:
        highest = session.scalar(select(func.max(Person.id))) or 0
        counter = session.scalar(text("SELECT seq FROM sqlite_sequence WHERE name = 'person'")) or 0
        first = max(highest, counter) + 1
        ids = list(range(first, first + len(values)))
        columns = ("id", *values[0])
        with _substring_index_filled_at_once(session, first, first + len(values) - 1):
            executemany(
                session,
                "person",
                columns,
                [(pid, *row.values()) for pid, row in zip(ids, values, strict=True)],
            )
    audit.record_each(
        session,
        "create",
        "person",
        [
            (
                pid,
                f"{row['first_name']} {row['last_name']}",
                {k: v for k, v in row.items() if v is not None and k not in audit.IGNORED},
            )
            for pid, row in zip(ids, values, strict=True)
        ],
    )
    return ids
