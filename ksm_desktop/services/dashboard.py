"""The dashboard's figures, computed by SQL aggregates: organisations, members and beneficiaries
by sex, grants by status, programme, sector, province and year, money in EUR and in MAD.

Each grant is converted with its own exchange rate, in integer cents inside the query, rounded
half up exactly like services.money.convert: the dashboard and a grant sheet never differ by a cent.
The statements are built here; domain/dashboard.py makes the figures from their rows,
and the same statements, compiled for SQLite, give the first figures at start
(db/first_figures.py).
"""

from __future__ import annotations

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
from sqlalchemy.orm import aliased

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
from ksm_desktop.domain.dashboard import (
    Dashboard,
    DashboardFilter,
    ProgrammeChoice,
    assemble,
    grant_group,
)
from ksm_desktop.domain.enums import Currency, GrantStatus
from ksm_desktop.domain.errors import ValidationError
from ksm_desktop.i18n import _
from ksm_desktop.services.base import Service
from ksm_desktop.services.money import grant_totals_subquery


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
            return tuple(ProgrammeChoice(*row) for row in session.execute(choices_statement()))

    def figures(self, flt: DashboardFilter = DashboardFilter()) -> Dashboard:
        """Every figure of the dashboard for `flt`, in one read transaction.

        Grants are read once, grouped by status, programme, sector, province and year in SQL; the
        figures are sums over those few groups (never a loop over the grants themselves).
        """
        if flt.date_from and flt.date_to and flt.date_to < flt.date_from:
            raise ValidationError(_("The end date cannot be before the start date."), "date_to")
        with self.db.reading() as session:
            per_programme, in_all = household_people_statements(flt)
            families: dict[int | None, int] = {pid: int(n) for pid, n in session.execute(per_programme)}
            families[None] = int(session.execute(in_all).scalar_one())
            return assemble(
                [grant_group(row) for row in session.execute(grant_groups_statement(flt))],
                families,
                session.execute(organisations_statement(flt)).tuples(),
                dict(session.execute(members_statement(flt)).tuples().all()),
                session.execute(programmes_statement(flt)).tuples(),
            )


def choices_statement() -> Select[Any]:
    return select(Programme.id, Programme.code, Programme.name).order_by(Programme.code)


def grant_groups_statement(flt: DashboardFilter) -> Select[Any]:
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
            place.id == func.coalesce(Organisation.location_id, Person.location_id, Household.location_id),
        )
        .outerjoin(province, province.id == place.province_id)
        .group_by(*keys)
    )
    return _granted_in(stmt, flt)


def household_people_statements(flt: DashboardFilter) -> tuple[Select[Any], Select[Any]]:
    """People of the households equipped by grants that declare no one, per programme and in
    all, each household once: a grant to a family reaches its members (its size, sex not
    recorded), so the AQUA-NOOR families are direct beneficiaries. The donor report's rule for
    direct beneficiaries."""
    declared = Grant.women + Grant.men + Grant.unspecified
    equipped = (
        select(Household.id, Household.size, Grant.programme_id)
        .join(Grant, Grant.household_id == Household.id)
        .where(Grant.status != GrantStatus.CANCELLED.value, declared == 0)
    )
    families = _granted_in(equipped, flt).distinct().subquery()
    size = func.coalesce(func.sum(families.c.size), 0)
    once = select(families.c.id, families.c.size).distinct().subquery()
    return (
        select(families.c.programme_id, size).group_by(families.c.programme_id),
        select(func.coalesce(func.sum(once.c.size), 0)),
    )


def organisations_statement(flt: DashboardFilter) -> Select[Any]:
    stmt: Select[Any] = select(Organisation.kind, func.count()).group_by(Organisation.kind)
    if flt.programme_id is not None:
        stmt = stmt.where(Organisation.id.in_(_programme_orgs(flt.programme_id)))
    return stmt.order_by(func.count().desc(), Organisation.kind)


def members_statement(flt: DashboardFilter) -> Select[Any]:
    """People who are members of at least one organisation (of the programme, if one is chosen)."""
    if flt.programme_id is None:  # SQLite plans differ: a correlated probe is fastest here
        member: ColumnElement[bool] = select(Membership.id).where(Membership.person_id == Person.id).exists()
    else:
        member = Person.id.in_(
            select(Membership.person_id).where(
                Membership.organisation_id.in_(_programme_orgs(flt.programme_id))
            )
        )
    return select(Person.sex, func.count()).where(member).group_by(Person.sex)


def programmes_statement(flt: DashboardFilter) -> Select[Any]:
    stmt = select(Programme.id, Programme.code, Programme.name, Programme.currency, Programme.budget)
    if flt.programme_id is not None:
        stmt = stmt.where(Programme.id == flt.programme_id)
    return stmt.order_by(Programme.code)


def _granted_in(stmt: Select[Any], flt: DashboardFilter) -> Select[Any]:
    """`stmt` narrowed to the grants of the filter's programme and period."""
    if flt.programme_id is not None:
        stmt = stmt.where(Grant.programme_id == flt.programme_id)
    if flt.date_from is not None:
        stmt = stmt.where(Grant.grant_date >= flt.date_from)
    if flt.date_to is not None:
        stmt = stmt.where(Grant.grant_date <= flt.date_to)
    return stmt


def _programme_orgs(programme_id: int) -> Any:
    """Ids of the organisations that received a grant of the programme or are its donors/partners."""
    return union(
        select(Grant.organisation_id).where(
            Grant.programme_id == programme_id, Grant.organisation_id.is_not(None)
        ),
        select(ProgrammeParty.organisation_id).where(ProgrammeParty.programme_id == programme_id),
    )
