"""KSM's programmes: donors, partners, zones, budget and target beneficiaries."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session

from ksm_desktop.db.models import (
    Grant,
    Location,
    Organisation,
    Programme,
    ProgrammeParty,
    ProgrammeZone,
)
from ksm_desktop.domain.enums import Currency, GrantStatus, PartyRole, ProgrammeStatus
from ksm_desktop.domain.errors import ConflictError, NotFoundError, ValidationError
from ksm_desktop.domain.values import cents_to_decimal, optional_text, required_text, search_key, to_money
from ksm_desktop.i18n import N_, _
from ksm_desktop.services.base import ListQuery, Page, Service, check_query, paginate, text_filter
from ksm_desktop.services.dto import PartyDTO, ProgrammeDTO, ProgrammeInput, ProgrammeRow
from ksm_desktop.services.locations import location_dto
from ksm_desktop.services.money import convert, grant_totals_subquery

_CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9\-_]{1,29}$")

# The filters its list accepts (ListQuery.filters keys).
LIST_FILTERS = ("status",)


def get_by_code(session: Session, code: str) -> Programme:
    programme = session.scalars(select(Programme).where(Programme.code == code.strip().upper())).first()
    if programme is None:
        raise NotFoundError(_("No programme has the code “{code}”.").format(code=code), "programme")
    return programme


class ProgrammeService(Service):
    def _validate(self, data: ProgrammeInput) -> dict[str, Any]:
        code = required_text(data.code, "code", N_("Code")).upper()
        if not _CODE_RE.match(code):
            raise ValidationError(
                _("The code may contain only letters, digits and dashes (2 to 30 characters)."),
                "code",
            )
        name = required_text(data.name, "name", N_("Name"))
        if data.start_date and data.end_date and data.end_date < data.start_date:
            raise ValidationError(_("The end date cannot be before the start date."), "end_date")
        try:
            status = ProgrammeStatus(data.status).value
        except ValueError:
            raise ValidationError(
                _("Unknown status “{status}”.").format(status=data.status), "status"
            ) from None
        try:
            currency = Currency(data.currency).value
        except ValueError:
            raise ValidationError(_("The currency must be EUR or MAD."), "currency") from None
        budget = to_money(data.budget, "budget") if data.budget is not None else None
        if budget is not None and budget < 0:
            raise ValidationError(_("The budget cannot be negative."), "budget")
        for field, value in (("target_women", data.target_women), ("target_men", data.target_men)):
            if value is not None and value < 0:
                raise ValidationError(_("A number of beneficiaries cannot be negative."), field)
        return {
            "code": code,
            "name": name,
            "name_ar": optional_text(data.name_ar),
            "description": optional_text(data.description),
            "start_date": data.start_date,
            "end_date": data.end_date,
            "status": status,
            "budget": budget,
            "currency": currency,
            "target_women": data.target_women,
            "target_men": data.target_men,
        }

    def _apply(self, session: Session, programme: Programme, data: ProgrammeInput) -> None:
        parties = [(oid, PartyRole.DONOR) for oid in dict.fromkeys(data.donor_ids)]
        parties += [(oid, PartyRole.PARTNER) for oid in dict.fromkeys(data.partner_ids)]
        for oid, _role in parties:
            if session.get(Organisation, oid) is None:
                raise NotFoundError(_("Unknown organisation (id {id}).").format(id=oid), "parties")
        for lid in data.zone_ids:
            if session.get(Location, lid) is None:
                raise NotFoundError(_("Unknown location (id {id}).").format(id=lid), "zones")
        wanted_parties = {(oid, role.value) for oid, role in parties}
        programme.parties = [p for p in programme.parties if (p.organisation_id, p.role) in wanted_parties]
        have = {(p.organisation_id, p.role) for p in programme.parties}
        programme.parties += [
            ProgrammeParty(organisation_id=oid, role=role.value)
            for oid, role in parties
            if (oid, role.value) not in have
        ]
        zone_ids = list(dict.fromkeys(data.zone_ids))
        programme.zones = [z for z in programme.zones if z.location_id in zone_ids]
        have_zones = {z.location_id for z in programme.zones}
        programme.zones += [ProgrammeZone(location_id=lid) for lid in zone_ids if lid not in have_zones]
        programme.search = search_key(programme.code, programme.name, programme.name_ar)

    def _check_code(self, session: Session, code: str, own_id: int | None) -> None:
        other = session.scalar(select(Programme.id).where(Programme.code == code))
        if other is not None and other != own_id:
            raise ConflictError(
                _("The code “{code}” is already used by another programme.").format(code=code),
                "code",
                existing_id=other,
            )

    def create(self, data: ProgrammeInput) -> ProgrammeDTO:
        values = self._validate(data)
        with self._write() as session:
            self._check_code(session, str(values["code"]), None)
            programme = Programme(**values)
            session.add(programme)
            self._apply(session, programme, data)
            session.flush()
            return self._dto(session, programme)

    def update(self, programme_id: int, data: ProgrammeInput) -> ProgrammeDTO:
        values = self._validate(data)
        with self._write() as session:
            programme = _get(session, programme_id)
            self._check_code(session, str(values["code"]), programme.id)
            for key, value in values.items():
                setattr(programme, key, value)
            self._apply(session, programme, data)
            session.flush()
            return self._dto(session, programme)

    def get(self, programme_id: int) -> ProgrammeDTO:
        with self.db.reading() as session:
            return self._dto(session, _get(session, programme_id))

    def get_by_code(self, code: str) -> ProgrammeDTO:
        with self.db.reading() as session:
            return self._dto(session, get_by_code(session, code))

    def delete(self, programme_id: int) -> None:
        with self._write() as session:
            programme = _get(session, programme_id)
            if session.scalar(select(exists().where(Grant.programme_id == programme.id))):
                raise ConflictError(
                    _("The programme “{name}” has grants and cannot be deleted.").format(name=programme.name)
                )
            session.delete(programme)

    def search(self, query: ListQuery = ListQuery()) -> Page[ProgrammeRow]:
        """Programmes with their number of grants; filters: status."""
        with self.db.reading() as session:
            rows, total = paginate(session, self._list_stmt(query), query)
            return Page([ProgrammeRow(**row) for row in rows], total)

    def _list_stmt(self, query: ListQuery) -> Select[Any]:
        grants = (
            select(func.count(Grant.id))
            .where(Grant.programme_id == Programme.id)
            .correlate(Programme)
            .scalar_subquery()
        )
        columns = {
            "code": Programme.code,
            "name": Programme.name,
            "name_ar": Programme.name_ar,
            "start_date": Programme.start_date,
            "end_date": Programme.end_date,
            "status": Programme.status,
            "budget": Programme.budget,
            "currency": Programme.currency,
            "grants": grants,
        }
        stmt = select(Programme.id, *[c.label(k) for k, c in columns.items()])
        condition = text_filter(Programme.search, query.text)
        if condition is not None:
            stmt = stmt.where(condition)
        if query.filters.get("status"):
            stmt = stmt.where(Programme.status == query.filters["status"])
        check_query(query, LIST_FILTERS, columns)
        sort = columns.get(query.sort or "start_date", Programme.start_date)
        return stmt.order_by(sort.desc() if query.descending else sort, Programme.code)

    def _dto(self, session: Session, p: Programme) -> ProgrammeDTO:
        totals = grant_totals_subquery()
        granted = Decimal("0.00")
        rows = session.execute(
            select(Grant.currency, Grant.eur_mad_rate, func.coalesce(totals.c.cents, 0))
            .outerjoin(totals, totals.c.grant_id == Grant.id)
            .where(Grant.programme_id == p.id, Grant.status != GrantStatus.CANCELLED)
        ).all()
        for currency, rate, cents in rows:
            amount = cents_to_decimal(cents)
            granted += amount if currency == p.currency else convert(amount, currency, rate)[0]
        reached = session.execute(
            select(func.coalesce(func.sum(Grant.women), 0), func.coalesce(func.sum(Grant.men), 0)).where(
                Grant.programme_id == p.id, Grant.status != GrantStatus.CANCELLED
            )
        ).one()

        def party(pp: ProgrammeParty) -> PartyDTO:
            o = pp.organisation
            return PartyDTO(o.id, o.code, o.name, o.name_ar, pp.role)

        return ProgrammeDTO(
            id=p.id,
            code=p.code,
            name=p.name,
            name_ar=p.name_ar,
            description=p.description,
            start_date=p.start_date,
            end_date=p.end_date,
            status=p.status,
            budget=p.budget,
            currency=p.currency,
            target_women=p.target_women,
            target_men=p.target_men,
            donors=tuple(party(pp) for pp in p.parties if pp.role == PartyRole.DONOR),
            partners=tuple(party(pp) for pp in p.parties if pp.role == PartyRole.PARTNER),
            zones=tuple(location_dto(z.location) for z in p.zones),
            granted=granted,
            reached_women=int(reached[0]),
            reached_men=int(reached[1]),
        )


def _get(session: Session, programme_id: int) -> Programme:
    programme = session.get(Programme, programme_id)
    if programme is None:
        raise NotFoundError(_("Unknown programme (id {id}).").format(id=programme_id), "programme")
    return programme
