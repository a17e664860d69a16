"""Alembic migrations shipped inside the package, run programmatically on open."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from ksm_desktop.paths import MIGRATIONS_DIR


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the package ships no migration"
    return head


def known_revisions() -> set[str]:
    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _run(engine: Engine, step: Callable[[Connection], None]) -> None:
    """Run `step` in one transaction; on SQLite with foreign keys off while it runs.

    A batch migration on SQLite copies a table, drops the old one and renames the copy: with
    foreign keys on, dropping `person` would cascade-delete every membership. Foreign keys are
    switched off outside the transaction (SQLite ignores the pragma inside one) and the result is
    checked before commit.
    """
    with engine.connect() as connection:
        raw: Any = connection.connection.driver_connection if connection.dialect.name == "sqlite" else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with connection.begin():
                step(connection)
                if raw is not None:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"migration left broken references: {broken[:3]}")
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys = ON")


def upgrade(engine: Engine, revision: str = "head") -> None:
    _run(engine, lambda connection: command.upgrade(alembic_config(connection), revision))


def downgrade(engine: Engine, revision: str) -> None:
    _run(engine, lambda connection: command.downgrade(alembic_config(connection), revision))
