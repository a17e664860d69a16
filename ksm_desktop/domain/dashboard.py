"""The dashboard's figures as the window shows them, and how they are made from the rows of
its few SQL aggregates (services/dashboard.py holds the queries). Neither SQLAlchemy nor Qt: the
first figures at start are assembled here from the same statements read straight from SQLite
(db/first_figures.py), before SQLAlchemy is even imported."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ksm_desktop.domain.enums import Currency, GrantStatus, Sex
from ksm_desktop.domain.values import cents_to_decimal


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


@dataclass(frozen=True)
class GrantGroup:
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


def sexes(groups: list[GrantGroup], household_people: int = 0) -> SexCount:
    return SexCount(
        sum(g.women for g in groups),
        sum(g.men for g in groups),
        sum(g.unspecified for g in groups) + household_people,
    )


def totals(
    groups: list[GrantGroup],
    key: Callable[[GrantGroup], str | None],
    ident: Callable[[GrantGroup], int | None] = lambda _g: None,
) -> tuple[GroupTotal, ...]:
    sums: dict[str | None, tuple[int, int]] = {}
    ids: dict[str | None, int | None] = {}
    for g in groups:
        count, eur = sums.get(key(g), (0, 0))
        sums[key(g)] = (count + g.count, eur + g.eur)
        ids[key(g)] = ident(g)
    ordered = sorted(sums.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))
    return tuple(GroupTotal(k, n, cents_to_decimal(e), ids[k]) for k, (n, e) in ordered)


def grant_group(row: Sequence[Any]) -> GrantGroup:
    """A row of the grant groups' statement (its sums may be NULL)."""
    return GrantGroup(*row[:6], *(int(v or 0) for v in row[6:]))


def assemble(
    groups: list[GrantGroup],
    families: dict[int | None, int],
    kinds: Iterable[tuple[str, int]],
    members: dict[str, int],
    programmes: Iterable[tuple[int, str, str, str, Decimal | None]],
) -> Dashboard:
    """The dashboard from its queries' rows: grant groups, people of equipped households (per
    programme, None: in all), organisations per kind, members per sex, and the programmes
    (id, code, name, currency, budget)."""
    live = [g for g in groups if g.status != GrantStatus.CANCELLED]
    return Dashboard(
        organisations_by_kind=tuple(KindCount(kind, int(n)) for kind, n in kinds),
        members=SexCount(int(members.get(Sex.FEMALE, 0)), int(members.get(Sex.MALE, 0))),
        beneficiaries=sexes(live, families[None]),
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
        programmes=tuple(
            ProgrammeFigures(
                pid,
                code,
                name,
                currency,
                budget,
                cents_to_decimal(sum(g.eur if currency == Currency.EUR else g.mad for g in mine)),
                sexes(mine, families.get(pid, 0)),
            )
            for pid, code, name, currency, budget in programmes
            for mine in [[g for g in live if g.programme_id == pid]]
        ),
        by_sector=totals(live, lambda g: g.sector),
        by_province=totals(live, lambda g: g.province, lambda g: g.province_id),
        by_year=totals(live, lambda g: None if g.year is None else str(g.year)),
    )
