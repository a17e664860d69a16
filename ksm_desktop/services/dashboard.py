"""The dashboard's figures, computed by SQL aggregates: organisations, members and beneficiaries
by sex, grants by status, programme, sector, province and year, money in EUR and in MAD.

Each grant is converted with its own exchange rate, in integer cents inside the query, rounded
half up exactly like services.money.convert: the dashboard and a grant sheet never differ by a cent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    case,
    extract,
    func,
    select,
    type_coerce,
    union,
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
from ksm_desktop.db.models_fieldwork import Household
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
class ProgrammeChoice:
    """A programme the dashboard can be narrowed to."""

    id: int
    code: str
    name: str


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
    """Grants of one sector, province or year (key None: not specified); a province's id lets the
    grants list show the same grants."""

    key: str | None
    count: int
    total_eur: Decimal
    id: int | None = None


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
    def programme_choices(self) -> tuple[ProgrammeChoice, ...]:
        """Every programme, by code: the dashboard's programme filter (read with the figures'
        service, so that the first figures need none of the list services)."""
        with self.db.reading() as session:
            stmt = select(Programme.id, Programme.code, Programme.name).order_by(Programme.code)
            return tuple(ProgrammeChoice(*row) for row in session.execute(stmt))

    def figures(self, flt: DashboardFilter = DashboardFilter()) -> Dashboard:
        """Every figure of the dashboard for `flt`, in one read transaction.

        Grants are read once, grouped by status, programme, sector, province and year in SQL; the
        figures are sums over those few groups (never a loop over the grants themselves).
        """
        if flt.date_from and flt.date_to and flt.date_to < flt.date_from:
            raise ValidationError(_("The end date cannot be before the start date."), "date_to")
        with self.db.reading() as session:
            groups = self._grant_groups(session, flt)
            live = [g for g in groups if g.status != GrantStatus.CANCELLED]
            families = self._household_people(session, flt)
            return Dashboard(
                organisations_by_kind=self._organisations(session, flt),
                members=self._members(session, flt),
                beneficiaries=_sexes(live, families[None]),
                grants_by_status=tuple(
                    StatusTotal(
                        s.value,
                        sum(g.count for g in mine),
                        cents_to_decimal(sum(g.eur for g in mine)),
                        cents_to_decimal(sum(g.mad for g in mine)),
                    )
                    for s in GrantStatus
                    for mine in [[g for g in groups if g.status == s]]
                ),
                programmes=self._programmes(session, live, flt, families),
                by_sector=_totals(live, lambda g: g.sector),
                by_province=_totals(live, lambda g: g.province, lambda g: g.province_id),
                by_year=_totals(live, lambda g: None if g.year is None else str(g.year)),
            )

    def _grant_groups(self, session: Session, flt: DashboardFilter) -> list[_Group]:
        """Grants matching `flt` summed per status, programme, sector, province (of the recipient
        organisation, person or household) and year, with
        each grant's total converted to EUR and MAD cents at its own rate."""
        totals = grant_totals_subquery()
        eur, mad = converted_cents(totals.c.cents, Grant.currency, Grant.eur_mad_rate)
        place = aliased(Location)
        province = aliased(Location)
        year = func.cast(extract("year", Grant.grant_date), BigInteger)
        keys = (Grant.status, Grant.programme_id, Organisation.sector, province.name, province.id, year)
        stmt = (
            select(
                *keys,
                func.count(),
                func.sum(eur),
                func.sum(mad),
                func.sum(Grant.women),
                func.sum(Grant.men),
                func.sum(Grant.unspecified),
            )
            .outerjoin(totals, totals.c.grant_id == Grant.id)
            .outerjoin(Organisation, Organisation.id == Grant.organisation_id)
            .outerjoin(Person, Person.id == Grant.person_id)
            .outerjoin(Household, Household.id == Grant.household_id)
            .outerjoin(
                place,
                place.id
                == func.coalesce(Organisation.location_id, Person.location_id, Household.location_id),
            )
            .outerjoin(province, province.id == place.province_id)
            .group_by(*keys)
        )
        if flt.programme_id is not None:
            stmt = stmt.where(Grant.programme_id == flt.programme_id)
        if flt.date_from is not None:
            stmt = stmt.where(Grant.grant_date >= flt.date_from)
        if flt.date_to is not None:
            stmt = stmt.where(Grant.grant_date <= flt.date_to)
        return [_Group(*(row[:6]), *(int(v or 0) for v in row[6:])) for row in session.execute(stmt)]

    def _household_people(self, session: Session, flt: DashboardFilter) -> dict[int | None, int]:
        """People of the households equipped by grants that declare no one, per programme and in
        all (key None), each household once: a grant to a family reaches its members (its size,
        sex not recorded), so the AQUA-NOOR families are direct beneficiaries. The donor report's
        rule for direct beneficiaries."""
        declared = Grant.women + Grant.men + Grant.unspecified
        equipped = (
            select(Household.id, Household.size, Grant.programme_id)
            .join(Grant, Grant.household_id == Household.id)
            .where(Grant.status != GrantStatus.CANCELLED.value, declared == 0)
        )
        if flt.programme_id is not None:
            equipped = equipped.where(Grant.programme_id == flt.programme_id)
        if flt.date_from is not None:
            equipped = equipped.where(Grant.grant_date >= flt.date_from)
        if flt.date_to is not None:
            equipped = equipped.where(Grant.grant_date <= flt.date_to)
        families = equipped.distinct().subquery()
        size = func.coalesce(func.sum(families.c.size), 0)
        people: dict[int | None, int] = {
            pid: int(n)
            for pid, n in session.execute(
                select(families.c.programme_id, size).group_by(families.c.programme_id)
            )
        }
        once = select(families.c.id, families.c.size).distinct().subquery()
        people[None] = int(session.execute(select(func.coalesce(func.sum(once.c.size), 0))).scalar_one())
        return people

    def _organisations(self, session: Session, flt: DashboardFilter) -> tuple[KindCount, ...]:
        stmt: Select[Any] = select(Organisation.kind, func.count()).group_by(Organisation.kind)
        if flt.programme_id is not None:
            stmt = stmt.where(Organisation.id.in_(_programme_orgs(flt.programme_id)))
        rows = session.execute(stmt.order_by(func.count().desc(), Organisation.kind))
        return tuple(KindCount(kind, int(n)) for kind, n in rows)

    def _members(self, session: Session, flt: DashboardFilter) -> SexCount:
        """People who are members of at least one organisation (of the programme, if one is chosen)."""
        if flt.programme_id is None:  # SQLite plans differ: a correlated probe is fastest here
            member: ColumnElement[bool] = (
                select(Membership.id).where(Membership.person_id == Person.id).exists()
            )
        else:
            member = Person.id.in_(
                select(Membership.person_id).where(
                    Membership.organisation_id.in_(_programme_orgs(flt.programme_id))
                )
            )
        stmt = select(Person.sex, func.count()).where(member).group_by(Person.sex)
        counts = dict(session.execute(stmt).tuples().all())
        return SexCount(int(counts.get(Sex.FEMALE, 0)), int(counts.get(Sex.MALE, 0)))

    def _programmes(
        self, session: Session, live: list[_Group], flt: DashboardFilter, families: dict[int | None, int]
    ) -> tuple[ProgrammeFigures, ...]:
        stmt = select(Programme.id, Programme.code, Programme.name, Programme.currency, Programme.budget)
        if flt.programme_id is not None:
            stmt = stmt.where(Programme.id == flt.programme_id)
        result = []
        for pid, code, name, currency, budget in session.execute(stmt.order_by(Programme.code)):
            mine = [g for g in live if g.programme_id == pid]
            cents = sum(g.eur if currency == Currency.EUR else g.mad for g in mine)
            result.append(
                ProgrammeFigures(
                    pid,
                    code,
                    name,
                    currency,
                    budget,
                    cents_to_decimal(cents),
                    _sexes(mine, families.get(pid, 0)),
                )
            )
        return tuple(result)


