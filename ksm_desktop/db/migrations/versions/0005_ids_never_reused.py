"""Ids of organisations, persons, grants and households are never handed out twice (SQLite).

SQLite gives a new row the highest id + 1, so deleting the last person and adding another gave the
newcomer the deleted person's id, and with it the deleted person's history in the audit log and in
a right-of-access export. AUTOINCREMENT keeps the highest id ever used instead. The tables are
rebuilt (SQLite cannot add it in place), and each counter starts past every id the audit log has
seen, so the persons deleted before this upgrade are not reused either. PostgreSQL's sequences
never go back: nothing to do there.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# table → entity name in audit_entry
TABLES = {"organisation": "organisation", "person": "person", "grants": "grant", "household": "household"}


def _rebuild(autoincrement: bool) -> None:
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _rebuild(True)
    for table, entity in TABLES.items():
        op.execute(f"DELETE FROM sqlite_sequence WHERE name = '{table}'")
        op.execute(
            f"INSERT INTO sqlite_sequence (name, seq) SELECT '{table}', max("
            f"  coalesce((SELECT max(id) FROM {table}), 0),"
            f"  coalesce((SELECT max(entity_id) FROM audit_entry WHERE entity = '{entity}'), 0))"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _rebuild(False)
