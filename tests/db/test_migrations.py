"""Every migration, from an empty database and from the previous revision with data in it,
on SQLite and on the PostgreSQL server that .ci/run starts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from ksm_desktop.db import migrate, revisions
from ksm_desktop.db.base import Base
from ksm_desktop.db.engine import make_engine, sqlite_url
from ksm_desktop.db.storage import open_database
from ksm_desktop.demo.portfolio import load_demo
from ksm_desktop.services import Actor, ListQuery, Services
from ksm_desktop.services.dto import GrantInput, GrantItemInput
from ksm_desktop.services.dto_fieldwork import HouseholdAllocation, HouseholdInput

D = Decimal


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


# Rows written at revision 0001 with plain SQL: today's models (and services) need the later
# tables, so the old schema's data is written the way the 0001 application left it.
ROWS_0001 = [
    "INSERT INTO location (id, level, name) VALUES (900, 'commune', 'Tendrara')",
    "INSERT INTO organisation (id, code, kind, name, status, search)"
    " VALUES (1, 'MALIKA', 'cooperative', 'Coopérative Malika', 'active', 'cooperative malika')",
    "INSERT INTO person (id, first_name, last_name, sex, cin, vulnerabilities, search)"
    " VALUES (1, 'Fatima', 'Ouchen', 'F', 'ZZ000001', '', 'fatima ouchen')",
    "INSERT INTO membership (person_id, organisation_id, role) VALUES (1, 1, 'president')",
    "INSERT INTO programme (id, code, name, status, currency, search) VALUES (1, 'AGR-ERR', 'AGR', 'ongoing', 'EUR', '')",
    "INSERT INTO grant_counter (year, last) VALUES (2024, 2)",
    "INSERT INTO grants (id, number, programme_id, organisation_id, kind, purpose, currency, eur_mad_rate,"
    " women, men, unspecified, status, search, created_at, created_by) VALUES (1, 'KSM-2024-0001', 1, 1,"
    " 'equipment', 'Machines à coudre', 'EUR', 108500, 172, 168, 0, 'validated', 'ksm-2024-0001',"
    " '2024-03-01 10:00:00', 'admin')",
    "INSERT INTO grants (id, number, person_id, kind, purpose, currency, eur_mad_rate,"
    " women, men, unspecified, status, search, created_at, created_by) VALUES (2, 'KSM-2024-0002', 1,"
    " 'financial', 'Appui AGR', 'MAD', 108500, 1, 0, 0, 'draft', 'ksm-2024-0002', '2024-03-02 10:00:00', 'admin')",
    "INSERT INTO grant_item (grant_id, position, designation, quantity, unit_price)"
    " VALUES (1, 1, 'Machine à coudre', 8000, 52000), (1, 2, 'Surjeteuse', 2000, 38000),"
    " (2, 1, 'Fonds de roulement', 1000, 500000)",
    "INSERT INTO grant_event (grant_id, status, at, \"user\") VALUES (1, 'draft', '2024-03-01 10:00:00', 'admin'),"
    " (1, 'validated', '2024-03-05 10:00:00', 'admin'), (2, 'draft', '2024-03-02 10:00:00', 'admin')",
]


def _upgrade_with_data(url: str) -> None:
    """Grants, their items and history written at 0001 survive the upgrade to head (the grants
    table is rebuilt on SQLite to widen its one-recipient rule), and a household can then get one."""
    engine = make_engine(url)
    migrate.upgrade(engine, "0001")
    with engine.begin() as conn:
        for sql in ROWS_0001:
            conn.execute(text(sql))
        if conn.dialect.name == "postgresql":  # explicit ids: move the sequences past them
            for table in ("location", "organisation", "person", "programme", "grants"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), 1000)"))
    engine.dispose()
    services = Services(open_database(url), Actor("admin", "admin"))
    assert migrate.current_revision(services.db.engine) == revisions.head_revision()
    rows = {r.number: r for r in services.grants.search(ListQuery(limit=None)).rows}
    assert set(rows) == {"KSM-2024-0001", "KSM-2024-0002"}
    malika = services.grants.get_by_number("KSM-2024-0001")
    assert (malika.total, malika.women, malika.men) == (D("4920.00"), 172, 168)
    assert [e.status for e in malika.events] == ["draft", "validated"]
    assert malika.recipient.president_name == "Fatima Ouchen"
    assert services.grants.get_by_number("KSM-2024-0002").recipient.cin == "ZZ000001"
    # the name key is filled for persons registered before it existed
    assert [r.id for r in services.persons.search(ListQuery(text="فاطمة")).rows] == [1]
    tribe = services.locations.add("tribe", "Ouled Tafrat", 900).id
    household = services.households.create(HouseholdInput(head_id=1, size=5, location_id=tribe))
    numbers = services.households.grant_to_households(
        GrantInput(
            purpose="Latrine",
            grant_date=dt.date(2024, 1, 1),
            items=[GrantItemInput("Bloc", D("1"), D("780"))],
        ),
        [HouseholdAllocation(household.id)],
    )
    assert numbers == ["KSM-2024-0003"]  # the counter written at 0001 goes on
    # the widened rule still refuses two recipients
    with pytest.raises(IntegrityError), services.db.transaction() as session:
        session.execute(text("UPDATE grants SET organisation_id = 1 WHERE number = 'KSM-2024-0003'"))
    services.db.dispose()


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


def test_sqlite_downgrade_drops_only_household_grants(tmp_path: Path) -> None:
    """Back to 0001 (an older KSM Desktop): grants to households cannot exist there, the others stay."""
    url = sqlite_url(tmp_path / "m.sqlite3")
    _upgrade_with_data(url)
    engine = make_engine(url)
    migrate.downgrade(engine, "0001")
    with engine.connect() as conn:
        numbers = conn.execute(text("SELECT number FROM grants ORDER BY number")).scalars().all()
        items = conn.execute(text("SELECT count(*) FROM grant_item")).scalar()
    engine.dispose()
    assert (numbers, items) == (["KSM-2024-0001", "KSM-2024-0002"], 3)


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
    services = Services(open_database(pg_url), Actor("admin", "admin"))
    load_demo(services)
    grants = services.grants.search(ListQuery(limit=None)).rows
    assert {g.recipient: str(g.total) for g in grants}["Coopérative Chems Almaghreb"] == "36000.00"
    aqua = services.programmes.get_by_code("AQUA-NOOR").id
    assert services.households.equipment_progress(aqua).by_year() == {2021: 135, 2022: 40}
    members = services.persons.search(ListQuery(limit=None)).rows
    heads = {h.head_cin for h in services.households.search(ListQuery(limit=None)).rows}
    assert len(heads) == 175 and all(m.orgs or m.cin in heads for m in members)
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


def test_revision_graph_read_without_alembic_matches_alembic() -> None:
    """Opening an up-to-date database skips Alembic; its shortcut must agree with Alembic."""
    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert revisions.revision_graph() == {r.revision: r.down_revision for r in script.walk_revisions()}
    assert revisions.head_revision() == script.get_current_head()


def test_opening_an_up_to_date_database_does_not_import_alembic(tmp_path: Path) -> None:
    import subprocess
    import sys

    open_database(path=tmp_path / "ksm.sqlite3").dispose()
    code = (
        "import sys; from pathlib import Path; from ksm_desktop.db.storage import open_database; "
        f"open_database(path=Path({str(tmp_path / 'ksm.sqlite3')!r})).dispose(); "
        "print('alembic' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    assert result.stdout.strip() == "False"


def _upgrade_0001_to_0002(url: str) -> None:
    """0002 (accounts, audit log, consent) keeps every row written at 0001 and adds empty columns."""
    engine = make_engine(url)
    migrate.upgrade(engine, "0001")
    with engine.begin() as conn:
        for sql in ROWS_0001:
            conn.execute(text(sql))
        before = {
            table: conn.execute(text(f"SELECT count(*) FROM {table}")).scalar()
            for table in ("organisation", "person", "membership", "grants", "grant_item", "grant_event")
        }
    migrate.upgrade(engine, "0002")
    with engine.connect() as conn:
        after = {table: conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() for table in before}
        consent = conn.execute(text("SELECT consent_date, consent_purpose, anonymised_on FROM person")).all()
        assert conn.execute(text("SELECT count(*) FROM user_account")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM audit_entry")).scalar() == 0
    engine.dispose()
    assert after == before and all(v for v in before.values())
    assert consent == [(None, None, None)]


def test_sqlite_0001_to_0002_keeps_data(tmp_path: Path) -> None:
    _upgrade_0001_to_0002(sqlite_url(tmp_path / "m.sqlite3"))


@pytest.mark.postgres
def test_postgresql_0001_to_0002_keeps_data(pg_url: str) -> None:
    _upgrade_0001_to_0002(pg_url)


def _upgrade_0012_to_0013(url: str) -> None:
    """0013: a visit's photos (visit_photo, up to 0012) become its attachments, byte for byte and
    checked against their SHA-256; the files attached before keep their owners; going back to 0012
    keeps every file (the photos stay attached to their visit)."""
    from tests.unit.attachment_files import phone_photo

    photo = phone_photo(64, 48)
    engine = make_engine(url)
    migrate.upgrade(engine, "0012")
    with engine.begin() as conn:
        for sql in ROWS_0001[:2]:  # a commune and an organisation
            conn.execute(text(sql))
        conn.execute(
            text(
                "INSERT INTO visit (id, organisation_id, visited_on, visitor)"
                " VALUES (7, 1, '2024-03-01', 'Naima Ait Ali')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO visit_photo (visit_id, file_name, media_type, size, data)"
                " VALUES (7, 'four.jpg', 'image/jpeg', :size, :data), (7, 'encore.jpg', 'image/jpeg', :size, :data)"
            ),
            {"size": len(photo), "data": photo},
        )
    engine.dispose()
    services = Services(open_database(url), Actor("admin", "admin"))
    moved = services.attachments.list("visit", 7)
    assert [(a.filename, a.kind.value, a.dated_on, a.added_by) for a in moved] == [
        ("four.jpg", "photo", dt.date(2024, 3, 1), "Naima Ait Ali"),
        ("encore.jpg", "photo", dt.date(2024, 3, 1), "Naima Ait Ali"),
    ]
    assert moved[0].sha256 == moved[1].sha256  # stored once
    assert services.attachments.content(moved[0].id) == photo
    services.db.dispose()
    engine = make_engine(url)
    migrate.downgrade(engine, "0012")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM attachment WHERE visit_id = 7")).scalar() == 2
    engine.dispose()


def test_sqlite_0012_to_0013_moves_visit_photos(tmp_path: Path) -> None:
    _upgrade_0012_to_0013(sqlite_url(tmp_path / "m.sqlite3"))


@pytest.mark.postgres
def test_postgresql_0012_to_0013_moves_visit_photos(pg_url: str) -> None:
    _upgrade_0012_to_0013(pg_url)
