"""Alembic migrations shipped inside the package, run programmatically on open.

Opening a database that is already up to date must not pay for importing Alembic (a large part
of the GUI's start time), so the revision graph is read from the version files (db/revisions.py)
and the current revision from the `alembic_version` table; Alembic itself is imported only to
migrate.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text

from ksm_desktop.paths import MIGRATIONS_DIR

if TYPE_CHECKING:
    from alembic.config import Config


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


@contextmanager
def migrating(engine: Engine) -> Iterator[Connection]:
    """A connection in one transaction for schema changes.

    On SQLite, foreign keys are switched off for its duration (SQLite's documented procedure for
    rebuilding a table): batch migrations copy a table and drop the old one, and with foreign keys
    on, that DROP would cascade-delete every referencing row (a grant's items and history).
    The keys are checked before the commit, so a migration cannot leave dangling references.
    """
    with engine.connect() as connection:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:  # must run outside a transaction, on the raw autocommit connection
            connection.connection.dbapi_connection.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
        try:
            with connection.begin():
                yield connection
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").first()
                    if broken is not None:
                        raise RuntimeError(f"migration left a dangling reference in {broken[0]}")
        finally:
            if sqlite:
                connection.connection.dbapi_connection.execute("PRAGMA foreign_keys = ON")  # type: ignore[union-attr]


def upgrade(engine: Engine, revision: str = "head") -> None:
    with migrating(engine) as connection:
        upgrade_on(connection, revision)


def upgrade_on(connection: Connection, revision: str = "head") -> None:
    """Upgrade inside the caller's transaction (a copy creates the schema and fills it in one go)."""
    from alembic import command

    command.upgrade(alembic_config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    from alembic import command

    with migrating(engine) as connection:
        command.downgrade(alembic_config(connection), revision)
