"""Who received twice: the donors' first audit question, answered from the grants.

A beneficiary is a person; a grant to a household (a nomad family's equipment) counts for the
person heading it, so a family equipped once through the household and once through its head
shows. Cancelled grants were never handed over and do not count.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from ksm_desktop.db.models import Grant, Person, Programme
from ksm_desktop.db.models_fieldwork import Household
from ksm_desktop.domain.enums import Currency, DoubleDipReason, GrantStatus
from ksm_desktop.i18n import _
from ksm_desktop.services.base import Service, mask
from ksm_desktop.services.money import cents_to_decimal, convert, grant_totals_subquery


@dataclass(frozen=True)
class DoubleDipRow:
    person_id: int
    name: str
    cin: str | None
    household: str | None  # the code of the household they head, when it received a grant
    reasons: tuple[DoubleDipReason, ...]
    programmes: tuple[str, ...]  # codes; "" for grants under no programme
    grants: tuple[str, ...]  # numbers, oldest first
    total_eur: Decimal


class DoubleDippingService(Service):
    def report(self) -> list[DoubleDipRow]:
        """Beneficiaries with grants under more than one programme or more than one grant in one
        programme, the most grants first."""
        totals = grant_totals_subquery()
        stmt = (
            select(
                func.coalesce(Grant.person_id, Household.head_id).label("person_id"),
                Household.code,
                Grant.number,
                func.coalesce(Programme.code, "").label("programme"),
                Grant.currency,
                Grant.eur_mad_rate,
                func.coalesce(totals.c.cents, 0).label("cents"),
            )
            .outerjoin(Household, Household.id == Grant.household_id)
            .outerjoin(Programme, Programme.id == Grant.programme_id)
            .outerjoin(totals, totals.c.grant_id == Grant.id)
            .where(Grant.status != GrantStatus.CANCELLED.value)
            .where((Grant.person_id.is_not(None)) | (Grant.household_id.is_not(None)))
            .order_by(Grant.id)
        )
        with self.db.reading() as session:
            grants: dict[int, list[tuple[str | None, str, str, Decimal]]] = defaultdict(list)
            for person_id, household, number, programme, currency, rate, cents in session.execute(stmt):
                amount = cents_to_decimal(cents)
                eur = amount if currency == Currency.EUR else convert(amount, currency, rate)[0]
                grants[person_id].append((household, number, programme, eur))
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
                household=next((h for h, *_rest in received if h), None),
                reasons=_reasons(received),
                programmes=tuple(sorted({p for _h, _n, p, _e in received})),
                grants=tuple(n for _h, n, _p, _e in received),
                total_eur=sum((e for *_rest, e in received), Decimal("0.00")),
            )
            for pid, received in flagged.items()
        ]
        rows.sort(key=lambda r: (-len(r.grants), r.name, r.person_id))
        return rows

    def export_xlsx(self, path: Path) -> int:
        """The report as an Excel workbook for the donor; returns how many beneficiaries."""
        from ksm_desktop.workbook import Sheet, write_xlsx

        rows = self.report()
        headers = [
            _("Beneficiary"),
            _("CIN"),
            _("Household"),
            _("Why"),
            _("Programmes"),
            _("Grants"),
            _("Total (EUR)"),
        ]
        write_xlsx(
            path,
            [
                Sheet(
                    _("Double dipping"),
                    headers,
                    [
                        [
                            r.name,
                            r.cin,
                            r.household,
                            "; ".join(reason.label for reason in r.reasons),
                            ", ".join(p or _("no programme") for p in r.programmes),
                            ", ".join(r.grants),
                            r.total_eur,
                        ]
                        for r in rows
                    ],
                )
            ],
        )
        return len(rows)


def _reasons(received: list[tuple[str | None, str, str, Decimal]]) -> tuple[DoubleDipReason, ...]:
    programmes = [programme for _h, _n, programme, _e in received]
    reasons = []
    if len(set(programmes)) > 1:
        reasons.append(DoubleDipReason.SEVERAL_PROGRAMMES)
    if len(set(programmes)) < len(programmes):
        reasons.append(DoubleDipReason.REPEATED_IN_PROGRAMME)
    return tuple(reasons)
