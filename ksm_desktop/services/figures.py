"""Aggregate figures for lists, the dashboard and donor reports, computed in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import case, func, select

from ksm_desktop.db.models import Grant, Membership, Organisation, Person, Programme
from ksm_desktop.domain.enums import Sex
from ksm_desktop.services.base import Service
from ksm_desktop.services.money import cents_to_decimal, grant_totals_subquery


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
