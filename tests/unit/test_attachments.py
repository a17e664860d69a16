"""Attached files on both engines: stored once inside the database, photos without their location,
refused files leave nothing, a damaged stored copy is reported, removal is audited and purged."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from decimal import Decimal as D
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select, update

from ksm_desktop.db.models_attachments import Attachment, AttachmentContent
from ksm_desktop.domain.enums import AttachmentKind
from ksm_desktop.domain.errors import ConflictError, DatabaseError, PermissionDeniedError, ValidationError
from ksm_desktop.services import Actor, ListQuery, Services
from ksm_desktop.services.attachment_files import MAX_BYTES
from ksm_desktop.services.audit import AuditQuery
from ksm_desktop.services.dto import GrantInput, GrantItemInput
from tests.unit.attachment_files import GPS_IFD, MAKE, ORIENTATION, phone_photo, scanned_pdf


@pytest.fixture
def admin(demo: Services) -> Services:
    return Services(demo.db, Actor("amina", "admin"))


def _grant_id(services: Services) -> int:
    return services.grants.search(ListQuery(limit=1)).rows[0].id


def _org_id(services: Services) -> int:
    return services.organisations.search(ListQuery(limit=1)).rows[0].id


def _stored_rows(services: Services) -> tuple[int, int]:
    with services.db.reading() as session:
        return (
            session.scalar(select(func.count()).select_from(Attachment)) or 0,
            session.scalar(select(func.count()).select_from(AttachmentContent)) or 0,
        )


def test_photo_is_stored_without_location_and_dated_when_taken(demo: Services) -> None:
    grant = _grant_id(demo)
    added = demo.attachments.add(
        "grant", grant, phone_photo(), "photo", "Machines en place", filename="a.jpg"
    )
    assert (added.kind, added.dated_on, added.caption) == (
        AttachmentKind.PHOTO,
        dt.date(2025, 6, 14),
        "Machines en place",
    )
    assert [a.id for a in demo.attachments.list("grant", grant)] == [added.id]
    stored = demo.attachments.content(added.id)
    assert hashlib.sha256(stored).hexdigest() == added.sha256 and added.size == len(stored)
    exif = Image.open(io.BytesIO(stored)).getexif()
    assert GPS_IFD not in exif and MAKE not in exif
    assert demo.attachments.thumbnails("grant", grant) == {added.id: demo.attachments.thumbnail(added.id)}
    thumbnail = Image.open(io.BytesIO(demo.attachments.thumbnail(added.id) or b""))
    assert thumbnail.format == "JPEG" and max(thumbnail.size) <= 256


def test_location_kept_on_purpose_keeps_the_file_as_it_was(demo: Services) -> None:
    original = phone_photo()
    added = demo.attachments.add(
        "grant", _grant_id(demo), original, "photo", keep_location=True, filename="a.jpg"
    )
    assert demo.attachments.content(added.id) == original
    assert GPS_IFD in Image.open(io.BytesIO(original)).getexif()


def test_sideways_photo_is_turned_upright_before_its_metadata_goes(demo: Services) -> None:
    added = demo.attachments.add(
        "grant", _grant_id(demo), phone_photo(640, 480, orientation=6), "photo", filename="a.jpg"
    )
    image = Image.open(io.BytesIO(demo.attachments.content(added.id)))
    assert image.size == (480, 640) and ORIENTATION not in image.getexif()


def test_same_file_on_two_records_is_stored_once(demo: Services, tmp_path: Path) -> None:
    path = tmp_path / "PV signé.pdf"
    path.write_bytes(scanned_pdf())
    grant = _grant_id(demo)
    on_grant = demo.attachments.add("grant", grant, path, "signed_pv")
    assert on_grant.filename == "PV signé.pdf" and on_grant.media_type == "application/pdf"
    assert demo.attachments.thumbnail(on_grant.id)
    demo.attachments.add("organisation", _org_id(demo), path, "other")
    assert _stored_rows(demo) == (2, 1)
    with pytest.raises(ConflictError):
        demo.attachments.add("grant", grant, path, "signed_pv")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (phone_photo()[:-400], "damaged"),  # a photo cut short by a failed transfer
        (b"%PDF-1.7\n" + b"\x00" * 500, "damaged"),
        (b"Facture 2025-031\nMontant: 52 000 MAD\n", "not a PDF, JPEG, PNG or HEIC"),
        (b"PK\x03\x04" + b"\x00" * 100, "not a PDF, JPEG, PNG or HEIC"),  # a .docx renamed .jpg
        (b"", "empty"),
    ],
)
def test_refused_file_says_why_and_stores_nothing(demo: Services, data: bytes, words: str) -> None:
    with pytest.raises(ValidationError) as refused:
        demo.attachments.add("grant", _grant_id(demo), data, "photo", filename="photo.jpg")
    assert words in refused.value.message and refused.value.field == "file"
    assert _stored_rows(demo) == (0, 0)


def test_file_over_the_limit_is_refused_before_it_is_read(demo: Services, tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    with path.open("wb") as fh:
        fh.write(b"%PDF-1.7\n")
        fh.truncate(MAX_BYTES + 1)
    with pytest.raises(ValidationError, match="too large"):
        demo.attachments.add("grant", _grant_id(demo), path, "signed_pv")
    assert _stored_rows(demo) == (0, 0)


def test_unknown_record_or_kind_is_refused(demo: Services) -> None:
    with pytest.raises(ValidationError) as unknown_entity:
        demo.attachments.add("programme", 1, scanned_pdf(), "other")
    assert unknown_entity.value.field == "entity"
    with pytest.raises(ValidationError) as unknown_kind:
        demo.attachments.add("grant", _grant_id(demo), scanned_pdf(), "receipt")
    assert unknown_kind.value.field == "kind"
    with pytest.raises(Exception, match="no grant with id 999999"):
        demo.attachments.add("grant", 999999, scanned_pdf(), "other")
    assert _stored_rows(demo) == (0, 0)


def test_flipped_byte_in_stored_copy_is_reported_never_returned(demo: Services) -> None:
    added = demo.attachments.add("grant", _grant_id(demo), scanned_pdf(), "signed_pv", filename="pv.pdf")
    data = bytearray(demo.attachments.content(added.id))
    data[len(data) // 2] ^= 0x01
    with demo.db.transaction() as session:
        session.execute(update(AttachmentContent).values(data=bytes(data)))
    with pytest.raises(DatabaseError, match=r"pv\.pdf is damaged"):
        demo.attachments.content(added.id)


def test_item_file_falls_back_to_its_grant_when_items_are_rewritten(demo: Services) -> None:
    data = GrantInput(
        "Four à pain", organisation_id=_org_id(demo), items=[GrantItemInput("Four", D(1), D(3200))]
    )
    grant = demo.grants.create(data)
    added = demo.attachments.add(
        "grant_item", grant.items[0].id, scanned_pdf(), "invoice", filename="facture.pdf"
    )
    assert [a.id for a in demo.attachments.list("grant_item", grant.items[0].id)] == [added.id]
    data.items = [GrantItemInput("Four à gaz", D(1), D(3500))]
    demo.grants.update(grant.id, data)
    assert [a.id for a in demo.attachments.list("grant", grant.id)] == [added.id]


def test_removal_is_audited_seen_by_administrators_then_purged(demo: Services, admin: Services) -> None:
    grant = _grant_id(demo)
    added = demo.attachments.add("grant", grant, phone_photo(), "photo", filename="a.jpg")
    demo.attachments.remove(added.id)
    assert demo.attachments.list("grant", grant) == []
    with pytest.raises(PermissionDeniedError):
        demo.attachments.list("grant", grant, removed=True)
    [seen] = admin.attachments.list("grant", grant, removed=True)
    assert seen.removed_by == "agent.test" and seen.removed_at is not None
    log = admin.audit.search(AuditQuery(entity="attachment"))
    assert {e.action for e in log} >= {"create", "update"}
    with pytest.raises(PermissionDeniedError):
        demo.attachments.purge()
    assert admin.attachments.purge() == 1
    assert _stored_rows(demo) == (0, 0)


def test_personal_data_export_holds_the_persons_files(admin: Services, tmp_path: Path) -> None:
    person = admin.persons.search(ListQuery(limit=1)).rows[0].id
    photo = admin.attachments.add("person", person, phone_photo(), "photo", filename="portrait.jpg")
    exported = admin.privacy.export_to(person, tmp_path / "export.json")
    [listed] = json.loads(exported.read_text("utf-8"))["attachments"]
    assert listed["sha256"] == photo.sha256
    copy = tmp_path / listed["exported_as"]
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == photo.sha256


def test_anonymising_a_person_deletes_their_photos_and_scans(admin: Services) -> None:
    person = admin.persons.search(ListQuery(limit=1)).rows[0].id
    admin.attachments.add("person", person, phone_photo(), "photo", filename="portrait.jpg")
    admin.attachments.add("person", person, scanned_pdf(), "other", filename="CIN.pdf")
    kept = admin.attachments.add("grant", _grant_id(admin), scanned_pdf(), "signed_pv", filename="pv.pdf")
    admin.privacy.anonymise(person)
    assert admin.attachments.list("person", person, removed=True) == []
    assert admin.privacy.export(person)["attachments"] == []
    assert _stored_rows(admin) == (1, 1)  # the PDF also on the grant stays, once
    assert admin.attachments.content(kept.id)


def test_files_dropped_together_are_all_stored_or_none(demo: Services, tmp_path: Path) -> None:
    grant = _grant_id(demo)
    photos = [tmp_path / f"IMG_{n}.jpg" for n in range(3)]
    for n, photo in enumerate(photos):
        photo.write_bytes(phone_photo(320 + n, 240))
    broken = tmp_path / "IMG_3.jpg"
    broken.write_bytes(phone_photo()[:-300])
    with pytest.raises(ValidationError, match=r"IMG_3\.jpg is damaged"):
        demo.attachments.add_many("grant", grant, [*photos, broken], "photo")
    assert _stored_rows(demo) == (0, 0)
    added = demo.attachments.add_many("grant", grant, photos, "photo", "Visite de suivi")
    assert [a.filename for a in added] == ["IMG_0.jpg", "IMG_1.jpg", "IMG_2.jpg"]
    assert {a.caption for a in demo.attachments.list("grant", grant)} == {"Visite de suivi"}


def _delivered_grant(services: Services) -> int:
    return services.grants.search(ListQuery(filters={"status": "delivered"}, limit=1)).rows[0].id


def test_closing_waits_for_the_signed_pv_when_the_setting_asks(demo: Services, admin: Services) -> None:
    grant = _delivered_grant(demo)
    with pytest.raises(PermissionDeniedError):
        demo.settings.set_close_needs_signed_pv(True)
    admin.settings.set_close_needs_signed_pv(True)
    assert demo.settings.close_needs_signed_pv()
    demo.attachments.add("grant", grant, phone_photo(), "photo", filename="a.jpg")
    pv = demo.attachments.add("grant", grant, scanned_pdf(), "signed_pv", filename="pv.pdf")
    demo.attachments.remove(pv.id)  # a removed PV does not count
    with pytest.raises(ValidationError) as refused:
        demo.grants.transition(grant, "closed")
    assert refused.value.field == "signed_pv" and "PV signé" in refused.value.message
    assert demo.grants.get(grant).status == "delivered"
    demo.attachments.add("grant", grant, scanned_pdf(), "signed_pv", filename="pv-signe.pdf")
    assert demo.grants.transition(grant, "closed").status == "closed"


def test_grants_list_finds_the_delivered_ones_without_signed_pv(demo: Services) -> None:
    missing = ListQuery(filters={"without_signed_pv": True}, limit=None)
    rows = demo.grants.search(missing).rows
    assert rows and {r.status for r in rows} <= {"delivered", "closed"}
    grant = _delivered_grant(demo)
    assert grant in {r.id for r in rows}
    demo.attachments.add("grant", grant, scanned_pdf(), "signed_pv", filename="pv.pdf")
    assert grant not in {r.id for r in demo.grants.search(missing).rows}
    assert len(demo.grants.search(missing).rows) == len(rows) - 1
