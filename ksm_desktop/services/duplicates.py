"""Likely duplicates over the whole registry: the same person registered twice under two spellings."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select

from ksm_desktop.db.models import Location, Membership, Person
from ksm_desktop.domain.duplicates import PersonFacts, find_duplicates
from ksm_desktop.domain.enums import DuplicateReason, LocationLevel
from ksm_desktop.domain.errors import ValidationError
from ksm_desktop.i18n import _
from ksm_desktop.services.base import Service


@dataclass(frozen=True)
class DuplicatePair:
    a: int
    b: int
    score: float
    reasons: tuple[DuplicateReason, ...]
    name_a: str
    name_b: str


class DuplicateService(Service):
    def find(self, min_score: float = 0.8) -> list[DuplicatePair]:
        """Pairs of persons that are probably one, best first (anonymised persons left out)."""
        if not 0.0 <= min_score <= 1.0:
            raise ValidationError(_("The minimum score must be between 0 and 1."), "min_score")
        with self.db.reading() as session:
            communes = {
                loc_id: (loc_id if level == LocationLevel.COMMUNE else parent)
                for loc_id, level, parent in session.execute(
                    select(Location.id, Location.level, Location.parent_id)
                )
            }
            organisations: dict[int, set[int]] = defaultdict(set)
            for person_id, org_id in session.execute(
                select(Membership.person_id, Membership.organisation_id)
            ):
                organisations[person_id].add(org_id)
            rows = session.execute(
                select(
                    Person.id,
                    Person.first_name,
                    Person.last_name,
                    Person.full_name_ar,
                    Person.sex,
                    Person.birth_year,
                    Person.location_id,
                    Person.phone,
                    Person.cin,
                ).where(Person.anonymised_on.is_(None))
            ).all()
        names = {pid: f"{first} {last}" for pid, first, last, *_rest in rows}
        people = [
            PersonFacts.of(
                pid,
                first,
                last,
                ar,
                sex=sex,
                birth_year=year,
                douar=loc if loc is not None and communes.get(loc) != loc else None,
                commune=communes.get(loc) if loc is not None else None,
                phone=phone,
                cin=cin,
                organisations=frozenset(organisations.get(pid, ())),
            )
            for pid, first, last, ar, sex, year, loc, phone, cin in rows
        ]
        return [
            DuplicatePair(c.a, c.b, c.score, c.reasons, names[c.a], names[c.b])
            for c in find_duplicates(people, min_score)
        ]
