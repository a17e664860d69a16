"""The dashboard's first figures at start, read with sqlite3 before SQLAlchemy is imported: the
same statements as the services (compiled into db/first_figures_sql.py), the same figures,
and none at all when something is unusual (a sign-in to ask for, a schema to migrate, a file that
is not a sound database), which then changes nothing."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ksm_desktop.db.first_figures import read_first_figures
from ksm_desktop.db.first_figures_sql import SQL
from ksm_desktop.db.storage import open_database
from ksm_desktop.domain.dashboard import DashboardFilter
from ksm_desktop.services import Actor, Services
from ksm_desktop.services.users import create_first_admin

pytestmark = pytest.mark.sqlite_only


def _single_user(services: Services) -> None:
    create_first_admin(services.db, "amina", "a-long-office-password", None)
    Services(services.db, Actor("amina", "admin")).users.set_single_user_mode(True)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_compiled_statements_are_the_services_own() -> None:
    from ksm_desktop.devtools.first_figures_sql import compiled

    assert compiled() == SQL, (
        "a dashboard or sign-in query changed: python -m ksm_desktop.devtools.first_figures_sql"
    )


def test_the_first_figures_are_the_services_figures(demo: Services, db_path: Path) -> None:
    _single_user(demo)
    expected = (demo.dashboard.programme_choices(), demo.dashboard.figures())
    cancelled = [s for s in expected[1].grants_by_status if s.status == "cancelled"]
    assert expected[1].beneficiaries.unspecified and cancelled  # households and cancelled grants counted
    demo.db.dispose()
    first = read_first_figures(db_path)
    assert first is not None
    assert (first.programme_choices(), first.figures()) == expected
    with pytest.raises(LookupError):
        first.figures(DashboardFilter(programme_id=expected[0][0].id))


def test_no_first_figures_without_single_user_mode(demo: Services, db_path: Path) -> None:
    create_first_admin(demo.db, "amina", "a-long-office-password", None)  # a sign-in will be asked
    demo.db.dispose()
    assert read_first_figures(db_path) is None


def test_no_first_figures_on_a_schema_to_migrate(services: Services, db_path: Path) -> None:
    _single_user(services)
    services.db.dispose()
    with sqlite3.connect(db_path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0013'")
    connection.close()
    assert read_first_figures(db_path) is None


@pytest.mark.parametrize(
    "content", [b"", b"not a database at all" * 100, None], ids=["empty", "foreign", "missing"]
)
def test_a_file_that_is_no_sound_database_gives_none_and_is_left_alone(
    tmp_path: Path, content: bytes | None
) -> None:
    path = tmp_path / "ksm.sqlite3"
    if content is not None:
        path.write_bytes(content)
    before = _digest(path) if path.exists() else None
    assert read_first_figures(path) is None
    assert (_digest(path) if path.exists() else None) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ([] if content is None else ["ksm.sqlite3"])


def test_a_folder_named_as_offices_name_them(tmp_path: Path) -> None:
    """Spaces, '#', '%' and Arabic in the path: the file itself is read, not a cut name."""
    folder = tmp_path / "Projets #2 100% مشاريع"
    folder.mkdir()
    path = folder / "ksm.sqlite3"
    services = Services(open_database(path=path), Actor("admin", "admin"))
    _single_user(services)
    expected = services.dashboard.figures()
    services.db.dispose()
    first = read_first_figures(path)
    assert first is not None and first.dashboard == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder.name]


def test_reading_them_imports_no_sqlalchemy(demo: Services, db_path: Path) -> None:
    _single_user(demo)
    demo.db.dispose()
    code = (
        "import sys; from pathlib import Path\n"
        "from ksm_desktop.db.first_figures import read_first_figures\n"
        "first = read_first_figures(Path(sys.argv[1]))\n"
        "assert first is not None and first.dashboard.grant_count > 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'sqlalchemy', 'PySide6', 'alembic'}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(db_path)], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == "[]"
