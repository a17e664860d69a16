"""Who received twice: the donors' first audit question, answered from the grants.

A beneficiary is a person; a grant to a household (a nomad family's equipment) counts for the
person heading it, so a family equipped once through the household and once through its head
shows. Cancelled grants were never handed over and do not count. Within one programme, only the
same equipment twice is a repeat: AQUA-NOOR gives each family a latrine block and a solar system
in two grants, by design.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from ksm_desktop.db.models import Grant, GrantItem, Person, Programme
from ksm_desktop.db.models_fieldwork import Household
from ksm_desktop.domain.enums import Currency, DoubleDipReason, GrantStatus
from ksm_desktop.domain.values import cents_to_decimal, search_key
from ksm_desktop.i18n import _
from ksm_desktop.i18n.formatting import format_list, format_money
from ksm_desktop.services.base import Service, mask
from ksm_desktop.services.money import convert, grant_totals_subquery


@dataclass(frozen=True)
class DoubleDipRow:
    person_id: int
    name: str
    cin: str | None
    household: str | None  # the code of the household they head, when it received a grant
    reasons: tuple[DoubleDipReason, ...]  # several programmes, the same equipment twice in one
    programmes: tuple[str, ...]  # codes; "" for grants under no programme
    grants: tuple[str, ...]  # numbers, oldest first
    total_eur: Decimal

    def cells(self) -> list[str]:
        """The row as the screen and the command line show it, under `double_dip_headers()`
        (the workbook keeps the total a number)."""
        return [
            self.name,
            self.cin or "",
            self.household or "",
            format_list([reason.label for reason in self.reasons]),
            ", ".join(p or _("no programme") for p in self.programmes),
            ", ".join(self.grants),
            format_money(self.total_eur, "EUR"),
        ]


def double_dip_headers() -> list[str]:
    """Column titles of the report, in the current language (see `DoubleDipRow.cells`)."""
    return [
        _("Beneficiary"),
        _("CIN"),
        _("Household"),
        _("Why"),
        _("Programmes"),
        _("Grants"),
        _("Total (EUR)"),
    ]


@dataclass(frozen=True)
class _Received:
    """One grant as the report weighs it."""

    household: str | None
    number: str
    programme: str
    eur: Decimal
    equipment: frozenset[str]  # its line items' designations (or its purpose), case and accents ignored


class DoubleDippingService(Service):
    def report(self) -> list[DoubleDipRow]:
        """Beneficiaries with grants under more than one programme or the same equipment twice in
        one programme, the most grants first."""
        totals = grant_totals_subquery()
        received = (Grant.status != GrantStatus.CANCELLED.value) & (
            Grant.person_id.is_not(None) | Grant.household_id.is_not(None)
        )
        stmt = (
            select(
                func.coalesce(Grant.person_id, Household.head_id).label("person_id"),
                Grant.id,
                Household.code,
                Grant.number,
                func.coalesce(Programme.code, "").label("programme"),
                Grant.purpose,
                Grant.currency,
                Grant.eur_mad_rate,
                func.coalesce(totals.c.cents, 0).label("cents"),
            )
            .outerjoin(Household, Household.id == Grant.household_id)
            .outerjoin(Programme, Programme.id == Grant.programme_id)
            .outerjoin(totals, totals.c.grant_id == Grant.id)
            .where(received)
            .order_by(Grant.id)
        )
        items = select(GrantItem.grant_id, GrantItem.designation).join(Grant, Grant.id == GrantItem.grant_id)
        with self.db.reading() as session:
            designations: dict[int, set[str]] = defaultdict(set)
            for grant_id, designation in session.execute(items.where(received)):
                designations[grant_id].add(search_key(designation))
            grants: dict[int, list[_Received]] = defaultdict(list)
            for (
                person_id,
                grant_id,
                household,
                number,
                programme,
                purpose,
                currency,
                rate,
                cents,
            ) in session.execute(stmt):
                amount = cents_to_decimal(cents)
                eur = amount if currency == Currency.EUR else convert(amount, currency, rate)[0]
                equipment = frozenset(designations.get(grant_id) or {search_key(purpose)})
                grants[person_id].append(_Received(household, number, programme, eur, equipment))
            flagged = {pid: rows for pid, rows in grants.items() if _reasons(rows)}
            people = {
                pid: (f"{first} {last}", cin)
                for pid, first, last, cin in session.execute(
                    select(Person.id, Person.first_name, Person.last_name, Person.cin).where(
                        Person.id.in_(list(flagged))
                    )
                )
            }
        rows = [
            DoubleDipRow(
                person_id=pid,
                name=people[pid][0],
                cin=people[pid][1] if self.actor.sees_personal_data else mask(people[pid][1]),
                household=next((g.household for g in got if g.household), None),
                reasons=_reasons(got),
                programmes=tuple(sorted({g.programme for g in got})),
                grants=tuple(g.number for g in got),
                total_eur=sum((g.eur for g in got), Decimal("0.00")),
            )
            for pid, got in flagged.items()
        ]
        rows.sort(key=lambda r: (-len(r.grants), r.name, r.person_id))
        return rows

    def export_xlsx(self, path: Path) -> int:
        """The report as an Excel workbook for the donor; returns how many beneficiaries."""
        from ksm_desktop.workbook import Sheet, write_xlsx

        rows = self.report()
        write_xlsx(
            path,
            [
                Sheet(
                    _("Double dipping"), double_dip_headers(), [[*r.cells()[:-1], r.total_eur] for r in rows]
                )
            ],
        )
        return len(rows)


def _reasons(got: list[_Received]) -> tuple[DoubleDipReason, ...]:
    reasons = []
    if len({g.programme for g in got}) > 1:
        reasons.append(DoubleDipReason.SEVERAL_PROGRAMMES)
    seen: set[tuple[str, str]] = set()
    for g in got:
        keys = {(g.programme, e) for e in g.equipment}
        if keys & seen:
            reasons.append(DoubleDipReason.REPEATED_IN_PROGRAMME)
            break
        seen |= keys
    return tuple(reasons)
