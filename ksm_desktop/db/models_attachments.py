"""Attached files (signed PV, invoices, photos, statutes) kept inside the database.

The bytes live in `attachment_content`, one row per distinct content keyed by its SHA-256: a file
attached to a grant and to its organisation is stored once, and every read checks the bytes
against their key. `attachment` links one content to exactly one owner (a grant, possibly one of
its items; a visit, possibly one piece of equipment it saw; an organisation; a person). Being rows
of the database, the files travel with every backup, restore and copy to PostgreSQL, and one backup file holds the whole office's data.

Imported at the bottom of db/models.py so that Base.metadata (and Alembic) sees these tables.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from ksm_desktop.db.base import NEVER_REUSED_IDS, Base

# Exactly one owner; an item's file also names its grant, so it falls back to the grant when the
# item is replaced (a grant's items are rewritten on every save of the editor); a visited piece's
# photo names its visit the same way.
ONE_OWNER = (
    "(CASE WHEN grant_id IS NULL THEN 0 ELSE 1 END"
    " + CASE WHEN visit_id IS NULL THEN 0 ELSE 1 END"
    " + CASE WHEN organisation_id IS NULL THEN 0 ELSE 1 END"
    " + CASE WHEN person_id IS NULL THEN 0 ELSE 1 END) = 1"
    " AND (grant_item_id IS NULL OR grant_id IS NOT NULL)"
    " AND (visit_piece_id IS NULL OR visit_id IS NOT NULL)"
)


class AttachmentContent(Base):
    """The bytes of one file as stored (photos without their location), and its thumbnail."""

    __tablename__ = "attachment_content"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    media_type: Mapped[str] = mapped_column(String(60))
    thumbnail: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))  # JPEG, at most 256 px
    stored_at: Mapped[dt.datetime] = mapped_column(DateTime)
    # Last: SQLite reaches a column stored after a large value only by reading through it, so a
    # list of thumbnails would read every file.
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))


class Attachment(Base):
    """One file attached to one record, with what it is, its date and who added or removed it."""

    __tablename__ = "attachment"
    __table_args__ = (CheckConstraint(ONE_OWNER, name="one_owner"), NEVER_REUSED_IDS)
    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(
        ForeignKey("attachment_content.sha256", ondelete="RESTRICT"), index=True
    )
    grant_id: Mapped[int | None] = mapped_column(ForeignKey("grants.id", ondelete="CASCADE"), index=True)
    grant_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("grant_item.id", ondelete="SET NULL"), index=True
    )
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    visit_piece_id: Mapped[int | None] = mapped_column(
        ForeignKey("visit_piece.id", ondelete="SET NULL"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(255))
    # The document's date: a photo's date taken (EXIF) when it has one, else the day it was added.
    dated_on: Mapped[dt.date] = mapped_column(Date)
    caption: Mapped[str | None] = mapped_column(Text)
    added_by: Mapped[str] = mapped_column(String(60))
    added_at: Mapped[dt.datetime] = mapped_column(DateTime)
    # Removal is a mark (audited); an administrator still sees removed files until a purge.
    removed_by: Mapped[str | None] = mapped_column(String(60))
    removed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
