"""Merging two records of one person, and undoing such a merge from its audit record.

A merge writes in its audit record everything an undo needs: the dropped person's full former
data, which rows were moved to the kept person, which rows were removed because the kept person
already had them (a membership of the same organisation, a place in the same activity), the kept
person's values before the merge and the kept person's version after it. An undo puts back
exactly that, and refuses when those records changed since in a way that makes it unsafe.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ksm_desktop.db import audit
from ksm_desktop.db.models import Grant, Location, Membership, Organisation, Person
from ksm_desktop.db.models_fieldwork import Activity, ActivityParticipant, Household
from ksm_desktop.db.models_security import AuditEntry
from ksm_desktop.domain.errors import ConflictError, NotFoundError, ValidationError
from ksm_desktop.domain.names import name_key
from ksm_desktop.domain.values import search_key
from ksm_desktop.i18n import _

# The fields of a person a merge decides between: by default the kept person's value, or the
# dropped person's where the kept one is empty; `choices` take the dropped person's on purpose.
MERGE_FIELDS = (
    "first_name",
    "last_name",
    "full_name_ar",
    "sex",
    "cin",
    "birth_date",
    "birth_year",
    "phone",
    "household_size",
    "location_id",
    "notes",
    "consent_date",
    "consent_purpose",
)
KEEP, DROP = "keep", "drop"
MERGE_ACTION, UNDO_ACTION = "merge", "unmerge"


def differing_fields(keep: Any, drop: Any) -> list[str]:
    """The fields where both records hold a value and the values differ: the user picks there.
    `keep`/`drop` are anything with the person's attributes (a PersonDTO, a Person)."""
    return [
        f
        for f in MERGE_FIELDS
        if getattr(keep, f) not in (None, "") and getattr(drop, f) not in (None, "")
        if getattr(keep, f) != getattr(drop, f)
    ]


def check_choices(choices: Mapping[str, str]) -> None:
    """Each choice names a mergeable field and says keep or drop."""
    for field, side in choices.items():
        if field not in MERGE_FIELDS:
            raise ValidationError(_("“{field}” cannot be chosen in a merge.").format(field=field), "choices")
        if side not in (KEEP, DROP):
            raise ValidationError(
                _("Choose the kept or the merged person's value for “{field}”.").format(field=field), field
            )


def merged_values(keep: Person, drop: Person, choices: Mapping[str, str]) -> dict[str, Any]:
    """The kept person's new values: chosen ones, empty ones filled, vulnerabilities united, and a
    birth year that agrees with the birth date kept."""
    values: dict[str, Any] = {}
    for field in MERGE_FIELDS:
        mine, theirs = getattr(keep, field), getattr(drop, field)
        take = choices.get(field, DROP if mine in (None, "") else KEEP)
        values[field] = theirs if take == DROP and theirs not in (None, "") else mine
    if values["birth_date"] is not None:
        values["birth_year"] = values["birth_date"].year
    tags = set(filter(None, (keep.vulnerabilities or "").split(","))) | set(
        filter(None, (drop.vulnerabilities or "").split(","))
    )
    values["vulnerabilities"] = ",".join(sorted(tags))
    return {k: v for k, v in values.items() if v != getattr(keep, k)}


def merge_persons(session: Session, keep: Person, drop: Person, choices: Mapping[str, str]) -> None:
    """Move everything of `drop` to `keep`, delete `drop`, set `keep`'s merged values and audit
    it all with what an undo needs (see the module docstring)."""
    former = {c: _plain(getattr(drop, c)) for c in ("id", "vulnerabilities", *MERGE_FIELDS)}
    kept_orgs = set(
        session.scalars(select(Membership.organisation_id).where(Membership.person_id == keep.id))
    )
    kept_activities = set(
        session.scalars(
            select(ActivityParticipant.activity_id).where(ActivityParticipant.person_id == keep.id)
        )
    )
    moved: dict[str, list[int]] = {"memberships": [], "participations": [], "grants": [], "households": []}
    removed: dict[str, list[dict[str, Any]]] = {"memberships": [], "participations": []}
    for m in session.scalars(select(Membership).where(Membership.person_id == drop.id)):
        if m.organisation_id in kept_orgs:
            removed["memberships"].append(
                {
                    "organisation_id": m.organisation_id,
                    "role": m.role,
                    "start_date": _plain(m.start_date),
                    "end_date": _plain(m.end_date),
                }
            )
            session.delete(m)
        else:
            m.person_id = keep.id
            moved["memberships"].append(m.id)
    for p in session.scalars(select(ActivityParticipant).where(ActivityParticipant.person_id == drop.id)):
        if p.activity_id in kept_activities:
            removed["participations"].append(
                {"activity_id": p.activity_id, "organisation_id": p.organisation_id}
            )
            session.delete(p)
        else:
            p.person_id = keep.id
            moved["participations"].append(p.id)
    for grant in session.scalars(select(Grant).where(Grant.person_id == drop.id)):
        grant.person_id = keep.id
        moved["grants"].append(grant.id)
    for household in session.scalars(select(Household).where(Household.head_id == drop.id)):
        household.head_id = keep.id
        moved["households"].append(household.id)
    values = merged_values(keep, drop, choices)
    kept_before = {k: _plain(getattr(keep, k)) for k in values}
    session.flush()
    session.delete(drop)
    session.flush()  # the dropped CIN is free before the kept person takes it
    _set(keep, values)
    session.flush()
    audit.record(
        session,
        MERGE_ACTION,
        "person",
        _("{drop} merged into {keep}").format(drop=_name(drop), keep=_name(keep)),
        {
            "merged_person": former,
            "moved": moved,
            "removed": removed,
            "kept_before": kept_before,
            "kept_version": keep.version,
        },
        entity_id=keep.id,
    )


