"""Follow-up visits to AGR and cooperatives: observations, monthly revenue, production, and the
condition of each piece of equipment delivered.

A visit's photos (and the photo of one piece) are attachments (services/attachments.py): stored,
checked and refused by the same rules as every other file."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ksm_desktop.db.models import Grant, GrantItem, Organisation
from ksm_desktop.db.models_attachments import Attachment
from ksm_desktop.db.models_fieldwork import Visit, VisitPiece
from ksm_desktop.domain.enums import GrantKind, GrantStatus, PieceCondition
from ksm_desktop.domain.errors import NotFoundError, ValidationError
from ksm_desktop.domain.values import optional_text, required_text, to_figure, to_money
from ksm_desktop.i18n import _
from ksm_desktop.i18n.formatting import format_date
from ksm_desktop.services.base import Service
from ksm_desktop.services.dto_fieldwork import (
    PieceConditionDTO,
    PieceDTO,
    PieceInput,
    TrendPoint,
    VisitDTO,
    VisitInput,
)


def validate_visit(data: VisitInput) -> dict[str, Any]:
    if data.visited_on is None or data.visited_on > dt.date.today():
        raise ValidationError(_("The visit date cannot be in the future."), "visited_on")
    revenue = None
    if data.monthly_revenue is not None:
        revenue = to_money(data.monthly_revenue, "monthly_revenue")
        if revenue < 0:
            raise ValidationError(_("The monthly revenue cannot be negative."), "monthly_revenue")
    quantity = None
    if data.production_quantity is not None:
        quantity = to_figure(
            data.production_quantity, "production_quantity", _("“{value}” is not a valid quantity.")
        )
        if quantity < 0:
            raise ValidationError(_("The production cannot be negative."), "production_quantity")
    unit = optional_text(data.production_unit)
    if quantity is not None and unit is None:
        raise ValidationError(_("Give the unit of the production (kg, pieces, loaves…)."), "production_unit")
    return {
        "organisation_id": data.organisation_id,
        "visited_on": data.visited_on,
        "visitor": required_text(data.visitor, "visitor", _("Visitor")),
        "observations": optional_text(data.observations),
        "monthly_revenue": revenue,
        "production_quantity": quantity,
        "production_unit": unit if quantity is not None else None,
        "problems": optional_text(data.problems),
    }


def _visit_dto(session: Session, v: Visit) -> VisitDTO:
    org = session.get(Organisation, v.organisation_id)
    assert org is not None
    photos = _piece_photos(session, v.id)
    return VisitDTO(
        id=v.id,
        organisation_id=v.organisation_id,
        organisation_name=org.name,
        visited_on=v.visited_on,
        visitor=v.visitor,
        observations=v.observations,
        monthly_revenue=v.monthly_revenue,
        production_quantity=v.production_quantity,
        production_unit=v.production_unit,
        problems=v.problems,
        pieces=tuple(
            PieceConditionDTO(p.id, p.item_id, p.serial_id, p.condition, p.count, photos.get(p.id, ()))
            for p in v.pieces
        ),
    )


def _piece_photos(session: Session, visit_id: int) -> dict[int, tuple[int, ...]]:
    """The kept attachments of each piece the visit recorded, by piece id."""
    stmt = (
        select(Attachment.visit_piece_id, Attachment.id)
        .where(
            Attachment.visit_id == visit_id,
            Attachment.visit_piece_id.is_not(None),
            Attachment.removed_at.is_(None),
        )
        .order_by(Attachment.id)
    )
    found: dict[int, tuple[int, ...]] = {}
    for piece_id, attachment_id in session.execute(stmt).tuples():
        assert piece_id is not None
        found[piece_id] = (*found.get(piece_id, ()), attachment_id)
    return found


# Equipment a visit can find: what the organisation received in grants of equipment once delivered.
DELIVERED = (GrantStatus.DELIVERED.value, GrantStatus.CLOSED.value)


def equipment_items(session: Session, *where: Any) -> list[tuple[Grant, GrantItem]]:
    """Items of delivered (or closed) equipment grants matching `where`, by grant number and line."""
    stmt = (
        select(Grant, GrantItem)
        .join(GrantItem, GrantItem.grant_id == Grant.id)
        .where(Grant.status.in_(DELIVERED), Grant.kind == GrantKind.EQUIPMENT, *where)
        .order_by(Grant.number, GrantItem.position)
    )
    return [(grant, item) for grant, item in session.execute(stmt).tuples()]


def pieces_of(grant: Grant, item: GrantItem) -> list[PieceDTO]:
    """The item's serial-numbered pieces, then one line for its pieces without a serial number."""
    pieces = [PieceDTO(item.id, s.id, grant.number, item.designation, s.serial, 1) for s in item.serials]
    rest = int(item.quantity) - len(item.serials)
    if rest > 0:
        pieces.append(PieceDTO(item.id, None, grant.number, item.designation, None, rest))
    return pieces


