"""Writes db/first_figures_sql.py: the statements of the unfiltered dashboard and of the
single-user sign-in, compiled for SQLite with their values written in, so that the first figures
at start are read with the standard library's sqlite3 before SQLAlchemy is imported. A test
fails when a query changes without this being run again:

    python -m ksm_desktop.devtools.first_figures_sql
"""

from __future__ import annotations

import pprint
import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import Select
from sqlalchemy.dialects import sqlite

from ksm_desktop.db import first_figures_sql
from ksm_desktop.domain.dashboard import DashboardFilter
from ksm_desktop.services import dashboard
from ksm_desktop.services.users import single_user_statements

TARGET = Path(first_figures_sql.__file__)


def compiled() -> dict[str, str]:
    """What db/first_figures_sql.py must hold."""
    everything = DashboardFilter()
    per_programme, in_all = dashboard.household_people_statements(everything)
    single_user, administrator = single_user_statements()
    statements: dict[str, Select[Any]] = {
        "single_user": single_user,
        "administrator": administrator,
        "choices": dashboard.choices_statement(),
        "grant_groups": dashboard.grant_groups_statement(everything),
        "households_per_programme": per_programme,
        "households_in_all": in_all,
        "organisations": dashboard.organisations_statement(everything),
        "members": dashboard.members_statement(everything),
        "programmes": dashboard.programmes_statement(everything),
    }
    dialect = sqlite.dialect()
    return {
        name: str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
        for name, stmt in statements.items()
    }


def main() -> None:
    text = (
        '"""Written by `python -m ksm_desktop.devtools.first_figures_sql` from the services\' own\n'
        'statements (services/dashboard.py, services/users.py): do not edit by hand."""\n\n'
        f"SQL = {pprint.pformat(compiled(), width=100, sort_dicts=False)}\n"
    )
    TARGET.write_text(text, "utf-8")
    subprocess.run([sys.executable, "-m", "ruff", "format", "--quiet", str(TARGET)], check=True)
    print(f"written: {TARGET}")


if __name__ == "__main__":
    main()
