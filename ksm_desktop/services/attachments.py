"""Attached files: the signed handover certificate, invoices, photos and statutes of a grant, its
items, a follow-up visit, a piece of equipment it saw, an organisation or a person.

The bytes are rows of the database (db/models_attachments.py): a backup holds them, a restore
brings them back, a copy to PostgreSQL carries them. Every read checks the bytes against the
SHA-256 they are stored under, so a damaged file is reported, never shown as if it were whole.
"""

from __future__ import annotations

import builtins
import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from ksm_desktop.db.models import Grant, GrantItem, Organisation, Person
from ksm_desktop.db.models_attachments import Attachment, AttachmentContent
from ksm_desktop.db.models_fieldwork import Visit, VisitPiece
from ksm_desktop.domain.enums import AttachmentKind, AttachmentOwner
from ksm_desktop.domain.errors import ConflictError, DatabaseError, NotFoundError, ValidationError
from ksm_desktop.domain.values import optional_text
from ksm_desktop.i18n import _
from ksm_desktop.services.attachment_files import Prepared, prepare_all
from ksm_desktop.services.base import Service, now

# Owner → its table and the attachment column that points to it.
OWNERS: dict[AttachmentOwner, tuple[type[Any], InstrumentedAttribute[int | None]]] = {
    AttachmentOwner.GRANT: (Grant, Attachment.grant_id),
    AttachmentOwner.GRANT_ITEM: (GrantItem, Attachment.grant_item_id),
    AttachmentOwner.VISIT: (Visit, Attachment.visit_id),
    AttachmentOwner.VISIT_PIECE: (VisitPiece, Attachment.visit_piece_id),
    AttachmentOwner.ORGANISATION: (Organisation, Attachment.organisation_id),
    AttachmentOwner.PERSON: (Person, Attachment.person_id),
}


@dataclass(frozen=True)
class AttachmentDTO:
    id: int
    kind: AttachmentKind
    filename: str
    media_type: str
    size: int
    sha256: str
    dated_on: dt.date
    caption: str | None
    added_by: str
    added_at: dt.datetime
    removed_by: str | None
    removed_at: dt.datetime | None

    def as_json(self) -> dict[str, object]:
        """The fields the command line prints with --json."""
        return {
            "id": self.id,
            "kind": self.kind.value,
            "filename": self.filename,
            "media_type": self.media_type,
            "size": self.size,
            "sha256": self.sha256,
            "dated_on": self.dated_on.isoformat(),
            "caption": self.caption,
            "added_by": self.added_by,
            "added_on": self.added_at.isoformat(),
            "removed_on": self.removed_at.isoformat() if self.removed_at else None,
        }


_COLUMNS = (
    Attachment.id,
    Attachment.kind,
    Attachment.filename,
    AttachmentContent.media_type,
    AttachmentContent.size,
    Attachment.sha256,
    Attachment.dated_on,
    Attachment.caption,
    Attachment.added_by,
    Attachment.added_at,
    Attachment.removed_by,
    Attachment.removed_at,
)


def owner_of(entity: str) -> AttachmentOwner:
    try:
        return AttachmentOwner(entity)
    except ValueError:
        raise ValidationError(
            _("Files can be attached to: {owners}.").format(
                owners=", ".join(o.value for o in AttachmentOwner)
            ),
            "entity",
        ) from None


def kind_of(kind: str) -> AttachmentKind:
    try:
        return AttachmentKind(kind)
    except ValueError:
        raise ValidationError(
            _("Unknown kind of attachment “{kind}” (known: {kinds}).").format(
                kind=kind, kinds=", ".join(k.value for k in AttachmentKind)
            ),
            "kind",
        ) from None


def verified(sha256: str, data: bytes, filename: str) -> bytes:
    """`data` if it still has the checksum it was stored under, else a DatabaseError."""
    if hashlib.sha256(data).hexdigest() != sha256:
        raise DatabaseError(
            _(
                "The stored copy of {name} is damaged (its checksum no longer matches); "
                "restore a backup to get it back."
            ).format(name=filename)
        )
    return data


