"""Serial numbers (or inventory tags) of grant items, and the condition of each piece seen at a
follow-up visit.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "grant_item_serial",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("serial", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["grant_item.id"],
            name=op.f("fk_grant_item_serial_item_id_grant_item"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grant_item_serial")),
        sa.UniqueConstraint("item_id", "serial", name="item_serial"),
    )
    op.create_index(op.f("ix_grant_item_serial_item_id"), "grant_item_serial", ["item_id"])
    op.create_table(
        "visit_piece",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("serial_id", sa.Integer(), nullable=True),
        sa.Column("condition", sa.String(length=20), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.CheckConstraint("count > 0", name=op.f("ck_visit_piece_count_positive")),
        sa.ForeignKeyConstraint(
            ["visit_id"], ["visit.id"], name=op.f("fk_visit_piece_visit_id_visit"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["grant_item.id"], name=op.f("fk_visit_piece_item_id_grant_item"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["serial_id"],
            ["grant_item_serial.id"],
            name=op.f("fk_visit_piece_serial_id_grant_item_serial"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_piece")),
        sa.UniqueConstraint("visit_id", "serial_id", name="visit_serial"),
    )
    for column in ("visit_id", "item_id", "serial_id"):
        op.create_index(op.f(f"ix_visit_piece_{column}"), "visit_piece", [column])


def downgrade() -> None:
    op.drop_table("visit_piece")
    op.drop_table("grant_item_serial")
