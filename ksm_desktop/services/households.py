"""Households (families) as grant recipients, and the same grant handed to many households at once."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import replace
from typing import Any

from sqlalchemy import Select, extract, func, select
from sqlalchemy.orm import Session, aliased

from ksm_desktop.db.models import Grant, GrantEvent, Location, Person, Programme
from ksm_desktop.db.models_fieldwork import Household
from ksm_desktop.domain.enums import GrantStatus, LocationLevel
from ksm_desktop.domain.errors import ConflictError, NotFoundError, ValidationError
from ksm_desktop.domain.values import optional_text, search_key
from ksm_desktop.i18n import _
from ksm_desktop.services.base import ListQuery, Page, Service, check_query, now, paginate, text_filter
from ksm_desktop.services.dto import GrantInput
from ksm_desktop.services.dto_fieldwork import (
    EquipmentDTO,
    EquipmentProgress,
    EquippedPeriod,
    HouseholdAllocation,
    HouseholdDTO,
    HouseholdInput,
    HouseholdRow,
)
from ksm_desktop.services.grant_numbers import number_grants, provisional_number
from ksm_desktop.services.grant_rules import new_item, validate_grant

HOUSEHOLD_LEVELS = (LocationLevel.TRIBE, LocationLevel.DOUAR)

# The filters its list accepts (ListQuery.filters keys).
LIST_FILTERS = ("programme_id", "location_id")


def _household_dto(session: Session, h: Household) -> HouseholdDTO:
    head = session.get(Person, h.head_id)
    loc = session.get(Location, h.location_id)
    programme = session.get(Programme, h.programme_id) if h.programme_id else None
    assert head is not None and loc is not None
    return HouseholdDTO(
        id=h.id,
        code=h.code,
        programme_id=h.programme_id,
        programme_code=programme.code if programme else None,
        head_id=head.id,
        head_name=f"{head.first_name} {head.last_name}",
        head_name_ar=head.full_name_ar,
        head_cin=head.cin,
        head_sex=head.sex,
        size=h.size,
        location_id=loc.id,
        location_level=loc.level,
        location_name=loc.name,
        commune=loc.parent.name if loc.parent else None,
        notes=h.notes,
    )


def _get(session: Session, household_id: int) -> Household:
    household = session.get(Household, household_id)
    if household is None:
        raise NotFoundError(_("Unknown household (id {id}).").format(id=household_id), "household")
    return household


class HouseholdService(Service):
    def create(self, data: HouseholdInput) -> HouseholdDTO:
        with self._write() as session:
            household = self._add_all(session, [data])[0]
            return _household_dto(session, household)

    def bulk_create(self, rows: list[HouseholdInput]) -> list[int]:
        """Many households in one transaction (a programme's beneficiary list): all or none;
        a bad row's message starts with its 1-based number."""
        with self._write() as session:
            return [h.id for h in self._add_all(session, rows)]

    def _add_all(self, session: Session, rows: list[HouseholdInput]) -> list[Household]:
        households, heads, codes = [], set(), set()
        wanted = [r.head_id for r in rows]
        for start in range(0, len(wanted), 500):  # load the heads at once (session.get then hits the map)
            list(session.scalars(select(Person).where(Person.id.in_(wanted[start : start + 500]))))
        with session.no_autoflush:
            for n, data in enumerate(rows, start=1):
                try:
                    values = self._validate(session, data, None)
                    if values["head_id"] in heads:
                        raise ConflictError(
                            _("This person already heads another household of the list."), "head"
                        )
                    if values["code"] and values["code"] in codes:
                        raise ConflictError(
                            _("The code {code} is already used.").format(code=values["code"]), "code"
                        )
                except (ValidationError, ConflictError, NotFoundError) as exc:
                    if len(rows) == 1:
                        raise
                    raise type(exc)(
                        _("Row {n}: {message}").format(n=n, message=exc.message), exc.field
                    ) from exc
                heads.add(values["head_id"])
                codes.add(values["code"])
                households.append(Household(**values))
        session.add_all(households)
        session.flush()
        for household in households:
            if not household.code:
                household.code = f"FAM-{household.id:05d}"
            household.search = search_key(household.code, household.search)
        session.flush()
        return households

    def update(self, household_id: int, data: HouseholdInput) -> HouseholdDTO:
        with self._write() as session:
            household = _get(session, household_id)
            values = self._validate(session, data, household_id)
            values["code"] = values["code"] or household.code
            for key, value in values.items():
                setattr(household, key, value)
            household.search = search_key(household.code, household.search)
            session.flush()
            return _household_dto(session, household)

    def get(self, household_id: int) -> HouseholdDTO:
        with self.db.reading() as session:
            return _household_dto(session, _get(session, household_id))

    def delete(self, household_id: int) -> None:
        """A household that received grants is kept (its grants are the delivery record)."""
        with self._write() as session:
            household = _get(session, household_id)
            if session.scalar(select(func.count(Grant.id)).where(Grant.household_id == household_id)):
                raise ConflictError(
                    _("Household {code} received grants and cannot be deleted.").format(code=household.code)
                )
            session.delete(household)

    def search(self, query: ListQuery = ListQuery()) -> Page[HouseholdRow]:
        """Households with their equipment; filters: programme_id, location_id (tribe/douar)."""
        with self.db.reading() as session:
            rows, total = paginate(session, self._list_stmt(query), query)
            equipment: dict[int, list[EquipmentDTO]] = defaultdict(list)
            ids = [r["id"] for r in rows]
            for start in range(0, len(ids), 500):
                stmt = (
                    select(Grant.household_id, Grant.number, Grant.purpose, Grant.status, Grant.delivered_on)
                    .where(Grant.household_id.in_(ids[start : start + 500]))
                    .order_by(Grant.number)
                )
                for hid, number, purpose, status, delivered in session.execute(stmt):
                    equipment[hid].append(EquipmentDTO(number, purpose, status, delivered))
            return Page(
                [HouseholdRow(**r, equipment=tuple(equipment[r["id"]])) for r in rows],
                total,
            )

    def _list_stmt(self, query: ListQuery) -> Select[Any]:
        commune = aliased(Location)
        columns = {
            "code": Household.code,
            "programme": Programme.code,
            "head_name": Person.first_name + " " + Person.last_name,
            "head_cin": Person.cin,
            "size": Household.size,
            "location_level": Location.level,
            "location_name": Location.name,
            "commune": commune.name,
        }
        stmt = (
            select(Household.id, *[c.label(k) for k, c in columns.items()])
            .join(Person, Person.id == Household.head_id)
            .join(Location, Location.id == Household.location_id)
            .outerjoin(commune, commune.id == Location.parent_id)
            .outerjoin(Programme, Programme.id == Household.programme_id)
        )
        condition = text_filter(Household.search, query.text)
        if condition is not None:
            stmt = stmt.where(condition)
        for key, column in (("programme_id", Household.programme_id), ("location_id", Household.location_id)):
            if query.filters.get(key):
                stmt = stmt.where(column == query.filters[key])
        check_query(query, LIST_FILTERS, columns)
        sort = columns.get(query.sort or "code", Household.code)
        return stmt.order_by(sort.desc() if query.descending else sort, Household.id)

    def grant_to_households(self, data: GrantInput, allocations: list[HouseholdAllocation]) -> list[str]:
        """The same grant (items, purpose, programme) for many households, each with its own number,
        in one transaction: all are created or none. A household with an installation date gets its
        grant recorded as delivered that day, received by its head. Returns the numbers, in order."""
        if data.organisation_id is not None or data.person_id is not None:
            raise ValidationError(_("A grant to households cannot also name another recipient."), "recipient")
        if not allocations:
            raise ValidationError(_("Choose at least one household."), "households")
        header, items = validate_grant(replace(data, household_id=allocations[0].household_id))
        if not items:
            raise ValidationError(_("Add at least one item before validating the grant."), "items")
        for n, row in enumerate(items):
            if row["serials"]:
                raise ValidationError(
                    _("Serial numbers belong to one grant: record them on each household's grant."),
                    f"items.{n}.serials",
                )
        today = dt.date.today()
        seen: set[int] = set()
        for n, a in enumerate(allocations, start=1):
            if a.household_id in seen:
                raise ConflictError(
                    _("Row {n}: this household is already in the list.").format(n=n), "households"
                )
            seen.add(a.household_id)
            if a.installed_on is not None and a.installed_on > today:
                raise ValidationError(
                    _("Row {n}: the installation date cannot be in the future.").format(n=n), "installed_on"
                )
            if a.installed_on is not None and a.installed_on < header["grant_date"]:
                raise ValidationError(
                    _("Row {n}: the installation date cannot be before the grant date.").format(n=n),
                    "installed_on",
                )
        with self._write() as session:
            if header["programme_id"] is not None and session.get(Programme, header["programme_id"]) is None:
                raise NotFoundError(
                    _("Unknown programme (id {id}).").format(id=header["programme_id"]), "programme"
                )
            found = self._heads(session, list(seen))
            for n, a in enumerate(allocations, start=1):
                if a.household_id not in found:
                    raise NotFoundError(
                        _("Row {n}: unknown household (id {id}).").format(n=n, id=a.household_id),
                        "households",
                    )
            stamp, user = now(), self.actor.username
            year = header["grant_date"].year
            grants = []
            for a in allocations:
                code, name, cin, name_ar, place = found[a.household_id]
                grant = Grant(
                    **(header | {"household_id": a.household_id}),
                    number=provisional_number(),
                    status=GrantStatus.DRAFT.value,
                    created_at=stamp,
                    created_by=user,
                )
                grant.search = search_key(grant.number, grant.purpose, code, name, name_ar)
                grant.items = [new_item(row) for row in items]
                grant.events = [GrantEvent(status=GrantStatus.DRAFT.value, at=stamp, user=user)]
                if a.installed_on is not None:
                    grant.status = GrantStatus.DELIVERED.value
                    grant.delivered_on = a.installed_on
                    grant.delivery_place = place
                    grant.received_by_name = name
                    grant.received_by_cin = cin
                    grant.received_by_role = _("Head of household")
                    grant.events += [
                        GrantEvent(status=s.value, at=stamp, user=user)
                        for s in (GrantStatus.VALIDATED, GrantStatus.DELIVERED)
                    ]
                session.add(grant)
                grants.append(grant)
            return number_grants(session, grants, year)

    def equipment_progress(self, programme_id: int) -> EquipmentProgress:
        """Households equipped per quarter: each household counted once, at its first installation
        (a delivered grant of the programme), e.g. AQUA-NOOR's 135 families in 2021 and 40 in Q1 2022."""
        delivered = (GrantStatus.DELIVERED.value, GrantStatus.CLOSED.value)
        with self.db.reading() as session:
            programme = session.get(Programme, programme_id)
            if programme is None:
                raise NotFoundError(_("Unknown programme (id {id}).").format(id=programme_id), "programme")
            first = (
                select(Grant.household_id, func.min(Grant.delivered_on).label("on"))
                .where(
                    Grant.programme_id == programme_id,
                    Grant.household_id.is_not(None),
                    Grant.status.in_(delivered),
                )
                .group_by(Grant.household_id)
                .subquery()
            )
            year, month = extract("year", first.c.on), extract("month", first.c.on)
            periods = [
                EquippedPeriod(int(y), (int(m) - 1) // 3 + 1, int(n))
                for y, m, n in session.execute(
                    select(year, month, func.count()).group_by(year, month).order_by(year, month)
                )
            ]
            merged: dict[tuple[int, int], int] = defaultdict(int)
            for p in periods:
                merged[(p.year, p.quarter)] += p.households
            households = session.scalar(
                select(func.count(Household.id)).where(Household.programme_id == programme_id)
            )
            return EquipmentProgress(
                programme_code=programme.code,
                households=int(households or 0),
                equipped=sum(merged.values()),
                periods=tuple(EquippedPeriod(y, q, n) for (y, q), n in sorted(merged.items())),
            )

    # --- rules ---------------------------------------------------------------------------------

    def _validate(self, session: Session, data: HouseholdInput, own_id: int | None) -> dict[str, Any]:
        if data.size is None or data.size < 1:
            raise ValidationError(_("The household size must be at least 1."), "size")
        head = session.get(Person, data.head_id)
        if head is None:
            raise NotFoundError(_("Unknown person (id {id}).").format(id=data.head_id), "head")
        other = session.scalar(
            select(Household.code).where(Household.head_id == data.head_id, Household.id != (own_id or 0))
        )
        if other is not None:
            raise ConflictError(
                _("{name} already heads household {code}.").format(
                    name=f"{head.first_name} {head.last_name}", code=other
                ),
                "head",
            )
        loc = session.get(Location, data.location_id)
        if loc is None:
            raise NotFoundError(_("Unknown location (id {id}).").format(id=data.location_id), "location")
        if loc.level not in HOUSEHOLD_LEVELS:
            raise ValidationError(_("Choose the household's tribe or douar."), "location")
        if data.programme_id is not None and session.get(Programme, data.programme_id) is None:
            raise NotFoundError(_("Unknown programme (id {id}).").format(id=data.programme_id), "programme")
        code = (data.code or "").strip().upper() or None
        if code is not None:
            taken = session.scalar(
                select(Household.id).where(Household.code == code, Household.id != (own_id or 0))
            )
            if taken is not None:
                raise ConflictError(
                    _("The code {code} is already used.").format(code=code), "code", existing_id=taken
                )
        return {
            "code": code or "",
            "head_id": head.id,
            "size": data.size,
            "location_id": loc.id,
            "programme_id": data.programme_id,
            "notes": optional_text(data.notes),
            "search": search_key(head.first_name, head.last_name, head.full_name_ar, head.cin, loc.name),
        }

    def _heads(
        self, session: Session, ids: list[int]
    ) -> dict[int, tuple[str, str, str | None, str | None, str]]:
        """Per household id: code, head's name, CIN, Arabic name, and its tribe/douar (the place)."""
        found = {}
        for start in range(0, len(ids), 500):
            stmt = (
                select(
                    Household.id,
                    Household.code,
                    Person.first_name + " " + Person.last_name,
                    Person.cin,
                    Person.full_name_ar,
                    Location.name,
                )
                .join(Person, Person.id == Household.head_id)
                .join(Location, Location.id == Household.location_id)
                .where(Household.id.in_(ids[start : start + 500]))
            )
            for hid, *rest in session.execute(stmt):
                found[hid] = tuple(rest)
        return found