def delete_unused_contents(session: Session) -> int:
    """Delete the stored bytes no attachment refers to any more; how many went."""
    unused = ~exists().where(Attachment.sha256 == AttachmentContent.sha256)
    return int(session.execute(delete(AttachmentContent).where(unused)).rowcount or 0)  # type: ignore[attr-defined]


def _owner_values(session: Session, owner: AttachmentOwner, owner_id: int) -> dict[str, int]:
    """The owner columns of a new attachment; an item's file names its grant too, a visited
    piece's photo its visit."""
    table, column = OWNERS[owner]
    row = session.get(table, owner_id)
    if row is None:
        raise NotFoundError(
            _("Nothing to attach to: no {owner} with id {id}.").format(owner=owner.value, id=owner_id),
            "entity",
        )
    values = {column.key: owner_id}
    if owner == AttachmentOwner.GRANT_ITEM:
        values["grant_id"] = row.grant_id
    elif owner == AttachmentOwner.VISIT_PIECE:
        values["visit_id"] = row.visit_id
    return values


def _get(session: Session, attachment_id: int) -> Attachment:
    row = session.get(Attachment, attachment_id)
    if row is None:
        raise NotFoundError(_("Unknown attachment (id {id}).").format(id=attachment_id), "attachment")
    return row


class AttachmentService(Service):
    def add(
        self,
        entity: str,
        entity_id: int,
        source: Path | bytes,
        kind: str = AttachmentKind.OTHER,
        caption: str | None = None,
        *,
        keep_location: bool = False,
        filename: str | None = None,
    ) -> AttachmentDTO:
        """Attach a file (a path, or bytes with their `filename`); a photo keeps its GPS position
        and camera details only with `keep_location`. Refused files store nothing."""
        [added] = self.add_many(
            entity, entity_id, [source], kind, caption, keep_location=keep_location, filenames=[filename]
        )
        return added

    def add_many(
        self,
        entity: str,
        entity_id: int,
        sources: Sequence[Path | bytes],
        kind: str = AttachmentKind.OTHER,
        caption: str | None = None,
        *,
        keep_location: bool = False,
        filenames: Sequence[str | None] | None = None,
    ) -> builtins.list[AttachmentDTO]:
        """Attach several files at once (the photos of a visit dropped together): every file is
        checked before anything is stored, then all are stored in one transaction, or none."""
        owner, attachment_kind = owner_of(entity), kind_of(kind)
        names = filenames if filenames is not None else [None] * len(sources)
        prepared = prepare_all(list(zip(sources, names, strict=True)), keep_location)
        with self._write() as session:
            values = _owner_values(session, owner, entity_id)
            rows = [
                self._store(session, OWNERS[owner][1], values, file, attachment_kind, caption)
                for file in prepared
            ]
            return [self._one(session, row.id) for row in rows]

    def _store(
        self,
        session: Session,
        column: InstrumentedAttribute[int | None],
        values: dict[str, int],
        file: Prepared,
        kind: AttachmentKind,
        caption: str | None,
    ) -> Attachment:
        """One prepared file linked to its owner; its bytes written unless already stored."""
        already = session.scalar(
            select(Attachment.id).where(
                column == values[column.key],
                Attachment.sha256 == file.sha256,
                Attachment.removed_at.is_(None),
            )
        )
        if already is not None:
            raise ConflictError(
                _("{name} is already attached here (attachment {id}).").format(
                    name=file.filename, id=already
                ),
                "file",
                existing_id=already,
            )
        if session.get(AttachmentContent, file.sha256) is None:
            session.add(
                AttachmentContent(
                    sha256=file.sha256,
                    size=len(file.data),
                    media_type=file.media_type,
                    data=file.data,
                    thumbnail=file.thumbnail,
                    stored_at=now(),
                )
            )
            session.flush()  # no relationship tells the flush that the content goes first
        row = Attachment(
            sha256=file.sha256,
            kind=kind.value,
            filename=file.filename[:255],
            dated_on=file.taken_on or dt.date.today(),
            caption=optional_text(caption),
            added_by=self.actor.username,
            added_at=now(),
            **values,
        )
        session.add(row)
        session.flush()
        return row

    def list(self, entity: str, entity_id: int, *, removed: bool = False) -> builtins.list[AttachmentDTO]:
        """The files attached to one record, oldest first; with `removed`, an administrator sees
        the removed ones too (until a purge)."""
        owner = owner_of(entity)
        if removed:
            self._require_admin()
        with self.db.reading() as session:
            stmt = self._select().where(OWNERS[owner][1] == entity_id).order_by(Attachment.id)
            if not removed:
                stmt = stmt.where(Attachment.removed_at.is_(None))
            return [_dto(r) for r in session.execute(stmt)]

    def get(self, attachment_id: int) -> AttachmentDTO:
        with self.db.reading() as session:
            return self._one(session, attachment_id)

    def content(self, attachment_id: int) -> bytes:
        """The file's bytes, checked against their SHA-256."""
        with self.db.reading() as session:
            row = _get(session, attachment_id)
            data = session.scalar(
                select(AttachmentContent.data).where(AttachmentContent.sha256 == row.sha256)
            )
            return verified(row.sha256, bytes(data or b""), row.filename)

    def thumbnail(self, attachment_id: int) -> bytes | None:
        """A small JPEG of the photo or of a PDF's first page (None for none)."""
        with self.db.reading() as session:
            row = _get(session, attachment_id)
            data = session.scalar(
                select(AttachmentContent.thumbnail).where(AttachmentContent.sha256 == row.sha256)
            )
            return bytes(data) if data is not None else None

    def thumbnails(self, entity: str, entity_id: int) -> dict[int, bytes]:
        """The thumbnails of a record's files by attachment id, in one query (a form shows them
        all at once)."""
        owner = owner_of(entity)
        with self.db.reading() as session:
            stmt = (
                select(Attachment.id, AttachmentContent.thumbnail)
                .join(AttachmentContent, AttachmentContent.sha256 == Attachment.sha256)
                .where(OWNERS[owner][1] == entity_id, Attachment.removed_at.is_(None))
            )
            return {
                row.id: bytes(row.thumbnail) for row in session.execute(stmt) if row.thumbnail is not None
            }

    def remove(self, attachment_id: int) -> None:
        """Mark the file removed (audited); its bytes stay until an administrator purges."""
        with self._write() as session:
            row = _get(session, attachment_id)
            if row.removed_at is None:
                row.removed_at, row.removed_by = now(), self.actor.username

    def purge(self) -> int:
        """Delete for good the removed attachments and the bytes nothing refers to any more;
        how many attachments went. Administrators only."""
        self._require_admin()
        with self._write() as session:
            removed = list(session.scalars(select(Attachment).where(Attachment.removed_at.is_not(None))))
            for row in removed:
                session.delete(row)
            session.flush()
            delete_unused_contents(session)
            return len(removed)

    @staticmethod
    def _select() -> Any:
        return select(*_COLUMNS).join(AttachmentContent, AttachmentContent.sha256 == Attachment.sha256)

    def _one(self, session: Session, attachment_id: int) -> AttachmentDTO:
        row = session.execute(self._select().where(Attachment.id == attachment_id)).one_or_none()
        if row is None:
            raise NotFoundError(_("Unknown attachment (id {id}).").format(id=attachment_id), "attachment")
        return _dto(row)


def _dto(row: Any) -> AttachmentDTO:
    values = dict(row._mapping)
    values["kind"] = AttachmentKind(values["kind"])
    return AttachmentDTO(**values)
