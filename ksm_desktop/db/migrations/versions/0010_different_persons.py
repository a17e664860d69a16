"""Pairs of persons declared different (duplicate checks never propose them again), and an index
on the phone, which the candidates shown while typing look up.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "different_persons",
        sa.Column("person_a", sa.Integer(), nullable=False),
        sa.Column("person_b", sa.Integer(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("user", sa.String(length=60), nullable=False),
        sa.CheckConstraint("person_a < person_b", name=op.f("ck_different_persons_ordered_pair")),
        sa.ForeignKeyConstraint(
            ["person_a"], ["person.id"], name=op.f("fk_different_persons_person_a_person"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_b"], ["person.id"], name=op.f("fk_different_persons_person_b_person"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("person_a", "person_b", name=op.f("pk_different_persons")),
    )
    with op.batch_alter_table("different_persons", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_different_persons_person_b"), ["person_b"], unique=False)
    op.create_index("ix_person_phone", "person", ["phone"])


def downgrade() -> None:
    op.drop_index("ix_person_phone", table_name="person")
    with op.batch_alter_table("different_persons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_different_persons_person_b"))
    op.drop_table("different_persons")
