"""Moving an office to the server and back: `copy-to` copies every row, verified, into an empty
PostgreSQL database or a new SQLite file, and refuses anything else without touching it."""

from __future__ import annotations

import datetime as dt
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from ksm_desktop.db.engine import Database, sqlite_url
from ksm_desktop.db.storage import open_database
from ksm_desktop.services import Actor, Services
from ksm_desktop.services.dto import GrantInput, GrantItemInput, PersonInput
from tests.db.transfer_support import run, sums

# The source is the SQLite file of the test (copied to the server and back): SQLite only.
pytestmark = pytest.mark.sqlite_only


def scalar(path: Path, sql: str) -> int:
    raw = sqlite3.connect(path)
    try:
        return int(raw.execute(sql).fetchone()[0])
    finally:
        raw.close()


def new_grant_and_person(services: Services) -> tuple[str, int]:
    org = services.organisations.get_by_code("WEAM").id
    grant = services.grants.create(
        GrantInput(
            purpose="Moulin",
            organisation_id=org,
            grant_date=dt.date(2022, 5, 2),
            items=[GrantItemInput("Moulin", Decimal("1"), Decimal("2500.00"))],
        )
    )
    person = services.persons.create(PersonInput(first_name="Itto", last_name="Ouhammou", sex="F"))
    return grant.number, person.id


def test_demo_goes_to_the_server_and_back_identical_and_working(
    demo: Services, db_path: Path, pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sums(sqlite_url(db_path))
    code, out, err = run(capsys, "--db", str(db_path), "copy-to", "--db-url", pg_url)
    assert (code, err) == (0, "")
    assert "Copied and verified" in out and f"{sum(t.rows for t in before.values())} rows" in out
    assert sums(pg_url) == before

    laptop = tmp_path / "field" / "laptop.sqlite3"
    code, out, err = run(capsys, "--db-url", pg_url, "copy-to", "--db", str(laptop))
    assert (code, err) == (0, "")
    assert sums(sqlite_url(laptop)) == before
    assert not list(laptop.parent.glob(".*partial*"))

    expected = scalar(db_path, "SELECT last FROM grant_counter WHERE year = 2022") + 1
    max_person = scalar(db_path, "SELECT max(id) FROM person")
    for copy in (open_database(pg_url), open_database(path=laptop)):
        services = Services(copy, Actor("agent.test", "agent"))
        try:
            number, person_id = new_grant_and_person(services)
        finally:
            copy.dispose()
        assert number == f"KSM-2022-{expected:04d}"
        assert person_id > max_person


def test_a_target_that_is_not_empty_is_refused_and_left_alone(
    db: Database, db_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = create_engine(pg_url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE invoices (id integer primary key, total integer)"))
        connection.execute(text("INSERT INTO invoices VALUES (1, 300)"))
    code, out, err = run(capsys, "--db", str(db_path), "copy-to", "--db-url", pg_url)
    assert code == 1 and out == ""
    assert "is not empty" in err and "Nothing was changed" in err and len(err.strip().splitlines()) == 1
    with engine.connect() as connection:
        assert inspect(connection).get_table_names() == ["invoices"]
        assert connection.execute(text("SELECT id, total FROM invoices")).all() == [(1, 300)]
    engine.dispose()


def test_an_existing_file_is_refused_and_left_alone(
    db: Database, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.sqlite3"
    other.write_bytes(b"precious")
    code, _out, err = run(capsys, "--db", str(db_path), "copy-to", "--db", str(other))
    assert code == 1 and "already exists" in err
    assert other.read_bytes() == b"precious"


@pytest.mark.parametrize(
    "url", ["not a url", "postgresql+psycopg://nobody@127.0.0.1:1/ksm", "mysql://office@server/ksm"]
)
def test_a_bad_or_unreachable_url_is_one_line(
    url: str, db: Database, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", str(db_path), "copy-to", "--db-url", url)
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_a_copy_that_fails_half_way_leaves_the_server_empty(
    demo: Services, db_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # A NUL character is valid in SQLite text, never in PostgreSQL's: the last tables fail.
    raw = sqlite3.connect(db_path)
    with raw:
        raw.execute(
            "UPDATE audit_entry SET label = 'a' || char(0) || 'b' WHERE id = (SELECT max(id) FROM audit_entry)"
        )
    raw.close()
    code, _out, err = run(capsys, "--db", str(db_path), "copy-to", "--db-url", pg_url)
    assert code == 1 and "nothing was kept" in err
    engine = create_engine(pg_url)
    with engine.connect() as connection:
        assert inspect(connection).get_table_names() == []
    engine.dispose()
