"""Member import from Excel and dashboard aggregates at office scale."""

from __future__ import annotations

import random
import sqlite3
import tempfile
from pathlib import Path

from benchmarks.common import FIRST, LAST, Result, median_ms, median_trials_ms, people, timed_ms
from ksm_desktop.db.storage import open_database
from ksm_desktop.exchange.members import guess_mapping, parse_rows
from ksm_desktop.exchange.sheets import read_table
from ksm_desktop.services import Actor, Services
from ksm_desktop.services.dto import OrganisationInput, ProgrammeInput

IMPORT_ROWS = 10_000
MEMBERS = 100_000
GRANTS = 10_000


def _workbook(path: Path, n: int) -> None:
    import datetime as dt

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["Nom", "Prénom", "CIN", "Sexe", "Date de naissance", "Téléphone", "Fonction"])
    for i in range(n):
        sheet.append(
            [
                f"{LAST[i % 10]} {i}",
                FIRST[(i // 10) % 10],
                f"XQ{i:06d}",
                "Femme" if i % 2 else "Homme",
                dt.datetime(1960 + i % 45, 1 + i % 12, 1 + i % 28),
                f"06{i:08d}",
                "Membre",
            ]
        )
    workbook.save(path)


def import_xlsx() -> list[Result]:
    """Read, clean, validate and commit 10,000 rows (with the backup) vs a bare openpyxl read."""
    import openpyxl

    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "members.xlsx"
        _workbook(book, IMPORT_ROWS)

        def bare() -> None:
            wb = openpyxl.load_workbook(book, read_only=True, data_only=True)
            for _row in wb.worksheets[0].iter_rows(values_only=True):
                pass
            wb.close()

        def trial() -> float:
            """One import into a fresh database."""
            folder = Path(tempfile.mkdtemp(dir=tmp))
            services = Services(open_database(path=folder / "db.sqlite3"), Actor("admin", "admin"))
            org = services.organisations.create(OrganisationInput(kind="cooperative", name="Bench")).id

            def run() -> None:
                table = read_table(book)
                rows, bad = parse_rows(table, guess_mapping(table.headers, saved={}))
                report = services.imports.commit(org, rows, bad)
                assert report.to_add == IMPORT_ROWS, report.lines()[:8]

            ms = timed_ms(run)
            services.db.dispose()
            return ms

        bare_ms = median_ms(bare, repeat=3)
        import_ms = median_trials_ms(trial)
    return [
        Result(
            "import 10k-row xlsx (read, clean, validate, backup, commit)",
            import_ms,
            "<= 5 s and <= 2x bare read",
            import_ms <= 5000 and import_ms <= 2 * bare_ms,
            "openpyxl read-only read of the same file",
            bare_ms,
        )
    ]


def _populate(services: Services, path: Path) -> None:
    """100k members in 50 cooperatives, 10k grants (with 3 items each) over 5 programmes."""
    orgs = [
        services.organisations.create(
            OrganisationInput(kind="cooperative", name=f"Coop {n}", sector=f"S{n % 7}")
        ).id
        for n in range(50)
    ]
    programmes = [
        services.programmes.create(ProgrammeInput(code=f"P{n}", name=f"Programme {n}")).id for n in range(5)
    ]
    batch = people(MEMBERS)
    step = MEMBERS // len(orgs)
    for n, org in enumerate(orgs):
        services.persons.bulk_create(batch[n * step : (n + 1) * step], organisation_id=org)
    rng = random.Random(7)
    statuses = ["draft", "validated", "delivered", "closed", "cancelled"]
    grants = [
        (
            g + 1,
            f"KSM-{2020 + g % 6}-{g:05d}",
            programmes[g % 5],
            orgs[g % 50],
            "equipment",
            "Matériel",
            "EUR" if g % 3 else "MAD",
            108500,
            f"{2020 + g % 6}-{1 + g % 12:02d}-15",
            rng.randint(0, 50),
            rng.randint(0, 50),
            0,
            statuses[g % 5],
            "",
            "2025-01-01 00:00:00",
            "bench",
        )
        for g in range(GRANTS)
    ]
    items = [
        (g + 1, k, "Article", 1000 * (1 + k), rng.randint(100, 500_000))
        for g in range(GRANTS)
        for k in range(3)
    ]
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            "INSERT INTO grants (id, number, programme_id, organisation_id, kind, purpose, currency, eur_mad_rate,"
            " grant_date, women, men, unspecified, status, search, created_at, created_by)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            grants,
        )
        conn.executemany(
            "INSERT INTO grant_item (grant_id, position, designation, quantity, unit_price) VALUES (?, ?, ?, ?, ?)",
            items,
        )
    conn.close()


def dashboard() -> list[Result]:
    """Every dashboard figure (all programmes, then one programme and a period) over 100k/10k."""
    import datetime as dt

    from ksm_desktop.domain.dashboard import DashboardFilter

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "d.sqlite3"
        services = Services(open_database(path=path), Actor("admin", "admin"))
        _populate(services, path)
        figures = services.dashboard.figures()
        assert figures.grant_count == GRANTS * 4 // 5 and figures.members.total == MEMBERS
        every = median_ms(lambda: services.dashboard.figures(), repeat=5)
        flt = DashboardFilter(programme_id=1, date_from=dt.date(2021, 1, 1), date_to=dt.date(2023, 12, 31))
        filtered = median_ms(lambda: services.dashboard.figures(flt), repeat=5)
        services.db.dispose()
    return [
        Result("dashboard figures, 100k members + 10k grants, no filter", every, "< 200 ms", every < 200),
        Result("dashboard figures, one programme + a period", filtered, "< 200 ms", filtered < 200),
    ]


BENCHMARKS = [import_xlsx, dashboard]
