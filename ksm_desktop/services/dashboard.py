"""The dashboard's figures, computed by SQL aggregates: organisations, members and beneficiaries
by sex, grants by status, programme, sector, province and year, money in EUR and in MAD.

Each grant is converted with its own exchange rate, in integer cents inside the query, rounded
half up exactly like services.money.convert: the dashboard and a grant sheet never differ by a cent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    case,
    distinct,
    exists,
    extract,
    func,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session, aliased

from ksm_desktop.db.models import (
    Grant,
    Location,
    Membership,
    Organisation,
    Person,
    Programme,
    ProgrammeParty,
)
from ksm_desktop.domain.enums import Currency, GrantStatus, Sex
from ksm_desktop.domain.errors import ValidationError
from ksm_desktop.i18n import _
from ksm_desktop.services.base import Service
from ksm_desktop.services.money import cents_to_decimal, grant_totals_subquery


@dataclass(frozen=True)
class DashboardFilter:
    """Which grants count: one programme (or all), granted between two dates (inclusive)."""

    programme_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass(frozen=True)
class SexCount:
    women: int
    men: int
    unspecified: int = 0

    @property
    def total(self) -> int:
        return self.women + self.men + self.unspecified


@dataclass(frozen=True)
class KindCount:
    kind: str
    count: int


@dataclass(frozen=True)
class StatusTotal:
    status: str
    count: int
    total_eur: Decimal
    total_mad: Decimal


@dataclass(frozen=True)
class ProgrammeFigures:
    programme_id: int
    code: str
    name: str
    currency: str
    budget: Decimal | None
    granted: Decimal  # non-cancelled grants, in the programme's currency
    beneficiaries: SexCount


@dataclass(frozen=True)
class GroupTotal:
    """Grants of one sector, province or year (key None: not specified)."""

    key: str | None
    count: int
    total_eur: Decimal


@dataclass(frozen=True)
class Dashboard:
    organisations_by_kind: tuple[KindCount, ...]
    members: SexCount
    beneficiaries: SexCount
    grants_by_status: tuple[StatusTotal, ...]
    programmes: tuple[ProgrammeFigures, ...]
    by_sector: tuple[GroupTotal, ...]
    by_province: tuple[GroupTotal, ...]
    by_year: tuple[GroupTotal, ...]

    @property
    def organisations(self) -> int:
        return sum(k.count for k in self.organisations_by_kind)

    def granted(self, currency: str) -> Decimal:
        """Total of non-cancelled grants in EUR or MAD."""
        return sum(
            (
                s.total_eur if currency == Currency.EUR else s.total_mad
                for s in self.grants_by_status
                if s.status != GrantStatus.CANCELLED
            ),
            Decimal("0.00"),
        )

    @property
    def grant_count(self) -> int:
        return sum(s.count for s in self.grants_by_status if s.status != GrantStatus.CANCELLED)


def converted_cents(cents: Any, currency: Any, rate: Any) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """(EUR cents, MAD cents) of a grant total in SQL; the rate is MAD per EUR stored ×10,000."""
    r = type_coerce(rate, BigInteger)
    c = type_coerce(func.coalesce(cents, 0), BigInteger)
    eur = case((currency == Currency.EUR, c), else_=(c * 20000 + r) // (2 * r))
    mad = case((currency == Currency.MAD, c), else_=(c * r + 5000) // 10000)
    return eur, mad


class DashboardService(Service):
    def figures(self, flt: DashboardFilter = DashboardFilter()) -> Dashboard:
        """Every figure of the dashboard for `flt`, in one read transaction."""
        if flt.date_from and flt.date_to and flt.date_to < flt.date_from:
            raise ValidationError(_("The end date cannot be before the start date."), "date_to")
        with self.db.reading() as session:
            grants = self._grants(flt)
            return Dashboard(
                organisations_by_kind=self._organisations(session, flt),
                members=self._members(session, flt),
                beneficiaries=self._beneficiaries(session, grants),
                grants_by_status=self._by_status(session, grants),
                programmes=self._programmes(session, grants, flt),
                by_sector=self._grouped(session, grants, grants.c.sector),
                by_province=self._grouped(session, grants, grants.c.province),
                by_year=self._grouped(session, grants, grants.c.year),
            )

    def _grants(self, flt: DashboardFilter) -> Any:
        """One row per grant matching `flt`: status, EUR and MAD cents, beneficiaries, sector,
        province and year."""
        totals = grant_totals_subquery()
        eur, mad = converted_cents(totals.c.cents, Grant.currency, Grant.eur_mad_rate)
        place = aliased(Location)
        province = aliased(Location)
        stmt = (
            select(
                Grant.id,
                Grant.programme_id,
                Grant.status,
                Grant.currency,
                eur.label("eur"),
                mad.label("mad"),
                Grant.women,
                Grant.men,
                Grant.unspecified,
                Organisation.sector.label("sector"),
                province.name.label("province"),
                func.cast(extract("year", Grant.grant_date), BigInteger).label("year"),
            )
            .outerjoin(totals, totals.c.grant_id == Grant.id)
            .outerjoin(Organisation, Organisation.id == Grant.organisation_id)
            .outerjoin(Person, Person.id == Grant.person_id)
            .outerjoin(place, place.id == func.coalesce(Organisation.location_id, Person.location_id))
            .outerjoin(province, province.id == place.province_id)
        )
        if flt.programme_id is not None:
            stmt = stmt.where(Grant.programme_id == flt.programme_id)
        if flt.date_from is not None:
            stmt = stmt.where(Grant.grant_date >= flt.date_from)
        if flt.date_to is not None:
            stmt = stmt.where(Grant.grant_date <= flt.date_to)
        return stmt.subquery("g")

    def _organisations(self, session: Session, flt: DashboardFilter) -> tuple[KindCount, ...]:
        stmt: Select[Any] = select(Organisation.kind, func.count()).group_by(Organisation.kind)
        if flt.programme_id is not None:
            stmt = stmt.where(_in_programme(flt.programme_id))
        rows = session.execute(stmt.order_by(func.count().desc(), Organisation.kind))
        return tuple(KindCount(kind, int(n)) for kind, n in rows)

    def _members(self, session: Session, flt: DashboardFilter) -> SexCount:
        """People who are members of at least one organisation (of the programme, if one is chosen)."""
        stmt = select(Person.sex, func.count(distinct(Membership.person_id))).join(
            Membership, Membership.person_id == Person.id
        )
        if flt.programme_id is not None:
            stmt = stmt.join(Organisation, Organisation.id == Membership.organisation_id).where(
                _in_programme(flt.programme_id)
            )
        counts = dict(session.execute(stmt.group_by(Person.sex)).tuples().all())
        return SexCount(int(counts.get(Sex.FEMALE, 0)), int(counts.get(Sex.MALE, 0)))

    def _beneficiaries(self, session: Session, g: Any) -> SexCount:
        row = session.execute(
            select(
                func.coalesce(func.sum(g.c.women), 0),
                func.coalesce(func.sum(g.c.men), 0),
                func.coalesce(func.sum(g.c.unspecified), 0),
            ).where(g.c.status != GrantStatus.CANCELLED)
        ).one()
        return SexCount(int(row[0]), int(row[1]), int(row[2]))

    def _by_status(self, session: Session, g: Any) -> tuple[StatusTotal, ...]:
        rows = dict(
            (status, (n, e, m))
            for status, n, e, m in session.execute(
                select(g.c.status, func.count(), func.sum(g.c.eur), func.sum(g.c.mad)).group_by(g.c.status)
            )
        )
        return tuple(
            StatusTotal(s.value, int(n), cents_to_decimal(e), cents_to_decimal(m))
            for s in GrantStatus
            for n, e, m in [rows.get(s.value, (0, 0, 0))]
        )

    def _programmes(self, session: Session, g: Any, flt: DashboardFilter) -> tuple[ProgrammeFigures, ...]:
        live = g.c.status != GrantStatus.CANCELLED
        per = (
            select(
                g.c.programme_id.label("programme_id"),
                func.sum(case((live, g.c.eur), else_=0)).label("eur"),
                func.sum(case((live, g.c.mad), else_=0)).label("mad"),
                func.sum(case((live, g.c.women), else_=0)).label("women"),
                func.sum(case((live, g.c.men), else_=0)).label("men"),
                func.sum(case((live, g.c.unspecified), else_=0)).label("unspecified"),
            )
            .where(g.c.programme_id.is_not(None))
            .group_by(g.c.programme_id)
            .subquery()
        )
        stmt = (
            select(
                Programme.id,
                Programme.code,
                Programme.name,
                Programme.currency,
                Programme.budget,
                case((Programme.currency == Currency.EUR, per.c.eur), else_=per.c.mad),
                per.c.women,
                per.c.men,
                per.c.unspecified,
            )
            .outerjoin(per, per.c.programme_id == Programme.id)
            .order_by(Programme.code)
        )
        if flt.programme_id is not None:
            stmt = stmt.where(Programme.id == flt.programme_id)
        return tuple(
            ProgrammeFigures(
                pid,
                code,
                name,
                currency,
                budget,
                cents_to_decimal(granted),
                SexCount(int(w or 0), int(m or 0), int(u or 0)),
            )
            for pid, code, name, currency, budget, granted, w, m, u in session.execute(stmt)
        )

    def _grouped(self, session: Session, g: Any, key: Any) -> tuple[GroupTotal, ...]:
        stmt = (
            select(key, func.count(), func.sum(g.c.eur))
            .where(g.c.status != GrantStatus.CANCELLED)
            .group_by(key)
            .order_by(key)
        )
        return tuple(
            GroupTotal(None if k is None else str(k), int(n), cents_to_decimal(e))
            for k, n, e in session.execute(stmt)
        )


def _in_programme(programme_id: int) -> ColumnElement[bool]:
    """The organisation received a grant of the programme, or is its donor or partner."""
    return or_(
        exists().where(Grant.organisation_id == Organisation.id, Grant.programme_id == programme_id),
        exists().where(
            ProgrammeParty.organisation_id == Organisation.id, ProgrammeParty.programme_id == programme_id
        ),
    )
