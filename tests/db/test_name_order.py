"""Names come out in the same order on SQLite and on a PostgreSQL server set up in French (an ICU
collation that puts "aghrum" before "Amal" and "Élan" before "Zagora"): PostgreSQL compares text
as SQLite does, character code by character code, whatever the server's language."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from ksm_desktop.db.engine import sqlite_url
from ksm_desktop.db.storage import open_database
from ksm_desktop.services import Actor, ListQuery, Services, name_pages
from ksm_desktop.services.dto import OrganisationInput, PersonInput
from tests.conftest import PgServer

NAMES = ["Zagora", "aghrum", "Élan", "Amal", "ajial", "ben Ali", "Ben Ali", "Benali", "El Fassi", "أمل"]
FIRST = ["Zineb", "amina", "Éric", "Aicha", "Ben", "زينب"]


@pytest.fixture
def french_server_url(pg_server: PgServer) -> Iterator[str]:
    """A database made with the French ICU collation (as `initdb --locale=fr_FR` would make it)."""
    name = f"ksm_test_{uuid.uuid4().hex[:10]}"
    with pg_server.admin.connect() as connection:
        try:
            connection.execute(
                text(
                    f"CREATE DATABASE \"{name}\" TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'fr-FR' "
                    "LOCALE 'C.UTF-8'"
                )
            )
        except DBAPIError as exc:
            pytest.skip(f"this PostgreSQL server cannot make a French ICU database: {exc.orig}")
    try:
        yield pg_server.url(name)
    finally:
        pg_server.drop(name)


def _orders(url: str) -> dict[str, list[str]]:
    """The lists a user sees, in the order the services give them."""
    services = Services(open_database(url), Actor("agent", "agent"))
    try:
        for name in NAMES:
            services.organisations.create(OrganisationInput(kind="association", name=name))
        for n, (first, last) in enumerate((f, n) for f in FIRST for n in NAMES):
            services.persons.create(PersonInput(first, last, "F" if n % 2 else "M"))

        def persons(query: ListQuery) -> list[str]:
            return [f"{r.last_name}, {r.first_name}" for r in services.persons.search(query).rows]

        orders = {
            "organisations by name": [
                r.name for r in services.organisations.search(ListQuery(sort="name")).rows
            ],
            "members": persons(ListQuery(limit=None)),
            "members by first name": persons(ListQuery(sort="first_name", limit=None)),
            "members found, page": persons(ListQuery(text="a", limit=40)),
            "members found, descending": persons(ListQuery(text="a", sort="last_name", descending=True)),
        }
        with services.db.engine.connect() as connection:
            if connection.dialect.name == "postgresql":  # every text column, of every table
                collations = connection.execute(
                    text(
                        "SELECT DISTINCT coalesce(collation_name, 'default') FROM information_schema.columns"
                        " WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying')"
                        " AND table_name <> 'alembic_version'"
                    )
                ).scalars()
                assert set(collations) == {"C"}
        return orders
    finally:
        services.db.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("cap", [10_000, 5])
def test_names_order_alike_on_sqlite_and_a_french_postgresql_server(
    tmp_path: Path, french_server_url: str, monkeypatch: pytest.MonkeyPatch, cap: int
) -> None:
    monkeypatch.setattr(name_pages, "COUNT_CAP", cap)  # 5: the broad search's page read along the index
    on_sqlite = _orders(sqlite_url(tmp_path / "ksm.sqlite3"))
    assert on_sqlite["organisations by name"] == sorted(NAMES)
    assert _orders(french_server_url) == on_sqlite
