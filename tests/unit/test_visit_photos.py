"""Photos of a follow-up visit and of each piece of equipment it saw: attachments like any other
file (same refusals), a piece's photo staying with the piece while the visit is edited, and with
the visit once the piece is no longer recorded."""

from __future__ import annotations

import datetime as dt

import pytest

from ksm_desktop.domain.errors import NotFoundError, ValidationError
from ksm_desktop.services import Services
from ksm_desktop.services.dto_fieldwork import PieceInput, VisitInput
from tests.serials_support import DELIVERED_ON, delivered_workshop
from tests.unit.attachment_files import phone_photo


def test_a_piece_gets_its_photo_and_keeps_it_while_the_visit_is_edited(services: Services) -> None:
    org, _programme = delivered_workshop(services, ["SN-001", "SN-002"], 1)
    sn1, sn2, _overlocker = services.visits.equipment_of(org)
    day = DELIVERED_ON + dt.timedelta(days=10)
    pieces = [
        PieceInput(sn1.item_id, "broken", sn1.serial_id),
        PieceInput(sn2.item_id, "in_service", sn2.serial_id),
    ]
    visit = services.visits.create(VisitInput(org, day, "Naima", pieces=pieces))
    broken = next(p for p in visit.pieces if p.serial_id == sn1.serial_id)

    photo = services.attachments.add("visit_piece", broken.id, phone_photo(), "photo", filename="SN-001.jpg")
    assert photo.dated_on == dt.date(2025, 6, 14)  # the date taken
    again = services.visits.get(visit.id)
    assert {p.serial_id: p.photos for p in again.pieces} == {sn1.serial_id: (photo.id,), sn2.serial_id: ()}
    # The piece's photo is one of the visit's files too, and only the piece's on the piece.
    assert [a.id for a in services.attachments.list("visit", visit.id)] == [photo.id]
    assert [a.filename for a in services.attachments.list("visit_piece", broken.id)] == ["SN-001.jpg"]

    # Repaired at the next look: the same line, the photo stays with it.
    pieces[0] = PieceInput(sn1.item_id, "in_service", sn1.serial_id)
    edited = services.visits.update(visit.id, VisitInput(org, day, "Naima", pieces=pieces))
    assert next(p for p in edited.pieces if p.serial_id == sn1.serial_id).photos == (photo.id,)
    # No longer recorded: the photo stays with the visit.
    services.visits.update(visit.id, VisitInput(org, day, "Naima", pieces=pieces[1:]))
    assert [a.id for a in services.attachments.list("visit", visit.id)] == [photo.id]


def test_a_piece_photo_is_refused_like_any_file(services: Services) -> None:
    org, _programme = delivered_workshop(services, ["SN-001"], 1)
    sn1, _overlocker = services.visits.equipment_of(org)
    visit = services.visits.create(
        VisitInput(org, DELIVERED_ON, "Naima", pieces=[PieceInput(sn1.item_id, "lost", sn1.serial_id)])
    )
    piece = visit.pieces[0].id
    with pytest.raises(ValidationError, match="not a PDF, JPEG, PNG or HEIC"):
        services.attachments.add("visit_piece", piece, b"pas une photo", "photo", filename="SN-001.jpg")
    with pytest.raises(ValidationError, match="is damaged: it cannot be read as an image"):
        services.attachments.add("visit_piece", piece, phone_photo()[:2000], "photo", filename="coupee.jpg")
    with pytest.raises(NotFoundError):
        services.attachments.add("visit_piece", piece + 99, phone_photo(), "photo", filename="x.jpg")
    assert services.attachments.list("visit", visit.id) == []
    assert services.visits.get(visit.id).pieces[0].photos == ()