def merge_record(session: Session, audit_id: int) -> tuple[AuditEntry, dict[str, Any]]:
    """The merge audit entry `audit_id` and what it recorded (its after-values)."""
    entry = session.get(AuditEntry, audit_id)
    if entry is None or entry.entity != "person" or entry.action != MERGE_ACTION:
        raise NotFoundError(
            _("The audit entry {id} is not the merge of two persons.").format(id=audit_id), "audit_id"
        )
    return entry, {k: after for k, (_before, after) in json.loads(entry.changes).items()}


def undo_merge(session: Session, audit_id: int) -> Person:
    """Recreate the dropped person of merge `audit_id` with their former id and data, move back
    what was moved, recreate what was removed, restore the kept person's former values; audited.
    Refused, changing nothing, when the records changed since the merge."""
    entry, record = merge_record(session, audit_id)
    if "moved" not in record:
        raise ConflictError(
            _("This merge was recorded by an older version of KSM Desktop and cannot be undone."), "audit_id"
        )
    former: dict[str, Any] = record["merged_person"]
    if session.get(Person, former["id"]) is not None:
        raise ConflictError(_("This merge was already undone."), "audit_id")
    keep = session.get(Person, entry.entity_id)
    if keep is None or keep.anonymised_on is not None:
        raise ConflictError(
            _("The person kept by this merge was deleted or anonymised since: it cannot be undone."),
            "audit_id",
        )
    if keep.version != record["kept_version"]:
        raise ConflictError(
            _(
                "{name} was changed after the merge: undoing it would lose that change. Correct the "
                "records by hand instead."
            ).format(name=_name(keep)),
            "audit_id",
        )
    moved, removed = record["moved"], record["removed"]
    rows: list[Any] = [
        *_still_kept(session, Membership, "person_id", moved["memberships"], keep.id),
        *_still_kept(session, ActivityParticipant, "person_id", moved["participations"], keep.id),
        *_still_kept(session, Grant, "person_id", moved["grants"], keep.id),
        *_still_kept(session, Household, "head_id", moved["households"], keep.id),
    ]
    for gone in removed["memberships"]:
        if session.get(Organisation, gone["organisation_id"]) is None:
            raise _changed_since()
    for gone in removed["participations"]:
        if session.get(Activity, gone["activity_id"]) is None:
            raise _changed_since()
    if former.get("location_id") and session.get(Location, former["location_id"]) is None:
        raise _changed_since()
    _set(keep, {k: _value(k, v) for k, v in record["kept_before"].items()})
    session.flush()  # the kept person gives back the CIN the dropped one had
    cin = former.get("cin")
    if cin and session.scalar(select(Person.id).where(Person.cin == cin)) is not None:
        raise _changed_since()
    drop = Person(id=former["id"], vulnerabilities=former.get("vulnerabilities") or "")
    _set(drop, {k: _value(k, former.get(k)) for k in MERGE_FIELDS})
    session.add(drop)
    session.flush()
    for row in rows:
        setattr(row, "head_id" if isinstance(row, Household) else "person_id", drop.id)
    for gone in removed["memberships"]:
        session.add(
            Membership(
                person_id=drop.id,
                organisation_id=gone["organisation_id"],
                role=gone["role"],
                start_date=_value("start_date", gone["start_date"]),
                end_date=_value("end_date", gone["end_date"]),
            )
        )
    for gone in removed["participations"]:
        session.add(
            ActivityParticipant(
                activity_id=gone["activity_id"], person_id=drop.id, organisation_id=gone["organisation_id"]
            )
        )
    session.flush()
    audit.record(
        session,
        UNDO_ACTION,
        "person",
        _("{drop} separated again from {keep}").format(drop=_name(drop), keep=_name(keep)),
        {"undone_merge": audit_id, "kept_person": keep.id},
        entity_id=drop.id,
    )
    return drop


def _still_kept(session: Session, model: type, column: str, ids: list[int], keep_id: int) -> list[Any]:
    """The moved rows, each still there and still the kept person's; else the undo is unsafe."""
    rows: list[Any] = []
    for row_id in ids:
        row = session.get(model, row_id)
        if row is None or getattr(row, column) != keep_id:
            raise _changed_since()
        rows.append(row)
    return rows


def _changed_since() -> ConflictError:
    return ConflictError(
        _(
            "The memberships, grants, households or activities of this merge changed since: undoing "
            "it is no longer safe. Correct the records by hand instead."
        ),
        "audit_id",
    )


def _set(person: Person, values: Mapping[str, Any]) -> None:
    """Write `values` on `person` with its search and name keys recomputed."""
    for key, value in values.items():
        setattr(person, key, value)
    person.search = search_key(
        person.first_name, person.last_name, person.full_name_ar, person.cin, person.phone
    )
    person.name_key = name_key(person.first_name, person.last_name, person.full_name_ar)


def _value(field: str, stored: Any) -> Any:
    """A value read back from the audit log (dates are ISO text there)."""
    if stored is not None and field.endswith("_date"):
        return dt.date.fromisoformat(stored)
    return stored


def _plain(value: object) -> object:
    """A value as the audit log stores it (dates as ISO text)."""
    return value.isoformat() if isinstance(value, dt.date) else value


def _name(person: Person) -> str:
    return f"{person.first_name} {person.last_name}"
