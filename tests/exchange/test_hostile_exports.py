"""Every spreadsheet the program writes (the six lists, personal data, the audit log) opens without a
single live formula and is written even when a record holds characters a workbook cannot hold."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import text

from ksm_desktop.exchange.export import COLUMNS, export_list
from ksm_desktop.services import Actor, ListQuery, Services
from ksm_desktop.services.dto import PersonInput

FORMULAS = ["=2*3", '=HYPERLINK("http://x.test","clic")', "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]
CONTROL = "Xq\x01zt\x1fy\x00"  # typed before names were checked at input, or pasted from elsewhere
READABLE = "Xqzty"
# One text column per list, set with plain SQL as old data would hold it.
TEXT_COLUMNS = {
    "organisations": ("organisation", "name"),
    "members": ("person", "first_name"),
    "programmes": ("programme", "name"),
    "grants": ("grants", "purpose"),
    "households": ("household", "code"),
    "activities": ("activity", "topic"),
}
HOSTILE = [CONTROL, *FORMULAS]
# What a workbook gives back: a carriage return is read as a line feed.
SURVIVING = [f.replace("\r", "\n") for f in FORMULAS]


# Hostile text written with plain SQL: NUL and control characters that PostgreSQL cannot hold
# (and that input checks refuse on both engines); the SQLite file is where they could be.
pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def hostile(demo: Services) -> Services:
    with demo.db.transaction() as session:
        for table, column in TEXT_COLUMNS.values():
            for offset, value in enumerate(HOSTILE):
                session.execute(
                    text(
                        f"UPDATE {table} SET {column} = :value"
                        f" WHERE id = (SELECT id FROM {table} ORDER BY id LIMIT 1 OFFSET :offset)"
                    ),
                    {"value": value, "offset": offset},
                )
    admin = Services(demo.db, Actor("amina", "admin"))
    person = admin.persons.search(ListQuery(limit=1)).rows[0]
    for value in FORMULAS:  # the audit log keeps each as a before/after value
        admin.persons.update(person.id, PersonInput(value, person.last_name, person.sex, cin=person.cin))
    with demo.db.transaction() as session:
        session.execute(
            text("UPDATE audit_entry SET label = :v WHERE id = (SELECT max(id) FROM audit_entry)"),
            {"v": CONTROL},
        )
    return admin


def _texts_without_formulas(path: Path) -> set[str]:
    book = openpyxl.load_workbook(path)
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    formulas = [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert formulas == [], f"{path.name}: live formulas in {formulas}"
    return {cell.value for cell in cells if isinstance(cell.value, str)}


def _check(path: Path) -> None:
    texts = _texts_without_formulas(path)
    typed = {f.strip() for f in FORMULAS}  # as the person form keeps them
    assert typed <= texts, typed - texts  # kept exactly, as text
    assert READABLE in "".join(texts) and not any("\x01" in t or "\x00" in t for t in texts)


@pytest.mark.parametrize("kind", sorted(COLUMNS))
def test_every_list_export_holds_text_not_formulas(hostile: Services, tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"{kind}.xlsx"
    export_list(hostile, kind, ListQuery(), path)
    texts = _texts_without_formulas(path)
    table = TEXT_COLUMNS[kind][0]
    with hostile.db.reading() as session:
        rows = session.scalar(text(f"SELECT count(*) FROM {table}"))
    assert set(SURVIVING[: rows - 1]) <= texts and READABLE in texts


def test_personal_data_and_audit_exports_hold_text_not_formulas(hostile: Services, tmp_path: Path) -> None:
    person = hostile.persons.search(ListQuery(limit=1)).rows[0]
    texts = _texts_without_formulas(hostile.privacy.export_to(person.id, tmp_path / "person.xlsx"))
    assert FORMULAS[-1].strip() in texts and '=HYPERLINK(\\"http' in "".join(texts)  # name; history as JSON
    out = tmp_path / "audit.xlsx"
    hostile.audit.export_xlsx(out)
    _check(out)
