"""Attached files: their bytes once per SHA-256, and the links to grants, items, visits,
organisations and persons.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# As the model said at this revision (0013 adds the visited piece).
ONE_OWNER = (
    "(CASE WHEN grant_id IS NULL THEN 0 ELSE 1 END"
    " + CASE WHEN visit_id IS NULL THEN 0 ELSE 1 END"
    " + CASE WHEN organisation_id IS NULL THEN 0 ELSE 1 END"
    " + CASE WHEN person_id IS NULL THEN 0 ELSE 1 END) = 1"
    " AND (grant_item_id IS NULL OR grant_id IS NOT NULL)"
)

OWNERS = (
    ("grant_id", "grants", "CASCADE"),
    ("grant_item_id", "grant_item", "SET NULL"),
    ("visit_id", "visit", "CASCADE"),
    ("organisation_id", "organisation", "CASCADE"),
    ("person_id", "person", "CASCADE"),
)


def upgrade() -> None:
    op.create_table(
        "attachment_content",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(length=60), nullable=False),
        sa.Column("thumbnail", sa.LargeBinary(), nullable=True),
        sa.Column("stored_at", sa.DateTime(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),  # last: see models_attachments
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_attachment_content")),
    )
    op.create_table(
        "attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        *(sa.Column(column, sa.Integer(), nullable=True) for column, _table, _rule in OWNERS),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("dated_on", sa.Date(), nullable=False),
        sa.Column("caption", sa.Text(), nullable=True),
        sa.Column("added_by", sa.String(length=60), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("removed_by", sa.String(length=60), nullable=True),
        sa.Column("removed_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(ONE_OWNER, name=op.f("ck_attachment_one_owner")),
        sa.ForeignKeyConstraint(
            ["sha256"],
            ["attachment_content.sha256"],
            name=op.f("fk_attachment_sha256_attachment_content"),
            ondelete="RESTRICT",
        ),
        *(
            sa.ForeignKeyConstraint(
                [column], [f"{table}.id"], name=op.f(f"fk_attachment_{column}_{table}"), ondelete=rule
            )
            for column, table, rule in OWNERS
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        for column in ("sha256", *(column for column, _table, _rule in OWNERS)):
            batch_op.create_index(batch_op.f(f"ix_attachment_{column}"), [column], unique=False)


def downgrade() -> None:
    op.drop_table("attachment")
    op.drop_table("attachment_content")
