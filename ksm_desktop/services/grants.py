"""Equipment grants (dotations): numbers, line items, totals and the status workflow."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, exists, extract, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased
from sqlalchemy.orm.attributes import flag_modified, set_committed_value

from ksm_desktop.db.models import (
    Grant,
    GrantCounter,
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
from ksm_desktop.db.models_security import AuditEntry
from ksm_desktop.domain.enums import (
    EDITABLE_GRANT_STATUSES,
    GRANT_TRANSITIONS,
    AttachmentKind,
    Currency,
    GrantKind,
    GrantStatus,
)
from ksm_desktop.domain.errors import ConflictError, NotFoundError, ValidationError
from ksm_desktop.domain.values import (
    format_grant_number,
    normalize_cin,
    normalize_serials,
    optional_text,
    required_text,
    search_key,
    to_money,
    to_rate,
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
    GrantItemInput,
    GrantRow,
)
from ksm_desktop.services.grant_view import grant_dto
from ksm_desktop.services.money import cents_to_decimal, grant_totals_subquery
from ksm_desktop.services.seals import seal_grant
from ksm_desktop.services.settings import CLOSE_NEEDS_SIGNED_PV, flag

QUANTUM = Decimal("0.001")

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


def _quantity(value: Decimal | int | str, field: str) -> Decimal:
    if isinstance(value, float):
        raise TypeError("quantities must not be floats")
    try:
        qty = Decimal(value).quantize(QUANTUM, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        raise ValidationError(_("“{value}” is not a valid quantity.").format(value=value), field) from None
    if qty <= 0:
        raise ValidationError(_("The quantity must be greater than zero."), field)
    return qty


def validate_items(items: list[GrantItemInput]) -> list[dict[str, Any]]:
    rows = []
    for n, item in enumerate(items, start=1):
        prefix = f"items.{n - 1}."
        designation = required_text(item.designation, prefix + "designation", N_("Designation"))
        price = to_money(item.unit_price, prefix + "unit_price")
        if price < 0:
            raise ValidationError(
                _("Line {n}: the unit price cannot be negative.").format(n=n), prefix + "unit_price"
            )
        try:
            quantity = _quantity(item.quantity, prefix + "quantity")
        except ValidationError as exc:
            raise ValidationError(
                _("Line {n}: {message}").format(n=n, message=exc.message), exc.field
            ) from exc
        try:
            serials = normalize_serials(item.serials, int(quantity), prefix + "serials")
        except ValidationError as exc:
            raise ValidationError(
                _("Line {n}: {message}").format(n=n, message=exc.message), exc.field
            ) from exc
        rows.append(
            {
                "position": n,
                "designation": designation,
                "quantity": quantity,
                "unit": optional_text(item.unit),
                "unit_price": price,
                "supplier": optional_text(item.supplier),
                "invoice_ref": optional_text(item.invoice_ref),
                "serials": serials,
            }
        )
    return rows


def new_item(row: dict[str, Any]) -> GrantItem:
    """A grant item from a row of `validate_items`, with its serial numbers."""
    item = GrantItem(**{key: value for key, value in row.items() if key != "serials"})
    item.serials = _serial_rows(row["serials"])
    return item


def _serial_rows(serials: list[str]) -> list[GrantItemSerial]:
    return [GrantItemSerial(position=n, serial=s) for n, s in enumerate(serials, start=1)]


def validate_grant(data: GrantInput) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The header values and item rows to store for `data`, or the first ValidationError."""
    recipients = (data.organisation_id, data.person_id, data.household_id)
    if sum(r is not None for r in recipients) != 1:
        raise ValidationError(
            _("Choose the recipient: one organisation, one person or one household."), "recipient"
        )
    try:
        kind = GrantKind(data.kind).value
    except ValueError:
        raise ValidationError(_("Unknown grant kind “{kind}”.").format(kind=data.kind), "kind") from None
    try:
        currency = Currency(data.currency).value
    except ValueError:
        raise ValidationError(_("The currency must be EUR or MAD."), "currency") from None
    for field, value in (
        ("women", data.women),
        ("men", data.men),
        ("unspecified", data.unspecified),
    ):
        if value is None or value < 0:
            raise ValidationError(_("A number of beneficiaries cannot be negative."), field)
    header = {
        "purpose": required_text(data.purpose, "purpose", N_("Purpose")),
        "kind": kind,
        "programme_id": data.programme_id,
        "organisation_id": data.organisation_id,
        "person_id": data.person_id,
        "household_id": data.household_id,
        "currency": currency,
        "eur_mad_rate": to_rate(data.eur_mad_rate, "eur_mad_rate"),
        "rate_date": data.rate_date,
        "grant_date": data.grant_date or dt.date.today(),
        "women": data.women,
        "men": data.men,
        "unspecified": data.unspecified,
        "notes": optional_text(data.notes),
    }
    return header, validate_items(data.items)


def provisional_number() -> str:
    """A grant's number until `number_grants` gives it the real one at the end of its save:
    unique (nobody else's save waits on it), and never a real number."""
    return "~" + uuid.uuid4().hex[:19]


def number_grants(session: Session, grants: list[Grant], year: int) -> list[str]:
    """Give `grants`, saved with provisional numbers, the next consecutive numbers of `year`
    (e.g. KSM-2026-0007), as the very last statements of their save.

    The year's counter is raised by one atomic upsert that returns the new last number: its row
    stays locked until the transaction ends, so people saving at the same moment on a server queue
    up for it instead of taking the same number, and numbers are never reused nor skipped. Taking
    it last keeps that queue short: everything else of the save is already written. The grant rows,
    their search text and their creation in the audit log then get the real number.
    """
    session.flush()
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    count = len(grants)
    upsert = (
        insert(GrantCounter)
        .values(year=year, last=count)
        .on_conflict_do_update(index_elements=[GrantCounter.year], set_={"last": GrantCounter.last + count})
        .returning(GrantCounter.last)
    )
    first = int(session.execute(upsert).scalar_one()) - count + 1
    numbers = [format_grant_number(year, first + n) for n in range(count)]
    rows = [
        {"g_id": g.id, "old": g.number, "new": number, "old_key": search_key(g.number)}
        | {"new_key": search_key(number)}
        for g, number in zip(grants, numbers, strict=True)
    ]
    # Straight to the connection: the ORM would log these as changes and raise the versions.
    connection = session.connection()
    connection.execute(
        update(Grant)
        .where(Grant.id == bindparam("g_id"))
        .values(
            number=bindparam("new"),
            search=func.replace(Grant.search, bindparam("old_key"), bindparam("new_key")),
        ),
        rows,
    )
    connection.execute(
        update(AuditEntry)
        .where(AuditEntry.entity == "grant", AuditEntry.entity_id == bindparam("g_id"))
        .values(
            label=func.replace(AuditEntry.label, bindparam("old"), bindparam("new")),
            changes=func.replace(AuditEntry.changes, bindparam("old"), bindparam("new")),
        ),
        rows,
    )
    for grant, number in zip(grants, numbers, strict=True):
        grant_search = grant.search.replace(search_key(grant.number), search_key(number))
        set_committed_value(grant, "number", number)
        set_committed_value(grant, "search", grant_search)
    return numbers


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
            item.serials = _serial_rows(values)
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
