"""A name key on persons (every spelling, either script, one key) for the members search and
duplicate detection; filled for the persons already registered.

Revision ID: 0008
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from ksm_desktop.domain.names import name_key

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

BATCH = 5000


def upgrade() -> None:
    op.add_column("person", sa.Column("name_key", sa.Text(), nullable=False, server_default=""))
    person = sa.table(
        "person",
        sa.column("id", sa.Integer),
        sa.column("first_name", sa.String),
        sa.column("last_name", sa.String),
        sa.column("full_name_ar", sa.String),
        sa.column("anonymised_on", sa.Date),
        sa.column("name_key", sa.Text),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(person.c.id, person.c.first_name, person.c.last_name, person.c.full_name_ar).where(
            person.c.anonymised_on.is_(None)
        )
    ).all()
    update = person.update().where(person.c.id == sa.bindparam("pid")).values(name_key=sa.bindparam("key"))
    keys = [{"pid": pid, "key": name_key(first, last, ar)} for pid, first, last, ar in rows]
    for start in range(0, len(keys), BATCH):
        bind.execute(update, keys[start : start + BATCH])
    op.create_index("ix_person_name_key", "person", ["name_key"])


def downgrade() -> None:
    op.drop_index("ix_person_name_key", table_name="person")
    with op.batch_alter_table("person") as batch:
        batch.drop_column("name_key")
