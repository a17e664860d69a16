"""Shared fixtures: a fresh SQLite database per test, services on it, the demo portfolio,
and the PostgreSQL server that .ci/run starts (KSM_TEST_PG_URL)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import create_engine, text

from ksm_desktop.db.engine import Database
from ksm_desktop.db.storage import open_database
from ksm_desktop.i18n import set_language
from ksm_desktop.services import Actor, Services

# Windows Python under Wine on a busy 2-core machine (make windows-check) draws inputs slowly:
# same examples, no timing health check.
settings.register_profile("slow-machine", deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read or write the real user's preferences or data folder; messages in English
    unless a test asks for another language."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("KSM_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "xdg-config"))
    # Windows: platformdirs (>= 4.8) reads these before asking the shell for %LOCALAPPDATA%/%APPDATA%.
    monkeypatch.setenv("WIN_PD_OVERRIDE_LOCAL_APPDATA", str(home / "localappdata"))
    monkeypatch.setenv("WIN_PD_OVERRIDE_APPDATA", str(home / "appdata"))
    monkeypatch.delenv("KSM_DB_URL", raising=False)
    set_language("en")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "ksm.sqlite3"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = open_database(path=db_path)
    yield database
    database.dispose()


@pytest.fixture
def services(db: Database) -> Services:
    return Services(db, Actor("agent.test", "agent"))


@pytest.fixture
def demo(services: Services) -> Services:
    from ksm_desktop.services.demo import load_demo

    load_demo(services)
    return services


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database on the CI server; skipped outside CI when none runs."""
    base = os.environ.get("KSM_TEST_PG_URL")
    if not base:
        if os.environ.get("CI"):
            pytest.fail("CI must provide KSM_TEST_PG_URL (started by .ci/run)")
        pytest.skip("no PostgreSQL server (set KSM_TEST_PG_URL; .ci/run starts one)")
    name = f"ksm_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
