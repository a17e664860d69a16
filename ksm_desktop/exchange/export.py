"""Exporting a list (organisations, members, programmes, grants) to .xlsx or .csv, as shown.

The list's query (filter and sort) is applied over all pages. Excel gets typed cells (dates,
numbers, money with a number format) under a bold frozen header; CSV is what French Excel opens
directly (UTF-8 with BOM, `;`, decimal comma, dd/mm/yyyy). Text that a spreadsheet would run as a
formula (=, +, -, @, tab, carriage return first) is always written as text (OWASP CSV injection).
The file is written to a temporary name and renamed: a failed export leaves no partial file.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from ksm_desktop.domain.enums import (
    ActivityKind,
    GrantKind,
    GrantStatus,
    OrgKind,
    OrgStatus,
    ProgrammeStatus,
    Sex,
)
from ksm_desktop.domain.errors import KsmError, ValidationError
from ksm_desktop.files import give_usual_permissions
from ksm_desktop.i18n import N_, _
from ksm_desktop.services import ListQuery, Services

KINDS = ("organisations", "members", "programmes", "grants", "households", "activities")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "DD/MM/YYYY"


@dataclass(frozen=True)
class Column:
    title: str  # msgid, translated when written
    get: Callable[[Any], object]
    kind: str = "text"  # text, int, money, date


def _label(enum: Any) -> Callable[[str | None], str | None]:
    return lambda value: enum(value).label if value else None


_kind, _org_status, _sex = _label(OrgKind), _label(OrgStatus), _label(Sex)
_prog_status, _grant_kind, _grant_status = _label(ProgrammeStatus), _label(GrantKind), _label(GrantStatus)
_activity_kind = _label(ActivityKind)

COLUMNS: dict[str, list[Column]] = {
    "organisations": [
        Column(N_("Code"), lambda r: r.code),
        Column(N_("Name"), lambda r: r.name),
        Column(N_("Name in Arabic"), lambda r: r.name_ar),
        Column(N_("Kind"), lambda r: _kind(r.kind)),
        Column(N_("Sector"), lambda r: r.sector),
        Column(N_("Province"), lambda r: r.province),
        Column(N_("Status"), lambda r: _org_status(r.status)),
        Column(N_("Members"), lambda r: r.members, "int"),
        Column(N_("Women"), lambda r: r.women, "int"),
        Column(N_("Men"), lambda r: r.men, "int"),
    ],
    "members": [
        Column(N_("Last name"), lambda r: r.last_name),
        Column(N_("First name"), lambda r: r.first_name),
        Column(N_("Name in Arabic"), lambda r: r.full_name_ar),
        Column(N_("CIN"), lambda r: r.cin),
        Column(N_("Sex"), lambda r: _sex(r.sex)),
        Column(N_("Birth year"), lambda r: r.birth_year, "int"),
        Column(N_("Birth date"), lambda r: r.birth_date, "date"),
        Column(N_("Phone"), lambda r: r.phone),
        Column(N_("Organisations"), lambda r: ", ".join(r.orgs)),
    ],
    "programmes": [
        Column(N_("Code"), lambda r: r.code),
        Column(N_("Name"), lambda r: r.name),
        Column(N_("Name in Arabic"), lambda r: r.name_ar),
        Column(N_("Start"), lambda r: r.start_date, "date"),
        Column(N_("End"), lambda r: r.end_date, "date"),
        Column(N_("Status"), lambda r: _prog_status(r.status)),
        Column(N_("Budget"), lambda r: r.budget, "money"),
        Column(N_("Currency"), lambda r: r.currency),
        Column(N_("Grants"), lambda r: r.grants, "int"),
    ],
    "grants": [
        Column(N_("Number"), lambda r: r.number),
        Column(N_("Date"), lambda r: r.grant_date, "date"),
        Column(N_("Recipient"), lambda r: r.recipient),
        Column(N_("Recipient (Arabic)"), lambda r: r.recipient_ar),
        Column(N_("Programme"), lambda r: r.programme),
        Column(N_("Kind"), lambda r: _grant_kind(r.kind)),
        Column(N_("Purpose"), lambda r: r.purpose),
        Column(N_("Status"), lambda r: _grant_status(r.status)),
        Column(N_("Total"), lambda r: r.total, "money"),
        Column(N_("Currency"), lambda r: r.currency),
        Column(N_("Women"), lambda r: r.women, "int"),
        Column(N_("Men"), lambda r: r.men, "int"),
        Column(N_("Unspecified"), lambda r: r.unspecified, "int"),
    ],
    "households": [
        Column(N_("Code"), lambda r: r.code),
        Column(N_("Head of household"), lambda r: r.head_name),
        Column(N_("CIN"), lambda r: r.head_cin),
        Column(N_("Tribe / douar"), lambda r: r.location_name),
        Column(N_("Commune"), lambda r: r.commune),
        Column(N_("Household size"), lambda r: r.size, "int"),
        Column(N_("Programme"), lambda r: r.programme),
        Column(N_("Equipment"), lambda r: ", ".join(e.number for e in r.equipment)),
        Column(
            N_("Installed on"),
            lambda r: min((e.installed_on for e in r.equipment if e.installed_on), default=None),
            "date",
        ),
    ],
    "activities": [
        Column(N_("Date"), lambda r: r.start_date, "date"),
        Column(N_("End"), lambda r: r.end_date, "date"),
        Column(N_("Type"), lambda r: _activity_kind(r.kind)),
        Column(N_("Topic"), lambda r: r.topic),
        Column(N_("Place"), lambda r: r.place),
        Column(N_("Programme"), lambda r: r.programme),
        Column(N_("Direct"), lambda r: r.direct, "int"),
        Column(N_("Indirect"), lambda r: r.indirect, "int"),
    ],
}


def _rows(services: Services, kind: str, query: ListQuery) -> Sequence[Any]:
    every = replace(query, offset=0, limit=None)
    search: dict[str, Callable[[ListQuery], Any]] = {
        "organisations": services.organisations.search,
        "members": services.persons.search,
        "programmes": services.programmes.search,
        "grants": services.grants.search,
        "households": services.households.search,
        "activities": services.activities.search,
    }
    return list(search[kind](every).rows)


def export_list(services: Services, kind: str, query: ListQuery, path: Path) -> int:
    """Write the list `kind` filtered and sorted by `query` to `path` (.xlsx or .csv); rows written."""
    if kind not in COLUMNS:
        raise ValidationError(_("Unknown list “{kind}”.").format(kind=kind), "kind")
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ValidationError(
            _("Choose a file name ending in .xlsx (Excel) or .csv, not “{name}”.").format(name=path.name),
            "path",
        )
    columns = COLUMNS[kind]
    table = [[column.get(row) for column in columns] for row in _rows(services, kind, query)]
    headers = [_(column.title) for column in columns]
    kinds = [column.kind for column in columns]
    writer = _write_xlsx if suffix == ".xlsx" else _write_csv
    _atomic_write(path, lambda tmp: writer(tmp, headers, kinds, table))
    return len(table)


def _atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    except OSError as exc:
        raise KsmError(
            _("Cannot write to {path}: {reason}").format(path=path.parent, reason=exc.strerror)
        ) from exc
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        give_usual_permissions(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        raise KsmError(_("Cannot write {path}: {reason}").format(path=path, reason=exc.strerror)) from exc
    finally:
        tmp.unlink(missing_ok=True)


def _is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def _width(headers: list[str], table: list[list[object]], index: int) -> float:
    sample = [len(str(row[index])) for row in table[:500] if row[index] is not None]
    return min(max([len(headers[index]) + 2, *(n + 2 for n in sample)]), 60)


def _write_xlsx(path: Path, headers: list[str], kinds: list[str], table: list[list[object]]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.freeze_panes = "A2"
    for i, kind in enumerate(kinds):
        width = 12 if kind == "date" else _width(headers, table, i)
        sheet.column_dimensions[get_column_letter(i + 1)].width = width
    bold = Font(bold=True)

    def header(title: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        return cell

    sheet.append([header(title) for title in headers])
    for row in table:
        cells = []
        for value, kind in zip(row, kinds, strict=True):
            cell = WriteOnlyCell(sheet, value=value)
            if kind == "money":
                cell.number_format = MONEY_FORMAT
            elif kind == "date":
                cell.number_format = DATE_FORMAT
            elif _is_formula_like(value):
                cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    workbook.save(path)


def csv_value(value: object) -> str:
    """One CSV cell as French Excel reads it; formula-like text gets a leading quote."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    return "'" + text if _is_formula_like(text) else text


def _write_csv(path: Path, headers: list[str], kinds: list[str], table: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";", quoting=csv.QUOTE_MINIMAL)
        writer.writerow([csv_value(h) for h in headers])
        writer.writerows([csv_value(v) for v in row] for row in table)
