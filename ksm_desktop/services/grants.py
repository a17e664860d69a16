"""Equipment grants (dotations): numbers, line items, totals and the status workflow."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, extract, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased
from sqlalchemy.orm.attributes import flag_modified

from ksm_desktop.db.models import (
    Grant,
    GrantEvent,
    GrantItem,
    GrantItemSerial,
    Location,
    Organisation,
    Person,
    Programme,
)
from ksm_desktop.db.models_attachments import Attachment
from ksm_desktop.db.models_fieldwork import Household
from ksm_desktop.domain.enums import (
    EDITABLE_GRANT_STATUSES,
    GRANT_TRANSITIONS,
    AttachmentKind,
    GrantStatus,
)
from ksm_desktop.domain.errors import ConflictError, NotFoundError, ValidationError
from ksm_desktop.domain.values import (
    cents_to_decimal,
    normalize_cin,
    normalize_serials,
    optional_text,
    required_text,
    search_key,
)
from ksm_desktop.i18n import N_, _
from ksm_desktop.i18n.formatting import format_datetime
from ksm_desktop.services.base import (
    ListQuery,
    Page,
    Service,
    check_query,
    check_version,
    mask,
    now,
    paginate,
    text_filter,
)
from ksm_desktop.services.dto import (
    DeliveryInput,
    GrantDTO,
    GrantInput,
    GrantRow,
)
from ksm_desktop.services.grant_numbers import number_grants, provisional_number
from ksm_desktop.services.grant_rules import new_item, serial_rows, validate_grant
from ksm_desktop.services.grant_view import grant_dto
from ksm_desktop.services.money import grant_totals_subquery
from ksm_desktop.services.seals import seal_grant
from ksm_desktop.services.settings import CLOSE_NEEDS_SIGNED_PV, flag

# The filters its list accepts (ListQuery.filters keys).
LIST_FILTERS = (
    "programme_id",
    "status",
    "organisation_id",
    "person_id",
    "household_id",
    "kind",
    "province_id",
    "sector",
    "year",
    "date_from",
    "date_to",
    "live",
    "without_signed_pv",
)


class GrantService(Service):
    def create(self, data: GrantInput) -> GrantDTO:
        header, items = validate_grant(data)
        with self._write() as session:
            self._check_refs(session, header)
            stamp = now()
            grant = Grant(
                **header,
                number=provisional_number(),
                status=GrantStatus.DRAFT.value,
                created_at=stamp,
                created_by=self.actor.username,
            )
            grant.items = [new_item(row) for row in items]
            grant.events = [GrantEvent(status=GrantStatus.DRAFT.value, at=stamp, user=self.actor.username)]
            session.add(grant)
            session.flush()
            index_grant(session, grant)
            dto = grant_dto(session, grant)
            (number,) = number_grants(session, [grant], header["grant_date"].year)
            return replace(dto, number=number)

    def update(self, grant_id: int, data: GrantInput) -> GrantDTO:
        header, items = validate_grant(data)
        with self._write() as session:
            grant = _get(session, grant_id)
            check_version(session, grant, data.version, "grant")
            self._ensure_editable(grant)
            self._check_refs(session, header)
            for key, value in header.items():
                setattr(grant, key, value)
            grant.items = [new_item(row) for row in items]
            flag_modified(grant, "search")  # a new version even when only the items changed
            session.flush()
            index_grant(session, grant)
            return grant_dto(session, grant)

    def set_serials(
        self, grant_id: int, position: int, serials: list[str], *, version: int | None = None
    ) -> GrantDTO:
        """Replace the serial numbers of line `position` (1, 2…), while the grant's content can
        still change: from delivery on they are frozen like the items themselves."""
        with self._write() as session:
            grant = _get(session, grant_id)
            check_version(session, grant, version, "grant")
            self._ensure_editable(grant)
            item = next((i for i in grant.items if i.position == position), None)
            if item is None:
                raise NotFoundError(
                    _("Grant {number} has no line {n}.").format(number=grant.number, n=position), "items"
                )
            field = f"items.{position - 1}.serials"
            try:
                values = normalize_serials(serials, int(item.quantity), field)
            except ValidationError as exc:
                raise ValidationError(
                    _("Line {n}: {message}").format(n=position, message=exc.message), exc.field
                ) from exc
            item.serials = []
            session.flush()  # the old numbers leave before the same numbers come back
            item.serials = serial_rows(values)
            flag_modified(grant, "search")  # a new version of the grant
            session.flush()
            index_grant(session, grant)
            return grant_dto(session, grant)

    def get(self, grant_id: int) -> GrantDTO:
        with self.db.reading() as session:
            return self._masked(grant_dto(session, _get(session, grant_id)))

    def get_by_number(self, number: str) -> GrantDTO:
        with self.db.reading() as session:
            return self._masked(grant_dto(session, get_by_number(session, number)))

    def _masked(self, dto: GrantDTO) -> GrantDTO:
        """The receiver's CIN hidden from read-only accounts."""
        if self.actor.sees_personal_data:
            return dto
        return replace(dto, received_by_cin=mask(dto.received_by_cin))

    def delete(self, grant_id: int) -> None:
        """Only a draft can be deleted (its number is not reused); later grants are cancelled instead."""
        with self._write() as session:
            grant = _get(session, grant_id)
            if grant.status != GrantStatus.DRAFT:
                raise ConflictError(
                    _("Grant {number} is no longer a draft: cancel it instead of deleting it.").format(
                        number=grant.number
                    ),
                    "status",
                )
            session.delete(grant)

    def transition(
        self,
        grant_id: int,
        target: str,
        *,
        note: str | None = None,
        delivery: DeliveryInput | None = None,
        version: int | None = None,
    ) -> GrantDTO:
        """Move a grant to its next status, stamped with today's date and the current user.

        `version` is the one the form read: a step taken meanwhile by someone else is refused
        with who and when. Two people taking a step at the same moment: the row's version makes
        the second UPDATE match nothing, the step is run again and finds the new status."""
        try:
            status = GrantStatus(target)
        except ValueError:
            raise ValidationError(
                _("Unknown grant status “{status}”.").format(status=target), "status"
            ) from None
        with self._write() as session:
            grant = _get(session, grant_id)
            check_version(session, grant, version, "grant")
            current = GrantStatus(grant.status)
            if current == status and grant.events:
                last = grant.events[-1]
                raise ConflictError(
                    _("This grant is already “{status}” ({user}, {when}).").format(
                        status=status.label, user=last.user, when=format_datetime(last.at)
                    ),
                    "status",
                )
            if status not in GRANT_TRANSITIONS[current]:
                raise ConflictError(
                    _("A grant that is “{current}” cannot become “{target}”.").format(
                        current=current.label, target=status.label
                    ),
                    "status",
                )
            if status == GrantStatus.VALIDATED:
                self._check_complete(grant)
            elif status == GrantStatus.DELIVERED:
                self._record_delivery(grant, delivery)
            elif status == GrantStatus.CLOSED and flag(session, CLOSE_NEEDS_SIGNED_PV):
                if not session.scalar(select(has_signed_pv(grant.id))):
                    raise ValidationError(
                        _("Attach the signed handover certificate (PV signé) before closing the grant."),
                        "signed_pv",
                    )
            elif status == GrantStatus.CANCELLED:
                reason = optional_text(note)
                if reason is None:
                    raise ValidationError(_("Give the reason for cancelling."), "note")
                grant.cancel_reason = reason
            if status == GrantStatus.DELIVERED:  # what is delivered is frozen: sealed as it stands
                seal_grant(session, grant, self.actor.username)
            grant.status = status.value
            grant.events.append(
                GrantEvent(
                    status=status.value,
                    at=now(),
                    user=self.actor.username,
                    note=optional_text(note),
                )
            )
            session.flush()
            if status == GrantStatus.VALIDATED:
                seal_grant(session, grant, self.actor.username)
            return grant_dto(session, grant)

    def search(self, query: ListQuery = ListQuery()) -> Page[GrantRow]:
        """Grants with their totals; filters: programme_id, status, organisation_id, person_id,
        household_id, kind, province_id and sector (of the recipient, as on the dashboard), year,
        date_from and date_to (grant date), live (not cancelled: the grants the dashboard sums)."""
        with self.db.reading() as session:
            rows, total = paginate(session, self._list_stmt(query), query)
            return Page(
                [GrantRow(**(row | {"total": cents_to_decimal(row["total"])})) for row in rows], total
            )

    def serials_of(self, grant_ids: list[int]) -> dict[int, list[str]]:
        """The serial numbers of each grant (line by line), for the grants that have some."""
        stmt = (
            select(GrantItem.grant_id, GrantItemSerial.serial)
            .join(GrantItemSerial, GrantItemSerial.item_id == GrantItem.id)
            .where(GrantItem.grant_id.in_(grant_ids))
            .order_by(GrantItem.grant_id, GrantItem.position, GrantItemSerial.position)
        )
        found: dict[int, list[str]] = {}
        with self.db.reading() as session:
            for grant_id, serial in session.execute(stmt):
                found.setdefault(grant_id, []).append(serial)
        return found

    def _list_stmt(self, query: ListQuery) -> Select[Any]:
        totals = grant_totals_subquery()
        loc = aliased(Location)
        head = aliased(Person)
        recipient = func.coalesce(
            Organisation.name,
            Person.first_name + " " + Person.last_name,
            head.first_name + " " + head.last_name,
        )
        columns = {
            "number": Grant.number,
            "recipient": recipient,
            "recipient_ar": func.coalesce(Organisation.name_ar, Person.full_name_ar, head.full_name_ar),
            "programme": Programme.code,
            "kind": Grant.kind,
            "purpose": Grant.purpose,
            "status": Grant.status,
            "total": func.coalesce(totals.c.cents, 0),
            "currency": Grant.currency,
            "women": Grant.women,
            "men": Grant.men,
            "unspecified": Grant.unspecified,
            "grant_date": Grant.grant_date,
        }
        stmt = (
            select(Grant.id, *[c.label(k) for k, c in columns.items()])
            .outerjoin(totals, totals.c.grant_id == Grant.id)
            .outerjoin(Organisation, Organisation.id == Grant.organisation_id)
            .outerjoin(Person, Person.id == Grant.person_id)
            .outerjoin(Household, Household.id == Grant.household_id)
            .outerjoin(head, head.id == Household.head_id)
            .outerjoin(Programme, Programme.id == Grant.programme_id)
        )
        condition = text_filter(Grant.search, query.text)
        if condition is not None:
            stmt = stmt.where(condition)
        f = query.filters
        for key, column in (
            ("programme_id", Grant.programme_id),
            ("status", Grant.status),
            ("organisation_id", Grant.organisation_id),
            ("person_id", Grant.person_id),
            ("household_id", Grant.household_id),
            ("kind", Grant.kind),
        ):
            if f.get(key):
                stmt = stmt.where(column == f[key])
        if f.get("province_id"):  # where the organisation, person or household is
            place = func.coalesce(Organisation.location_id, Person.location_id, Household.location_id)
            stmt = stmt.join(loc, loc.id == place).where(loc.province_id == f["province_id"])
        if f.get("sector"):
            stmt = stmt.where(Organisation.sector == f["sector"])
        if f.get("year"):
            stmt = stmt.where(extract("year", Grant.grant_date) == f["year"])
        if f.get("date_from"):
            stmt = stmt.where(Grant.grant_date >= f["date_from"])
        if f.get("date_to"):
            stmt = stmt.where(Grant.grant_date <= f["date_to"])
        if f.get("live"):
            stmt = stmt.where(Grant.status != GrantStatus.CANCELLED)
        if f.get("without_signed_pv"):  # handed over, but the signed copy never came back
            delivered = Grant.status.in_([GrantStatus.DELIVERED, GrantStatus.CLOSED])
            stmt = stmt.where(delivered, ~has_signed_pv(Grant.id))
        check_query(query, LIST_FILTERS, columns)
        sort = columns.get(query.sort or "number", Grant.number)
        return stmt.order_by(sort.desc() if query.descending else sort, Grant.id)

    # --- rules ---------------------------------------------------------------------------------

    def _ensure_editable(self, grant: Grant) -> None:
        if grant.status not in EDITABLE_GRANT_STATUSES:
            raise ConflictError(
                _("Grant {number} is “{status}”: its content can no longer change.").format(
                    number=grant.number, status=GrantStatus(grant.status).label
                ),
                "status",
            )

    def _check_refs(self, session: Session, header: dict[str, Any]) -> None:
        if header["programme_id"] is not None and session.get(Programme, header["programme_id"]) is None:
            raise NotFoundError(
                _("Unknown programme (id {id}).").format(id=header["programme_id"]), "programme"
            )
        if (
            header["organisation_id"] is not None
            and session.get(Organisation, header["organisation_id"]) is None
        ):
            raise NotFoundError(
                _("Unknown organisation (id {id}).").format(id=header["organisation_id"]),
                "recipient",
            )
        if header["person_id"] is not None and session.get(Person, header["person_id"]) is None:
            raise NotFoundError(_("Unknown person (id {id}).").format(id=header["person_id"]), "recipient")
        if header["household_id"] is not None and session.get(Household, header["household_id"]) is None:
            raise NotFoundError(
                _("Unknown household (id {id}).").format(id=header["household_id"]), "recipient"
            )

    def _check_complete(self, grant: Grant) -> None:
        if not grant.items:
            raise ValidationError(_("Add at least one item before validating the grant."), "items")

    def _record_delivery(self, grant: Grant, delivery: DeliveryInput | None) -> None:
        if delivery is None:
            raise ValidationError(_("Record the delivery: date, place and who received it."), "delivery")
        if delivery.delivered_on > dt.date.today():
            raise ValidationError(_("The delivery date cannot be in the future."), "delivered_on")
        if grant.grant_date and delivery.delivered_on < grant.grant_date:
            raise ValidationError(_("The delivery date cannot be before the grant date."), "delivered_on")
        grant.delivered_on = delivery.delivered_on
        grant.delivery_place = required_text(delivery.place, "delivery_place", N_("Place"))
        grant.received_by_name = required_text(
            delivery.received_by_name, "received_by_name", N_("Received by")
        )
        grant.received_by_cin = normalize_cin(delivery.received_by_cin, "received_by_cin")
        grant.received_by_role = optional_text(delivery.received_by_role)


