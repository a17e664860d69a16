"""Every migration, from an empty database and from the previous revision with data in it,
on SQLite and on the PostgreSQL server that .ci/run starts."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from ksm_desktop.db import migrate
from ksm_desktop.db.base import Base
from ksm_desktop.db.engine import make_engine, sqlite_url
from ksm_desktop.db.storage import open_database
from ksm_desktop.services import ListQuery, Services
from ksm_desktop.services.demo import load_demo


def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def _check_schema_matches_models(url: str) -> None:
    engine = make_engine(url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    assert set(Base.metadata.tables) <= tables


def _upgrade_with_data(url: str) -> None:
    """Data written at the previous revision survives the upgrade to head.

    The demo portfolio is loaded, the schema taken back to the previous revision (the state an
    office laptop running the previous version is in), then opened again: upgraded, data intact.
    """
    revisions = _revisions()
    services = Services(open_database(url))
    load_demo(services)
    before = services.grants.search(ListQuery(limit=None)).rows
    persons = services.persons.search(ListQuery(limit=None)).rows
    services.db.dispose()
    engine = make_engine(url)
    migrate.downgrade(engine, revisions[-2] if len(revisions) > 1 else revisions[-1])
    assert migrate.current_revision(engine) == revisions[-2]
    engine.dispose()
    reopened = Services(open_database(url))
    assert migrate.current_revision(reopened.db.engine) == migrate.head_revision()
    assert reopened.grants.search(ListQuery(limit=None)).rows == before
    assert reopened.persons.search(ListQuery(limit=None)).rows == persons
    assert len(before) == 4
    reopened.db.dispose()


def test_revisions_form_one_chain() -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert len(script.get_heads()) == 1


def test_sqlite_from_empty_and_down_again(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "m.sqlite3")
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    _check_schema_matches_models(url)
    engine = make_engine(url)
    migrate.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()


def test_sqlite_upgrade_keeps_data(tmp_path: Path) -> None:
    _upgrade_with_data(sqlite_url(tmp_path / "m.sqlite3"))


@pytest.mark.postgres
def test_postgresql_from_empty(pg_url: str) -> None:
    database = open_database(pg_url)
    database.dispose()
    _check_schema_matches_models(pg_url)


@pytest.mark.postgres
def test_postgresql_upgrade_keeps_data(pg_url: str) -> None:
    _upgrade_with_data(pg_url)


@pytest.mark.postgres
def test_postgresql_services_and_demo(pg_url: str) -> None:
    services = Services(open_database(pg_url))
    load_demo(services)
    grants = services.grants.search(ListQuery(limit=None)).rows
    assert {g.recipient: str(g.total) for g in grants}["Coopérative Chems Almaghreb"] == "36000.00"
    members = services.persons.search(ListQuery(limit=None)).rows
    assert all(m.orgs for m in members)
    services.db.dispose()


@pytest.mark.postgres
def test_postgresql_foreign_database_is_refused(pg_url: str) -> None:
    from sqlalchemy import text

    from ksm_desktop.domain.errors import DatabaseError

    engine = make_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE compta (id integer primary key)"))
    engine.dispose()
    with pytest.raises(DatabaseError):
        open_database(pg_url)
