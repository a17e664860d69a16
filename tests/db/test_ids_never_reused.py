"""A deleted record's id is never given to a new one (persons, organisations, grants, households),
so nothing kept under the old id — audit history, a right-of-access export — reaches a newcomer."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from ksm_desktop.db import migrate, revisions
from ksm_desktop.db.engine import make_engine, sqlite_url
from ksm_desktop.db.storage import open_database
from ksm_desktop.services import Actor, Services
from ksm_desktop.services.dto import GrantInput, GrantItemInput, OrganisationInput, PersonInput
from ksm_desktop.services.dto_fieldwork import HouseholdInput


def _check_never_reused(services: Services) -> None:
    people = services.persons
    kept = people.create(PersonInput("Fatima", "Ouchen", "F")).id
    gone = people.create(PersonInput("Aicha", "Partie", "F", cin="ZZ900001")).id
    people.delete(gone)
    assert people.create(PersonInput("Zahra", "Nouvelle", "F")).id > gone
    people.bulk_create([PersonInput("Hamid", "Importé", "M")])  # the import's own path
    last = max(r.id for r in people.search().rows)
    people.delete(last)
    people.bulk_create([PersonInput("Omar", "Importé", "M")])
    assert max(r.id for r in people.search().rows) > last

    orgs = services.organisations
    org = orgs.create(OrganisationInput(kind="cooperative", name="Éphémère")).id
    orgs.delete(org)
    assert orgs.create(OrganisationInput(kind="cooperative", name="Suivante")).id > org

    grants = services.grants
    item = [GrantItemInput("Machine", Decimal("1"), Decimal("10"))]
    draft = grants.create(GrantInput(purpose="Brouillon", person_id=kept, items=item)).id
    grants.delete(draft)
    assert grants.create(GrantInput(purpose="Suivant", person_id=kept, items=item)).id > draft

    province = services.locations.find("Figuig", "province")
    assert province is not None
    commune = services.locations.add("commune", "Tendrara", province.id).id
    tribe = services.locations.add("tribe", "Ouled Tafrat", commune).id
    home = services.households.create(HouseholdInput(head_id=kept, size=4, location_id=tribe)).id
    services.households.delete(home)
    assert services.households.create(HouseholdInput(head_id=kept, size=4, location_id=tribe)).id > home


def test_sqlite_never_reuses_ids(services: Services) -> None:
    _check_never_reused(services)


@pytest.mark.postgres
def test_postgresql_never_reuses_ids(pg_url: str) -> None:
    services = Services(open_database(pg_url), Actor("agent.test", "agent"))
    try:
        _check_never_reused(services)
    finally:
        services.db.dispose()


def test_upgrade_skips_ids_of_persons_deleted_before_it_and_export_keeps_only_the_holder(
    tmp_path: Path,
) -> None:
    """A database from before 0005 whose last person was deleted: the next one gets a fresh id;
    and where an id was already reused, the export leaves out the deleted person's history."""
    path = tmp_path / "old.sqlite3"
    engine = make_engine(sqlite_url(path))
    migrate.upgrade(engine, "0004")
    engine.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO person (id, first_name, last_name, sex, vulnerabilities, search)"
            " VALUES (1, 'Zahra', 'Nouvelle', 'F', '', 'zahra nouvelle')"
        )
        log = "INSERT INTO audit_entry (at, username, action, entity, entity_id, label, changes) VALUES "
        conn.execute(
            log
            + "('2026-01-01', 'a', 'create', 'person', 1, 'Aicha Partie', '{\"cin\": [null, \"ZZ900001\"]}')"
        )
        conn.execute(
            log
            + "('2026-01-02', 'a', 'delete', 'person', 1, 'Aicha Partie', '{\"cin\": [\"ZZ900001\", null]}')"
        )
        conn.execute(log + "('2026-01-03', 'a', 'create', 'person', 1, 'Zahra Nouvelle', '{}')")
        conn.execute(log + "('2026-01-04', 'a', 'delete', 'person', 2, 'Omar Parti', '{}')")
    services = Services(open_database(path=path), Actor("amina", "admin"))
    try:
        assert migrate.current_revision(services.db.engine) == revisions.head_revision()
        assert services.persons.create(PersonInput("Nadia", "Suivante", "F")).id == 3
        export = services.privacy.export(1)
        assert [e["changes"] for e in export["history"]] == [{}]
        assert "ZZ900001" not in str(export)
    finally:
        services.db.dispose()
