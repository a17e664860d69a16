"""A photo of one piece of equipment seen at a follow-up visit (attachment.visit_piece_id), and the
visits' photos become attachments like every other file (visit_photo goes).

A piece's photo also names its visit, as an item's file names its grant: when the visit no longer
records the piece, the photo stays with the visit. The photos a visit already had are moved row by
row (one photo in memory at a time), stored once per SHA-256, dated on the day of the visit.
Going back keeps every file: the photos stay attached to their visits, which 0012 knows.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import datetime as dt
import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

OLD_OWNER = (
    "(CASE WHEN grant_id IS NULL THEN 0 ELSE 1 END"
    " + CASE WHEN visit_id IS NULL THEN 0 ELSE 1 END"
    " + CASE WHEN organisation_id IS NULL THEN 0 ELSE 1 END"
    " + CASE WHEN person_id IS NULL THEN 0 ELSE 1 END) = 1"
    " AND (grant_item_id IS NULL OR grant_id IS NOT NULL)"
)
NEW_OWNER = OLD_OWNER + " AND (visit_piece_id IS NULL OR visit_id IS NOT NULL)"

content = sa.table(
    "attachment_content",
    sa.column("sha256", sa.String),
    sa.column("size", sa.Integer),
    sa.column("media_type", sa.String),
    sa.column("thumbnail", sa.LargeBinary),
    sa.column("stored_at", sa.DateTime),
    sa.column("data", sa.LargeBinary),
)
attachment = sa.table(
    "attachment",
    sa.column("id", sa.Integer),
    sa.column("sha256", sa.String),
    sa.column("visit_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("filename", sa.String),
    sa.column("dated_on", sa.Date),
    sa.column("added_by", sa.String),
    sa.column("added_at", sa.DateTime),
)
visit = sa.table(
    "visit", sa.column("id", sa.Integer), sa.column("visited_on", sa.Date), sa.column("visitor", sa.String)
)
photo = sa.table(
    "visit_photo",
    sa.column("id", sa.Integer),
    sa.column("visit_id", sa.Integer),
    sa.column("file_name", sa.String),
    sa.column("media_type", sa.String),
    sa.column("size", sa.Integer),
    sa.column("data", sa.LargeBinary),
)


def _owner_check(expression: str, *, piece: bool) -> None:
    with op.batch_alter_table(
        "attachment", recreate="always", table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_attachment_one_owner"), type_="check")
        if piece:
            batch_op.add_column(sa.Column("visit_piece_id", sa.Integer(), nullable=True))
            batch_op.create_foreign_key(
                batch_op.f("fk_attachment_visit_piece_id_visit_piece"),
                "visit_piece",
                ["visit_piece_id"],
                ["id"],
                ondelete="SET NULL",
            )
            batch_op.create_index(batch_op.f("ix_attachment_visit_piece_id"), ["visit_piece_id"])
        else:
            batch_op.drop_index(batch_op.f("ix_attachment_visit_piece_id"))
            batch_op.drop_constraint(
                batch_op.f("fk_attachment_visit_piece_id_visit_piece"), type_="foreignkey"
            )
            batch_op.drop_column("visit_piece_id")
        batch_op.create_check_constraint("one_owner", sa.text(expression))


def upgrade() -> None:
    _owner_check(NEW_OWNER, piece=True)
    bind = op.get_bind()
    now = dt.datetime.now()
    ids = bind.execute(sa.select(photo.c.id).order_by(photo.c.id)).scalars().all()
    for photo_id in ids:
        row = bind.execute(
            sa.select(photo, visit.c.visited_on, visit.c.visitor)
            .join(visit, visit.c.id == photo.c.visit_id)
            .where(photo.c.id == photo_id)
        ).one()
        data = bytes(row.data or b"")
        sha = hashlib.sha256(data).hexdigest()
        if bind.execute(sa.select(content.c.sha256).where(content.c.sha256 == sha)).first() is None:
            bind.execute(
                content.insert().values(
                    sha256=sha, size=len(data), media_type=row.media_type, stored_at=now, data=data
                )
            )
        bind.execute(
            attachment.insert().values(
                sha256=sha,
                visit_id=row.visit_id,
                kind="photo",
                filename=row.file_name[:255],
                dated_on=row.visited_on,
                added_by=row.visitor[:60],
                added_at=now,
            )
        )
    op.drop_table("visit_photo")


def downgrade() -> None:
    op.create_table(
        "visit_photo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("media_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_visit_photo_visit_id_visit"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_photo")),
    )
    op.create_index(op.f("ix_visit_photo_visit_id"), "visit_photo", ["visit_id"])
    _owner_check(OLD_OWNER, piece=False)
