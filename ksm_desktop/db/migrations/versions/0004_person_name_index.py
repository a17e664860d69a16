"""Index persons by name: the members list opens in name order without sorting every row.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_person_name", "person", ["last_name", "first_name"])


def downgrade() -> None:
    op.drop_index("ix_person_name", table_name="person")