@dataclass(frozen=True)
class _Group:
    status: str
    programme_id: int | None
    sector: str | None
    province: str | None
    province_id: int | None
    year: int | None
    count: int
    eur: int
    mad: int
    women: int
    men: int
    unspecified: int


def _sexes(groups: list[_Group], household_people: int = 0) -> SexCount:
    return SexCount(
        sum(g.women for g in groups),
        sum(g.men for g in groups),
        sum(g.unspecified for g in groups) + household_people,
    )


def _totals(
    groups: list[_Group],
    key: Callable[[_Group], str | None],
    ident: Callable[[_Group], int | None] = lambda _g: None,
) -> tuple[GroupTotal, ...]:
    sums: dict[str | None, tuple[int, int]] = {}
    ids: dict[str | None, int | None] = {}
    for g in groups:
        count, eur = sums.get(key(g), (0, 0))
        sums[key(g)] = (count + g.count, eur + g.eur)
        ids[key(g)] = ident(g)
    ordered = sorted(sums.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))
    return tuple(GroupTotal(k, n, cents_to_decimal(e), ids[k]) for k, (n, e) in ordered)


def _programme_orgs(programme_id: int) -> Any:
    """Ids of the organisations that received a grant of the programme or are its donors/partners."""
    return union(
        select(Grant.organisation_id).where(
            Grant.programme_id == programme_id, Grant.organisation_id.is_not(None)
        ),
        select(ProgrammeParty.organisation_id).where(ProgrammeParty.programme_id == programme_id),
    )
