"""Grant seals: the printed content of a validated grant, frozen, and the code that proves it.

Revision ID: 0007
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "grant_seal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("grant_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("sealed_at", sa.DateTime(), nullable=False),
        sa.Column("user", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["grant_id"], ["grants.id"], name=op.f("fk_grant_seal_grant_id_grants"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grant_seal")),
        sa.UniqueConstraint("code", name=op.f("uq_grant_seal_code")),
    )
    with op.batch_alter_table("grant_seal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_grant_seal_grant_id"), ["grant_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("grant_seal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grant_seal_grant_id"))
    op.drop_table("grant_seal")
    op.execute("DELETE FROM setting WHERE key = 'seal.key'")
