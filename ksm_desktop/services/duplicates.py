"""Likely duplicates: over the whole registry (the same person registered twice under two
spellings), and for a person about to be created (the form as it is typed, each line of an import),
with the user's decisions remembered: a pair declared "different persons" is never proposed again."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Row, and_, or_, select
from sqlalchemy.orm import Session

from ksm_desktop.db import audit
from ksm_desktop.db.models import DifferentPersons, Location, Membership, Person
from ksm_desktop.domain.duplicates import (
    PersonFacts,
    candidate_pairs,
    cin_slips,
    find_duplicates,
    pair_score,
)
from ksm_desktop.domain.enums import DuplicateReason, LocationLevel
from ksm_desktop.domain.errors import NotFoundError, ValidationError
from ksm_desktop.domain.names import name_key, name_tokens
from ksm_desktop.domain.values import normalize_cin, normalize_phone
from ksm_desktop.i18n import _
from ksm_desktop.services.base import Service, mask, now
from ksm_desktop.services.dto import PersonInput

STRONG = 0.8  # find-duplicates' default; a candidate this likely is asked about before saving
SHOWN = 0.5  # weaker candidates are shown while typing, never asked about
# Up to this many drafts at once (the form, a small import) also get the lookups that cost a scan
# or many index probes: names sharing two words, CINs under any other letters.
SMALL_BATCH = 50
_CHUNK = 500

_PERSON_COLUMNS = (
    Person.id,
    Person.first_name,
    Person.last_name,
    Person.full_name_ar,
    Person.sex,
    Person.birth_year,
    Person.location_id,
    Person.phone,
    Person.cin,
    Person.name_key,
)


@dataclass(frozen=True)
class DuplicatePair:
    a: int
    b: int
    score: float
    reasons: tuple[DuplicateReason, ...]
    name_a: str
    name_b: str


@dataclass(frozen=True)
class PersonCandidate:
    """A registered person who may be the one being entered."""

    person_id: int
    name: str
    full_name_ar: str | None
    birth_year: int | None
    cin: str | None
    score: float
    reasons: tuple[DuplicateReason, ...]

    @property
    def strong(self) -> bool:
        return self.score >= STRONG


@dataclass(frozen=True)
class _Draft:
    """A person not saved yet, with what looking them up needs."""

    key: int
    facts: PersonFacts
    name_keys: frozenset[str]
    pair: tuple[str, str] | None  # the first word of the first name, the last of the last name
    slips: frozenset[str]

    @property
    def terms(self) -> list[str]:
        """What a registered person found by index shares with this draft (see `_nearby`)."""
        phone = [f"p:{self.facts.phone}"] if self.facts.phone else []
        return [f"n:{k}" for k in self.name_keys] + phone + [f"c:{c}" for c in self.slips]


class DuplicateService(Service):
    def find(self, min_score: float = STRONG) -> list[DuplicatePair]:
        """Pairs of persons that are probably one, best first (anonymised persons and pairs
        declared different left out)."""
        _check_score(min_score)
        with self.db.reading() as session:
            rows = session.execute(select(*_PERSON_COLUMNS).where(Person.anonymised_on.is_(None))).all()
            people = _facts_of(session, rows, all_rows=True)
            decided = set(session.execute(select(DifferentPersons.person_a, DifferentPersons.person_b)))
        names = {r.id: f"{r.first_name} {r.last_name}" for r in rows}
        return [
            DuplicatePair(c.a, c.b, c.score, c.reasons, names[c.a], names[c.b])
            for c in find_duplicates(people, min_score)
            if (c.a, c.b) not in decided
        ]

    def candidates(
        self,
        data: PersonInput,
        organisation_id: int | None = None,
        exclude_id: int | None = None,
        min_score: float = SHOWN,
        limit: int = 5,
    ) -> list[PersonCandidate]:
        """Registered persons who may be the one typed in `data` (a draft: fields not checked,
        a CIN or phone still being typed is left out), best first. `exclude_id`: the person being
        edited, whose pairs declared different are left out too."""
        _check_score(min_score)
        found = self.candidates_of_rows([(0, data)], organisation_id, min_score, exclude_id)
        return found.get(0, [])[:limit]

    def candidates_of_rows(
        self,
        rows: Sequence[tuple[int, PersonInput]],
        organisation_id: int | None = None,
        min_score: float = STRONG,
        exclude_id: int | None = None,
    ) -> dict[int, list[PersonCandidate]]:
        """For each numbered draft (an import's lines), the registered persons it may be."""
        _check_score(min_score)
        with self.db.reading() as session:
            found = candidates_in(session, rows, organisation_id, min_score, exclude_id)
        if self.actor.sees_personal_data:
            return found
        return {n: [replace(c, cin=mask(c.cin)) for c in cs] for n, cs in found.items()}

    def mark_different(self, a: int, b: int) -> bool:
        """The user says `a` and `b` are two people: never proposed as duplicates again (audited).
        False when that was already known."""
        with self._write() as session:
            return record_different(session, a, b)

    def note_same(self, person_id: int, typed: str) -> None:
        """The user recognised `person_id` in what they were typing and opened that person
        instead of creating another: the decision is in the audit log."""
        with self._write() as session:
            record_same(session, person_id, typed)


def candidates_in(
    session: Session,
    rows: Sequence[tuple[int, PersonInput]],
    organisation_id: int | None,
    min_score: float,
    exclude_id: int | None,
) -> dict[int, list[PersonCandidate]]:
    """`DuplicateService.candidates_of_rows` in the caller's session (an import's preview)."""
    small = len(rows) <= SMALL_BATCH
    places = _communes(session, {r.location_id for _n, r in rows if r.location_id is not None})
    orgs = frozenset({organisation_id} if organisation_id is not None else ())
    drafts = [_draft(n, data, places, orgs, any_letters=small) for n, data in rows]
    found = _nearby(session, drafts, small)
    decided: set[int] = set()
    if exclude_id is not None:
        decided = {exclude_id} | {a if b == exclude_id else b for a, b in _pairs_with(session, exclude_id)}
    registered = {f.id: f for f in _facts_of(session, list(found.values()))}
    index: dict[str, set[int]] = defaultdict(set)
    for row in found.values():
        for term in (f"n:{row.name_key}", f"p:{row.phone}", f"c:{row.cin}"):
            index[term].add(row.id)
    out: dict[int, list[PersonCandidate]] = {}
    for draft in drafts:
        ids = set().union(*(index.get(term, ()) for term in draft.terms))
        if small and draft.pair:  # the same first and family name among others (`_nearby`'s scan)
            ids |= {pid for pid, row in found.items() if set(draft.pair) <= set(row.name_key.split())}
        scored = []
        for pid in ids - decided:
            score, reasons = pair_score(draft.facts, registered[pid])
            if score >= min_score:
                scored.append(_candidate(found[pid], score, reasons))
        if scored:
            out[draft.key] = sorted(scored, key=lambda c: (-c.score, c.person_id))
    return out


def _candidate(row: Row[Any], score: float, reasons: tuple[DuplicateReason, ...]) -> PersonCandidate:
    return PersonCandidate(
        row.id,
        f"{row.first_name} {row.last_name}",
        row.full_name_ar,
        row.birth_year,
        row.cin,
        round(score, 3),
        reasons,
    )


def look_alikes_in(
    rows: Sequence[tuple[int, PersonInput]],
) -> list[tuple[int, int, float, tuple[DuplicateReason, ...]]]:
    """Lines of one file that are probably the same person twice: (line, earlier line, score,
    reasons), scored like find-duplicates."""
    facts = [_draft(n, data, {}, frozenset(), any_letters=False).facts for n, data in rows]
    by_line = {f.id: f for f in facts}
    pairs = []
    for a, b in sorted(candidate_pairs(facts)):
        score, reasons = pair_score(by_line[a], by_line[b])
        if score >= STRONG:
            pairs.append((b, a, round(score, 3), reasons))
    return pairs


def record_same(session: Session, person_id: int, typed: str) -> None:
    """Audit, in the caller's transaction, that the user recognised `person_id` in what they
    typed (a form, an import line) instead of creating another person."""
    person = _person(session, person_id)
    audit.record(
        session,
        "same_person",
        "person",
        _("{name} recognised instead of a new entry “{typed}”").format(name=_name(person), typed=typed),
        {"typed": typed},
        entity_id=person.id,
    )


def record_different(session: Session, a: int, b: int) -> bool:
    """Remember, in the caller's transaction, that persons `a` and `b` are two people, with an
    audit line; False when that was already known."""
    if a == b:
        raise ValidationError(_("A person cannot be different from themselves."), "person")
    low, high = sorted((a, b))
    first, second = _person(session, low), _person(session, high)
    if session.get(DifferentPersons, (low, high)) is not None:
        return False
    user = str(session.info.get("actor", audit.SYSTEM_ACTOR))
    session.add(DifferentPersons(person_a=low, person_b=high, decided_at=now(), user=user))
    audit.record(
        session,
        "different_persons",
        "person",
        _("{a} and {b} are different persons").format(a=_name(first), b=_name(second)),
        {"different_from": high},
        entity_id=low,
    )
    return True


def _check_score(min_score: float) -> None:
    if not 0.0 <= min_score <= 1.0:
        raise ValidationError(_("The minimum score must be between 0 and 1."), "min_score")


def _person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFoundError(_("Unknown person (id {id}).").format(id=person_id), "person")
    return person


def _name(person: Person) -> str:
    return f"{person.first_name} {person.last_name}"


def _pairs_with(session: Session, person_id: int) -> list[tuple[int, int]]:
    stmt = select(DifferentPersons.person_a, DifferentPersons.person_b).where(
        or_(DifferentPersons.person_a == person_id, DifferentPersons.person_b == person_id)
    )
    return [(a, b) for a, b in session.execute(stmt)]


def _typed(normalize: Any, raw: str | None) -> str | None:
    """A CIN or phone as saved, or nothing while it is not a valid one yet."""
    try:
        value: str | None = normalize(raw)
    except ValidationError:
        return None
    return value


def _draft(
    key: int, data: PersonInput, places: dict[int, int | None], orgs: frozenset[int], any_letters: bool
) -> _Draft:
    cin = _typed(normalize_cin, data.cin)
    loc = data.location_id
    commune = places.get(loc) if loc is not None else None
    facts = PersonFacts.of(
        key,
        data.first_name,
        data.last_name,
        data.full_name_ar,
        sex=data.sex or None,
        birth_year=data.birth_date.year if data.birth_date else data.birth_year,
        douar=loc if loc is not None and commune != loc else None,
        commune=commune,
        phone=_typed(normalize_phone, data.phone),
        cin=cin,
        organisations=orgs,
    )
    keys = {
        name_key(data.first_name, data.last_name, data.full_name_ar),
        name_key(data.first_name, data.last_name),
        name_key(data.full_name_ar),
    }
    first, last = name_tokens(data.first_name), name_tokens(data.last_name)
    pair = (first[0], last[-1]) if first and last and first[0] != last[-1] else None
    return _Draft(
        key,
        facts,
        frozenset(keys - {""}),
        pair,
        frozenset(cin_slips(cin, any_letters) if cin else ()),
    )


def _nearby(session: Session, drafts: Sequence[_Draft], small: bool) -> dict[int, Row[Any]]:
    """Registered persons worth scoring against the drafts, found through indexes: the same name
    key, phone or CIN one slip away; for a small batch, also the names holding the draft's first
    and family name among other words ("Fatima Zahra Alaoui" for "Fatima Alaoui"): one scan of
    the name key's index, one pattern per draft (each more costs as much again)."""
    lookups: list[tuple[Any, list[str]]] = [
        (Person.name_key, sorted({k for d in drafts for k in d.name_keys})),
        (Person.phone, sorted({d.facts.phone for d in drafts if d.facts.phone})),
        (Person.cin, sorted({c for d in drafts for c in d.slips})),
    ]
    alive = Person.anonymised_on.is_(None)
    found: dict[int, Row[Any]] = {}
    for column, values in lookups:
        for start in range(0, len(values), _CHUNK):
            stmt = select(*_PERSON_COLUMNS).where(column.in_(values[start : start + _CHUNK]), alive)
            found.update((r.id, r) for r in session.execute(stmt))
    if small:
        pairs = {d.pair for d in drafts if d.pair}
        if pairs:  # ids only: the scan reads the name key's index, not the table
            both = [
                and_(Person.name_key.like(f"% {x} %"), Person.name_key.like(f"% {y} %")) for x, y in pairs
            ]
            scan = select(Person.id).where(or_(*both)).limit(2000)
            ids = list(session.scalars(scan))
            stmt = select(*_PERSON_COLUMNS).where(Person.id.in_(ids), alive)
            found.update((r.id, r) for r in session.execute(stmt))
    return found


def _communes(session: Session, location_ids: Iterable[int] | None) -> dict[int, int | None]:
    """Each location's commune (itself for a commune); `None` asks for every location."""
    stmt = select(Location.id, Location.level, Location.parent_id)
    if location_ids is not None:
        wanted = list(location_ids)
        if not wanted:
            return {}
        stmt = stmt.where(Location.id.in_(wanted))
    return {
        loc_id: (loc_id if level == LocationLevel.COMMUNE else parent)
        for loc_id, level, parent in session.execute(stmt)
    }


def _facts_of(session: Session, rows: Sequence[Row[Any]], all_rows: bool = False) -> list[PersonFacts]:
    """The comparison facts of registered persons (`all_rows`: the whole registry, read at once)."""
    ids = [r.id for r in rows]
    organisations: dict[int, set[int]] = defaultdict(set)
    memberships = select(Membership.person_id, Membership.organisation_id)
    chunks: Collection[Any] = (
        [memberships]
        if all_rows
        else [
            memberships.where(Membership.person_id.in_(ids[s : s + _CHUNK]))
            for s in range(0, len(ids), _CHUNK)
        ]
    )
    for stmt in chunks:
        for person_id, org_id in session.execute(stmt):
            organisations[person_id].add(org_id)
    communes = _communes(session, None if all_rows else {r.location_id for r in rows if r.location_id})
    return [
        PersonFacts.of(
            r.id,
            r.first_name,
            r.last_name,
            r.full_name_ar,
            sex=r.sex,
            birth_year=r.birth_year,
            douar=r.location_id
            if r.location_id is not None and communes.get(r.location_id) != r.location_id
            else None,
            commune=communes.get(r.location_id) if r.location_id is not None else None,
            phone=r.phone,
            cin=r.cin,
            organisations=frozenset(organisations.get(r.id, ())),
        )
        for r in rows
    ]
