"""The dashboard's first figures at start, read before SQLAlchemy is imported.

Importing SQLAlchemy and mapping the models takes most of the time between the window on screen
and figures in it (about 0.3 s here, more on an office laptop). When the program opens a local
database that was just checked sound, is at the shipped schema revision and works in single-user
mode (no sign-in to wait for), the unfiltered figures are read at once with the standard
library's sqlite3, in one read transaction, through the very statements the services run
(compiled once for SQLite into db/first_figures_sql.py; a test compares them), and made
into the figures by the same code (domain/dashboard.py). The services then open the
database as always and read the figures again. Anything unusual — a sign-in to ask for, a schema
to migrate, an error — gives None: the figures come through the services only.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from ksm_desktop.db.first_figures_sql import SQL
from ksm_desktop.db.revisions import head_revision
from ksm_desktop.db.uri import read_only_uri
from ksm_desktop.domain.dashboard import (
    Dashboard,
    DashboardFilter,
    ProgrammeChoice,
    assemble,
    grant_group,
)
from ksm_desktop.domain.values import cents_to_decimal

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FirstFigures:
    """The unfiltered dashboard and its programme choices, as the services would give them."""

    choices: tuple[ProgrammeChoice, ...]
    dashboard: Dashboard

    def programme_choices(self) -> tuple[ProgrammeChoice, ...]:
        return self.choices

    def figures(self, flt: DashboardFilter = DashboardFilter()) -> Dashboard:
        """The dashboard read at start; other filters wait for the services."""
        if flt != DashboardFilter():
            raise LookupError("the first figures are the unfiltered ones only")
        return self.dashboard


def read_first_figures(path: Path) -> FirstFigures | None:
    """The first figures of the SQLite file at `path`, or None (see the module's docstring)."""
    try:
        with _reading(path) as cursor:
            if _revision(cursor) != head_revision() or not _single_user(cursor):
                return None
            return _figures(cursor)
    except sqlite3.Error as exc:
        log.info("first figures left to the services: %s", exc)
        return None


@contextmanager
def _reading(path: Path) -> Iterator[sqlite3.Cursor]:
    """A cursor in one read transaction of the file, which it can neither create nor change."""
    with closing(sqlite3.connect(read_only_uri(path), uri=True, isolation_level=None)) as connection:
        cursor = connection.cursor()
        cursor.execute("BEGIN")
        try:
            yield cursor
        finally:
            cursor.execute("ROLLBACK")


def _revision(cursor: sqlite3.Cursor) -> str | None:
    rows = cursor.execute("SELECT version_num FROM alembic_version").fetchall()
    return rows[0][0] if len(rows) == 1 else None


def _single_user(cursor: sqlite3.Cursor) -> bool:
    """Single-user mode with an active administrator: the services sign them in without asking."""
    setting = cursor.execute(SQL["single_user"]).fetchone()
    return (
        setting is not None
        and setting[0] == "1"
        and cursor.execute(SQL["administrator"]).fetchone() is not None
    )


def _figures(cursor: sqlite3.Cursor) -> FirstFigures:
    families: dict[int | None, int] = {
        pid: int(n) for pid, n in cursor.execute(SQL["households_per_programme"])
    }
    families[None] = int(cursor.execute(SQL["households_in_all"]).fetchone()[0])
    dashboard = assemble(
        [grant_group(row) for row in cursor.execute(SQL["grant_groups"])],
        families,
        cursor.execute(SQL["organisations"]).fetchall(),
        dict(cursor.execute(SQL["members"]).fetchall()),
        [
            (pid, code, name, currency, None if budget is None else cents_to_decimal(budget))
            for pid, code, name, currency, budget in cursor.execute(SQL["programmes"])
        ],
    )
    choices = tuple(ProgrammeChoice(*row) for row in cursor.execute(SQL["choices"]))
    return FirstFigures(choices, dashboard)