def has_signed_pv(grant_id: int | InstrumentedAttribute[int]) -> ColumnElement[bool]:
    """The grant has its signed handover certificate attached (and not removed)."""
    return exists().where(
        Attachment.grant_id == grant_id,
        Attachment.kind == AttachmentKind.SIGNED_PV,
        Attachment.removed_at.is_(None),
    )


def index_grant(session: Session, grant: Grant) -> None:
    """Set the grant's search text: number, purpose, its items' serial numbers and its recipient's
    code, name, Arabic name or CIN (recomputed when an anonymised recipient's identity goes away)."""
    names = (
        session.execute(
            select(Organisation.code, Organisation.name, Organisation.name_ar).where(
                Organisation.id == grant.organisation_id
            )
        ).first()
        or session.execute(
            select(Person.cin, Person.first_name + " " + Person.last_name, Person.full_name_ar).where(
                Person.id == grant.person_id
            )
        ).first()
        or session.execute(
            select(Household.code, Person.first_name + " " + Person.last_name, Person.full_name_ar)
            .join(Person, Person.id == Household.head_id)
            .where(Household.id == grant.household_id)
        ).first()
    )
    serials = [s.serial for item in grant.items for s in item.serials]
    grant.search = search_key(grant.number, grant.purpose, *(names or ()), *serials)


def get_by_number(session: Session, number: str) -> Grant:
    grant = session.scalars(select(Grant).where(Grant.number == number.strip().upper())).first()
    if grant is None:
        raise NotFoundError(_("No grant has the number “{number}”.").format(number=number), "number")
    return grant


def _get(session: Session, grant_id: int) -> Grant:
    grant = session.get(Grant, grant_id)
    if grant is None:
        raise NotFoundError(_("Unknown grant (id {id}).").format(id=grant_id), "grant")
    return grant
