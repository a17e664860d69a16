"""Names in one order on both engines, and a broad members search read along that order.

PostgreSQL orders text by the database's collation (fr_FR, en_US… as the server was set up),
SQLite byte by byte: every text column gets PostgreSQL's "C" collation, so every list comes out in
the same order on both, whatever the server's language. The person name index also carries the
columns the members search checks, so a search that finds a large part of the registry reads its
page along the index without opening each person's row (services/name_pages.py).

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

from alembic import op
from sqlalchemy.engine import Connection

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

ORDER = ["last_name", "first_name", "id"]
CHECKED = ["search", "name_key", "phone", "cin", "sex"]  # what the members search reads


def upgrade() -> None:
    bind = op.get_bind()
    op.drop_index("ix_person_name", table_name="person")
    if bind.dialect.name == "postgresql":
        _collate(bind, '"C"')
        op.create_index("ix_person_name", "person", ORDER, postgresql_include=CHECKED)
    else:  # no INCLUDE in SQLite: the checked columns end the key
        op.create_index("ix_person_name", "person", [*ORDER, *CHECKED])


def downgrade() -> None:
    bind = op.get_bind()
    op.drop_index("ix_person_name", table_name="person")
    if bind.dialect.name == "postgresql":
        _collate(bind, '"default"')
    op.create_index("ix_person_name", "person", ["last_name", "first_name"])


def _collate(bind: Connection, collation: str) -> None:
    """Every text column of every table takes `collation`, one ALTER TABLE per table (its indexes
    on text are rebuilt once)."""
    columns = bind.exec_driver_sql(
        "SELECT c.table_name, c.column_name, c.data_type, c.character_maximum_length"
        " FROM information_schema.columns c JOIN information_schema.tables t"
        " ON t.table_schema = c.table_schema AND t.table_name = c.table_name"
        " WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'"
        " AND c.data_type IN ('character varying', 'text') AND c.table_name <> 'alembic_version'"
        " ORDER BY c.table_name, c.ordinal_position"
    ).all()
    tables: dict[str, list[str]] = {}
    for table, column, kind, length in columns:
        type_ = "text" if kind == "text" else f"varchar({length})" if length else "varchar"
        tables.setdefault(table, []).append(f'ALTER COLUMN "{column}" TYPE {type_} COLLATE {collation}')
    for table, changes in tables.items():
        bind.exec_driver_sql(f'ALTER TABLE "{table}" {", ".join(changes)}')
