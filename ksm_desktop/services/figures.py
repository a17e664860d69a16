"""Aggregate figures for lists, the dashboard and donor reports, computed in SQL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import ColumnElement, case, func, select, union
from sqlalchemy.orm import aliased

from ksm_desktop.db.models import Grant, Membership, Organisation, Person, Programme
from ksm_desktop.db.models_fieldwork import Activity, ActivityParticipant, Household, Visit, VisitPiece
from ksm_desktop.domain.enums import GrantStatus, PieceCondition, Sex, Vulnerability
from ksm_desktop.domain.values import cents_to_decimal
from ksm_desktop.services.base import Service
from ksm_desktop.services.dashboard import converted_cents
from ksm_desktop.services.money import grant_totals_subquery
from ksm_desktop.services.visits import equipment_items


@dataclass(frozen=True)
class MembersBySex:
    organisation_id: int
    code: str
    name: str
    women: int
    men: int

    @property
    def total(self) -> int:
        return self.women + self.men


@dataclass(frozen=True)
class GrantTotal:
    programme_code: str | None
    status: str
    currency: str
    count: int
    total: Decimal
    women: int
    men: int


@dataclass(frozen=True)
class GrantLine:
    """One grant of a programme as a donor report lists it: its total and its EUR equivalent."""

    number: str
    recipient: str
    recipient_ar: str | None
    kind: str
    status: str
    currency: str
    total: Decimal
    total_eur: Decimal
    grant_date: dt.date | None
    total_mad: Decimal


# Grants that count as granted (and their people as reached): a draft is still in preparation.
COMMITTED = (GrantStatus.VALIDATED.value, GrantStatus.DELIVERED.value, GrantStatus.CLOSED.value)


@dataclass(frozen=True)
class DirectBeneficiaries:
    """People reached directly, by sex where it was recorded; `households` counted by their size."""

    women: int
    men: int
    unspecified: int
    households: int

    @property
    def total(self) -> int:
        return self.women + self.men + self.unspecified


@dataclass(frozen=True)
class VulnerabilityCount:
    tag: str
    women: int
    men: int

    @property
    def total(self) -> int:
        return self.women + self.men


@dataclass(frozen=True)
class EquipmentCondition:
    """Pieces of equipment delivered under a programme and what the latest visit of each found.

    A piece with a serial number counts in the condition of the latest visit that recorded it; an
    item's pieces without one, in the counts of the latest visit that recorded any of them. A
    piece no visit has seen is delivered but not known to be in service (`not_seen`)."""

    delivered: int
    by_condition: dict[str, int]

    @property
    def in_service(self) -> int:
        return self.by_condition.get(PieceCondition.IN_SERVICE, 0)

    @property
    def not_seen(self) -> int:
        return self.delivered - sum(self.by_condition.values())


class FigureService(Service):
    def members_by_sex(self, organisation_id: int | None = None) -> list[MembersBySex]:
        stmt = (
            select(
                Organisation.id,
                Organisation.code,
                Organisation.name,
                func.sum(case((Person.sex == Sex.FEMALE, 1), else_=0)),
                func.sum(case((Person.sex == Sex.MALE, 1), else_=0)),
            )
            .join(Membership, Membership.organisation_id == Organisation.id)
            .join(Person, Person.id == Membership.person_id)
            .group_by(Organisation.id, Organisation.code, Organisation.name)
            .order_by(Organisation.name)
        )
        if organisation_id is not None:
            stmt = stmt.where(Organisation.id == organisation_id)
        with self.db.reading() as session:
            return [
                MembersBySex(r[0], r[1], r[2], int(r[3] or 0), int(r[4] or 0)) for r in session.execute(stmt)
            ]

    def grant_totals(self, programme_id: int | None = None) -> list[GrantTotal]:
        """Count, amount and declared beneficiaries of grants per programme, status and currency."""
        totals = grant_totals_subquery()
        stmt = (
            select(
                Programme.code,
                Grant.status,
                Grant.currency,
                func.count(Grant.id),
                func.coalesce(func.sum(totals.c.cents), 0),
                func.coalesce(func.sum(Grant.women), 0),
                func.coalesce(func.sum(Grant.men), 0),
            )
            .outerjoin(totals, totals.c.grant_id == Grant.id)
            .outerjoin(Programme, Programme.id == Grant.programme_id)
            .group_by(Programme.code, Grant.status, Grant.currency)
            .order_by(Programme.code, Grant.status, Grant.currency)
        )
        if programme_id is not None:
            stmt = stmt.where(Grant.programme_id == programme_id)
        with self.db.reading() as session:
            return [
                GrantTotal(r[0], r[1], r[2], int(r[3]), cents_to_decimal(r[4]), int(r[5]), int(r[6]))
                for r in session.execute(stmt)
            ]

    def counts(self) -> dict[str, int]:
        """Headline counts for the dashboard's first row."""
        with self.db.reading() as session:
            return {
                "organisations": session.scalar(select(func.count(Organisation.id))) or 0,
                "persons": session.scalar(select(func.count(Person.id))) or 0,
                "programmes": session.scalar(select(func.count(Programme.id))) or 0,
                "grants": session.scalar(select(func.count(Grant.id))) or 0,
            }

    def programme_grants(self, programme_id: int) -> list[GrantLine]:
        """Every grant of a programme, by recipient then number, each converted to EUR at its own
        rate in SQL (the same cents as the dashboard)."""
        totals = grant_totals_subquery()
        eur, mad = converted_cents(totals.c.cents, Grant.currency, Grant.eur_mad_rate)
        head = aliased(Person)
        recipient = func.coalesce(
            Organisation.name,
            Person.first_name + " " + Person.last_name,
            head.first_name + " " + head.last_name,
        )
        stmt = (
            select(
                Grant.number,
                recipient,
                func.coalesce(Organisation.name_ar, Person.full_name_ar, head.full_name_ar),
                Grant.kind,
                Grant.status,
                Grant.currency,
                func.coalesce(totals.c.cents, 0),
                eur,
                Grant.grant_date,
                mad,
            )
            .outerjoin(totals, totals.c.grant_id == Grant.id)
            .outerjoin(Organisation, Organisation.id == Grant.organisation_id)
            .outerjoin(Person, Person.id == Grant.person_id)
            .outerjoin(Household, Household.id == Grant.household_id)
            .outerjoin(head, head.id == Household.head_id)
            .where(Grant.programme_id == programme_id)
            .order_by(recipient, Grant.number)
        )
        with self.db.reading() as session:
            return [
                GrantLine(
                    n,
                    r or "",
                    ar,
                    k,
                    st,
                    c,
                    cents_to_decimal(cents),
                    cents_to_decimal(e),
                    d,
                    cents_to_decimal(m),
                )
                for n, r, ar, k, st, c, cents, e, d, m in session.execute(stmt)
            ]

    def direct_beneficiaries(self, programme_id: int | None = None) -> DirectBeneficiaries:
        """THE definition of a direct beneficiary ("bénéficiaire direct"), for the report, the
        dashboard and exports: a person who receives a committed grant (validated, delivered or
        closed; a draft reaches no one yet, a cancelled grant no one at all) of the programme (of
        any programme without `programme_id`):
        - the women, men and people of unspecified sex the grant declares;
        - for a grant to a household that declares no one, the household's members (its size, sex
          not recorded), each household once: a water tank serves the whole family."""
        scope: list[ColumnElement[bool]] = [Grant.status.in_(COMMITTED)]
        if programme_id is not None:
            scope.append(Grant.programme_id == programme_id)
        declared = select(
            func.coalesce(func.sum(Grant.women), 0),
            func.coalesce(func.sum(Grant.men), 0),
            func.coalesce(func.sum(Grant.unspecified), 0),
        ).where(*scope)
        families = (
            select(Household.id, Household.size)
            .join(Grant, Grant.household_id == Household.id)
            .where(*scope, Grant.women + Grant.men + Grant.unspecified == 0)
            .distinct()
            .subquery()
        )
        with self.db.reading() as session:
            women, men, unspecified = session.execute(declared).one()
            households, members = session.execute(
                select(func.count(), func.coalesce(func.sum(families.c.size), 0)).select_from(families)
            ).one()
        return DirectBeneficiaries(int(women), int(men), int(unspecified) + int(members), int(households))

    def equipment_condition(self, programme_id: int) -> EquipmentCondition:
        """Delivered pieces of equipment of the programme and their condition at their latest visit
        ("équipements en service" of the donor report)."""
        with self.db.reading() as session:
            items = [item for _grant, item in equipment_items(session, Grant.programme_id == programme_id)]
            seen = session.execute(
                select(
                    VisitPiece.item_id, VisitPiece.serial_id, VisitPiece.condition, VisitPiece.count, Visit.id
                )
                .join(Visit, Visit.id == VisitPiece.visit_id)
                .where(VisitPiece.item_id.in_([item.id for item in items]))
                .order_by(Visit.visited_on, Visit.id)
            ).all()
        by_serial: dict[int, str] = {}
        by_item: dict[int, tuple[int, dict[str, int]]] = {}  # item → (its latest visit, counts)
        for item_id, serial_id, condition, count, visit_id in seen:  # oldest visit first
            if serial_id is not None:
                by_serial[serial_id] = condition
                continue
            latest, counts = by_item.get(item_id, (visit_id, {}))
            if latest != visit_id:
                counts = {}
            counts[condition] = counts.get(condition, 0) + count
            by_item[item_id] = (visit_id, counts)
        totals: dict[str, int] = {}
        for condition in [*by_serial.values()]:
            totals[condition] = totals.get(condition, 0) + 1
        for _visit, counts in by_item.values():
            for condition, count in counts.items():
                totals[condition] = totals.get(condition, 0) + count
        delivered = sum(int(item.quantity) for item in items)
        return EquipmentCondition(
            delivered, {c.value: totals[c.value] for c in PieceCondition if c in totals}
        )

    def programme_vulnerabilities(self, programme_id: int) -> list[VulnerabilityCount]:
        """People the programme reaches, by vulnerability tag and sex: members of the organisations
        it granted, people and household heads it granted, its households' heads and its activities'
        participants (each person once)."""
        live = (Grant.programme_id == programme_id, Grant.status != GrantStatus.CANCELLED)
        orgs = select(Grant.organisation_id).where(*live, Grant.organisation_id.is_not(None))
        people = union(
            select(Membership.person_id).where(Membership.organisation_id.in_(orgs)),
            select(Grant.person_id).where(*live, Grant.person_id.is_not(None)),
            select(Household.head_id).where(Household.programme_id == programme_id),
            select(ActivityParticipant.person_id)
            .join(Activity, Activity.id == ActivityParticipant.activity_id)
            .where(Activity.programme_id == programme_id),
        ).subquery()
        stmt = (
            select(Person.sex, Person.vulnerabilities, func.count())
            .where(Person.id.in_(select(people.c[0])), Person.vulnerabilities != "")
            .group_by(Person.sex, Person.vulnerabilities)
        )
        counts: dict[str, list[int]] = {}
        with self.db.reading() as session:
            for sex, tags, n in session.execute(stmt):
                for tag in tags.split(","):
                    pair = counts.setdefault(tag, [0, 0])
                    pair[0 if sex == Sex.FEMALE else 1] += int(n)
        order = [v.value for v in Vulnerability]
        return [
            VulnerabilityCount(tag, w, m)
            for tag, (w, m) in sorted(
                counts.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99
            )
        ]