def _set_pieces(session: Session, visit: Visit, pieces: list[PieceInput]) -> None:
    """Record the condition of each piece seen, checked against what the organisation received by
    the visit's date. Lines that stay (same piece, or same item and condition) keep their id."""
    items = {
        item.id: (grant, item)
        for grant, item in equipment_items(session, Grant.organisation_id == visit.organisation_id)
    }
    counted: dict[int, int] = {}
    wanted: dict[tuple[int, int | None, str | None], PieceInput] = {}
    for n, piece in enumerate(pieces, start=1):
        field = f"pieces.{n - 1}"
        try:
            condition = PieceCondition(piece.condition)
        except ValueError:
            raise ValidationError(
                _("Unknown condition “{condition}”.").format(condition=piece.condition), field
            ) from None
        found = items.get(piece.item_id)
        if found is None:
            raise ValidationError(
                _("This equipment was not delivered to the organisation visited (item id {id}).").format(
                    id=piece.item_id
                ),
                field,
            )
        grant, item = found
        if grant.delivered_on is not None and grant.delivered_on > visit.visited_on:
            raise ValidationError(
                _("Grant {number} was delivered on {date}, after this visit.").format(
                    number=grant.number, date=format_date(grant.delivered_on)
                ),
                field,
            )
        if piece.serial_id is not None:
            if piece.serial_id not in {s.id for s in item.serials}:
                raise ValidationError(
                    _("This serial number is not one of “{item}”.").format(item=item.designation), field
                )
            if piece.count != 1:
                raise ValidationError(_("A serial number is one piece."), field)
            key: tuple[int, int | None, str | None] = (item.id, piece.serial_id, None)
        else:
            if piece.count < 1:
                raise ValidationError(_("The number of pieces must be at least 1."), field)
            key = (item.id, None, condition.value)
            counted[item.id] = counted.get(item.id, 0) + piece.count
            free = int(item.quantity) - len(item.serials)
            if counted[item.id] > free:
                raise ValidationError(
                    _("“{item}” has {count} pieces without a serial number; {seen} are recorded.").format(
                        item=item.designation, count=free, seen=counted[item.id]
                    ),
                    field,
                )
        if key in wanted:
            raise ValidationError(_("The same piece is recorded twice."), field)
        wanted[key] = PieceInput(piece.item_id, condition.value, piece.serial_id, piece.count)
    kept: list[VisitPiece] = []
    for row in visit.pieces:
        key = (row.item_id, row.serial_id, None if row.serial_id is not None else row.condition)
        same = wanted.pop(key, None)
        if same is not None:
            row.condition, row.count = same.condition, same.count
            kept.append(row)
    visit.pieces = kept + [
        VisitPiece(item_id=p.item_id, serial_id=p.serial_id, condition=p.condition, count=p.count)
        for p in wanted.values()
    ]


def _get(session: Session, visit_id: int) -> Visit:
    visit = session.get(Visit, visit_id)
    if visit is None:
        raise NotFoundError(_("Unknown visit (id {id}).").format(id=visit_id), "visit")
    return visit


class VisitService(Service):
    def create(self, data: VisitInput) -> VisitDTO:
        values = validate_visit(data)
        with self._write() as session:
            if session.get(Organisation, data.organisation_id) is None:
                raise NotFoundError(
                    _("Unknown organisation (id {id}).").format(id=data.organisation_id), "organisation"
                )
            visit = Visit(**values)
            if data.pieces is not None:
                _set_pieces(session, visit, data.pieces)
            session.add(visit)
            session.flush()
            return _visit_dto(session, visit)

    def update(self, visit_id: int, data: VisitInput) -> VisitDTO:
        values = validate_visit(data)
        with self._write() as session:
            visit = _get(session, visit_id)
            if values["organisation_id"] != visit.organisation_id:
                raise ValidationError(_("A visit cannot be moved to another organisation."), "organisation")
            for key, value in values.items():
                setattr(visit, key, value)
            if data.pieces is not None:
                _set_pieces(session, visit, data.pieces)
            session.flush()
            return _visit_dto(session, visit)

    def get(self, visit_id: int) -> VisitDTO:
        with self.db.reading() as session:
            return _visit_dto(session, _get(session, visit_id))

    def delete(self, visit_id: int) -> None:
        with self._write() as session:
            session.delete(_get(session, visit_id))

    def visits_of(self, organisation_id: int) -> list[VisitDTO]:
        """An organisation's visits, oldest first."""
        with self.db.reading() as session:
            stmt = (
                select(Visit)
                .where(Visit.organisation_id == organisation_id)
                .order_by(Visit.visited_on, Visit.id)
            )
            return [_visit_dto(session, v) for v in session.scalars(stmt)]

    def equipment_of(self, organisation_id: int) -> list[PieceDTO]:
        """The pieces of equipment a visit to the organisation can find: its delivered equipment
        grants' items, each serial number on its own line, the pieces without one per item."""
        with self.db.reading() as session:
            found = equipment_items(session, Grant.organisation_id == organisation_id)
            return [piece for grant, item in found for piece in pieces_of(grant, item)]

    def trend(self, organisation_id: int) -> list[TrendPoint]:
        """Revenue and production per visit, oldest first: the series of the AGR's follow-up chart."""
        with self.db.reading() as session:
            if session.get(Organisation, organisation_id) is None:
                raise NotFoundError(
                    _("Unknown organisation (id {id}).").format(id=organisation_id), "organisation"
                )
            stmt = (
                select(
                    Visit.visited_on, Visit.monthly_revenue, Visit.production_quantity, Visit.production_unit
                )
                .where(Visit.organisation_id == organisation_id)
                .order_by(Visit.visited_on, Visit.id)
            )
            return [TrendPoint(*row) for row in session.execute(stmt)]
