"""Alembic environment: runs on the connection the application hands over (see db/migrate.py)."""

from __future__ import annotations

from alembic import context

from ksm_desktop.db import models  # noqa: F401  (registers the tables on Base.metadata)
from ksm_desktop.db.base import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # `alembic` command line, for developers: use the configured URL
    from sqlalchemy import create_engine

    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    connection = engine.connect()

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
