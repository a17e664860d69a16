"""An index for the members search typed anywhere in a name, CIN or phone (LIKE '%x%'), so that a
keystroke stays fast at a million persons: on SQLite an FTS5 table with the trigram tokenizer over
person.search, name_key and phone (external content, kept in step by triggers, filled from the
persons already registered); on PostgreSQL pg_trgm GIN indexes on the same columns.

Either engine works without it, only slower: when SQLite lacks FTS5's trigram tokenizer or the
server refuses the pg_trgm extension, the log says so and the search scans the table as before.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import logging

from alembic import op
from sqlalchemy.exc import DBAPIError

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)

COLUMNS = ("search", "name_key", "phone")
_NEW = ", ".join(f"new.{c}" for c in COLUMNS)
_OLD = ", ".join(f"old.{c}" for c in COLUMNS)
SQLITE = [
    f"CREATE VIRTUAL TABLE person_fts USING fts5({', '.join(COLUMNS)}, content='person', "
    "content_rowid='id', tokenize='trigram')",
    "INSERT INTO person_fts (person_fts) VALUES ('rebuild')",
    "CREATE TRIGGER person_fts_insert AFTER INSERT ON person BEGIN "
    f"INSERT INTO person_fts (rowid, {', '.join(COLUMNS)}) VALUES (new.id, {_NEW}); END",
    "CREATE TRIGGER person_fts_delete AFTER DELETE ON person BEGIN "
    f"INSERT INTO person_fts (person_fts, rowid, {', '.join(COLUMNS)}) VALUES ('delete', old.id, {_OLD}); END",
    f"CREATE TRIGGER person_fts_update AFTER UPDATE OF {', '.join(COLUMNS)} ON person BEGIN "
    f"INSERT INTO person_fts (person_fts, rowid, {', '.join(COLUMNS)}) VALUES ('delete', old.id, {_OLD}); "
    f"INSERT INTO person_fts (rowid, {', '.join(COLUMNS)}) VALUES (new.id, {_NEW}); END",
]
POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    *(f"CREATE INDEX ix_person_{c}_trgm ON person USING gin ({c} gin_trgm_ops)" for c in COLUMNS),
]


def upgrade() -> None:
    bind = op.get_bind()
    statements = SQLITE if bind.dialect.name == "sqlite" else POSTGRESQL
    try:
        with bind.begin_nested():
            for sql in statements:
                bind.exec_driver_sql(sql)
    except DBAPIError as exc:
        log.warning(
            "The members search has no substring index (%s); it works, scanning every person: %s",
            "FTS5 trigram" if bind.dialect.name == "sqlite" else "pg_trgm",
            exc.orig,
        )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS person_fts_{trigger}")
        bind.exec_driver_sql("DROP TABLE IF EXISTS person_fts")
    else:
        for column in COLUMNS:
            bind.exec_driver_sql(f"DROP INDEX IF EXISTS ix_person_{column}_trgm")
