"""Shared fixtures: a fresh database per test on each engine KSM supports (SQLite and the
PostgreSQL server that .ci/run starts, KSM_TEST_PG_URL), services on it, the demo portfolio.

Every test that asks for `db`, `db_url`, `db_args`, `services` or `demo` runs twice: once on a
SQLite file, once on PostgreSQL. A test about the SQLite file itself (WAL, backups of the file,
recovery) says so with `@pytest.mark.sqlite_only`. On CI (CI set) a PostgreSQL test that skips
fails: the server must be there.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import Engine, create_engine, text

from ksm_desktop.db.engine import Database, sqlite_url
from ksm_desktop.db.storage import open_database
from ksm_desktop.i18n import set_language
from ksm_desktop.services import Actor, Services
from ksm_desktop.ui.collector import collect_if_due

# Windows Python under Wine on a busy 2-core machine (make windows-check) draws inputs slowly:
# same examples, no timing health check.
settings.register_profile("slow-machine", deadline=None, suppress_health_check=[HealthCheck.too_slow])


ENGINES = ("sqlite", "postgresql")
TEST_ACTOR = Actor("agent.test", "agent")


def pytest_configure(config: pytest.Config) -> None:
    """As in the application, Python's cycle collector never runs by itself in whatever thread
    allocates (a background job's): it runs on the main thread after each test
    (`_collect_on_main_thread`) and, in GUI tests, from the application's timer."""
    gc.disable()


@pytest.fixture(autouse=True)
def _collect_on_main_thread() -> Iterator[None]:
    yield
    collect_if_due()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every database test on both engines, unless it is marked sqlite_only."""
    if "engine_kind" not in metafunc.fixturenames:
        return
    kinds = ("sqlite",) if metafunc.definition.get_closest_marker("sqlite_only") else ENGINES
    params = [pytest.param(k, marks=[pytest.mark.postgres] if k == "postgresql" else []) for k in kinds]
    metafunc.parametrize("engine_kind", params, indirect=True)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """On CI, a PostgreSQL test that skips is a failure: the server is part of the test bed."""
    outcome = yield
    report: pytest.TestReport = outcome.get_result()  # type: ignore[attr-defined]
    if report.skipped and os.environ.get("CI") and item.get_closest_marker("postgres") is not None:
        report.outcome = "failed"
        report.longrepr = f"PostgreSQL test skipped on CI: {report.longrepr}"


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
    # The system language of an English machine, whatever this one's (a C locale now means French).
    for var in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    set_language("en")


def _pg_base() -> str:
    base = os.environ.get("KSM_TEST_PG_URL")
    if not base:
        if os.environ.get("CI"):
            pytest.fail("CI must provide KSM_TEST_PG_URL (started by .ci/run)")
        pytest.skip("no PostgreSQL server (set KSM_TEST_PG_URL; .ci/run starts one)")
    return base


def _database_url(base: str, name: str) -> str:
    return base.rsplit("/", 1)[0] + f"/{name}"


class PgServer:
    """The test server: creates and drops uniquely named databases through one admin engine."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.admin: Engine = create_engine(base, isolation_level="AUTOCOMMIT")

    def create(self, template: str | None = None) -> str:
        name = f"ksm_test_{uuid.uuid4().hex[:10]}"
        clause = f' TEMPLATE "{template}"' if template else ""
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"{clause}'))
        return name

    def drop(self, name: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def url(self, name: str) -> str:
        return _database_url(self.base, name)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    server = PgServer(_pg_base())
    yield server
    server.admin.dispose()


@pytest.fixture(scope="session")
def pg_template(pg_server: PgServer) -> Iterator[str]:
    """A database migrated to head with its reference data, once per session (per xdist
    worker): each test's database is a copy of it, which is far faster than migrating."""
    name = pg_server.create()
    open_database(pg_server.url(name)).dispose()
    yield name
    pg_server.drop(name)


@pytest.fixture(scope="session")
def pg_demo_template(pg_server: PgServer, pg_template: str) -> Iterator[str]:
    """The template with the demo portfolio loaded by TEST_ACTOR, once per session: loading it
    on the server takes many seconds, copying it a fraction of one."""
    from ksm_desktop.demo.portfolio import load_demo

    name = pg_server.create(template=pg_template)
    database = open_database(pg_server.url(name))
    load_demo(Services(database, TEST_ACTOR))
    database.dispose()
    yield name
    pg_server.drop(name)


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """A fresh, empty PostgreSQL database on the CI server; skipped outside CI when none runs."""
    name = pg_server.create()
    try:
        yield pg_server.url(name)
    finally:
        pg_server.drop(name)


@pytest.fixture
def engine_kind(request: pytest.FixtureRequest) -> str:
    """'sqlite' or 'postgresql' (parametrised by pytest_generate_tests)."""
    return str(request.param)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "ksm.sqlite3"


@pytest.fixture
def db_url(engine_kind: str, db_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of this test's database: a SQLite file, or a copy of the migrated PG template
    (of the demo template when the test asks for the demo)."""
    if engine_kind == "sqlite":
        yield sqlite_url(db_path)
        return
    server: PgServer = request.getfixturevalue("pg_server")
    template = "pg_demo_template" if "demo" in request.fixturenames else "pg_template"
    name = server.create(template=request.getfixturevalue(template))
    try:
        yield server.url(name)
    finally:
        server.drop(name)


@pytest.fixture
def db_args(engine_kind: str, db_path: Path, db_url: str) -> list[str]:
    """The command-line options that open this test's database."""
    return ["--db", str(db_path)] if engine_kind == "sqlite" else ["--db-url", db_url]


@pytest.fixture
def db(engine_kind: str, db_path: Path, db_url: str) -> Iterator[Database]:
    database = open_database(path=db_path) if engine_kind == "sqlite" else open_database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def services(db: Database) -> Services:
    return Services(db, TEST_ACTOR)


@pytest.fixture
def demo(services: Services, engine_kind: str) -> Services:
    """The demo portfolio (on PostgreSQL the test's database is already a copy of it)."""
    from ksm_desktop.demo.portfolio import load_demo

    if engine_kind == "sqlite":
        load_demo(services)
    return services


@pytest.fixture(
    scope="module",
    params=[
        pytest.param(kind, marks=[pytest.mark.postgres] if kind == "postgresql" else []) for kind in ENGINES
    ],
)
def demo_db_args(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[list[str]]:
    """Command-line options opening one demo database shared by a module's read-only tests
    (loading the portfolio takes seconds), on each engine."""
    from ksm_desktop.demo.portfolio import load_demo

    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("demo") / "k.sqlite3"
        database = open_database(path=path)
        load_demo(Services(database, Actor("admin", "admin")))
        database.dispose()
        yield ["--db", str(path)]
        return
    server: PgServer = request.getfixturevalue("pg_server")
    name = server.create(template=request.getfixturevalue("pg_demo_template"))
    yield ["--db-url", server.url(name)]
    server.drop(name)


def _open_in_this_process(*paths: object) -> str | None:
    """The first of `paths` this process holds open (Linux: its /proc/self/fd), else None."""
    wanted = {os.path.realpath(os.fspath(p)) for p in paths if isinstance(p, (str, os.PathLike))}
    fds = Path("/proc/self/fd")
    for fd in fds.iterdir():
        with contextlib.suppress(OSError):  # the descriptor listing the folder itself, now closed
            if (target := os.path.realpath(fd)) in wanted:
                return target
    return None


@pytest.fixture
def windows_open_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows refuses to rename, replace or delete a file the process holds open (SQLite's and
    Python's files are opened without FILE_SHARE_DELETE); Linux allows it. On Linux this makes
    `os.replace`, `os.rename`, `os.unlink` and `os.remove` refuse the same way, so a test shows the program
    closes a file before moving it; on Windows the system refuses by itself."""
    if sys.platform != "linux":
        return
    for name in ("replace", "rename", "unlink", "remove"):
        real = getattr(os, name)

        def refusing(*args: object, _real: Any = real, **kwargs: object) -> Any:
            if (held := _open_in_this_process(*args[:2])) is not None:
                refused = PermissionError(
                    13, "The process cannot access the file because it is being used by another process", held
                )
                refused.winerror = 32  # type: ignore[attr-defined]  # ERROR_SHARING_VIOLATION
                raise refused
            return _real(*args, **kwargs)

        monkeypatch.setattr(os, name, refusing)
