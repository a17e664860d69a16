"""The one spreadsheet writer of the program: lists, personal data, the audit log.

Whatever a record holds, the file opens safely and is always written:
- text is never a formula: in .xlsx every text cell is typed as text (its value kept exactly), in
  .csv text that a spreadsheet would run (=, +, -, @, tab or carriage return first) gets a leading
  quote, as OWASP recommends against CSV injection;
- characters a workbook cannot hold (control characters other than tab and line feed) are
  dropped instead of failing the whole export, and carriage returns become line feeds;
- typed cells: numbers, money (Decimal) with a number format, dates and date-times;
- the file is written under a temporary name and renamed: a failed export leaves no partial file.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ksm_desktop.domain.errors import KsmError
from ksm_desktop.i18n import _

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
# What XML 1.0 (and so .xlsx) cannot hold: the same set as openpyxl's ILLEGAL_CHARACTERS_RE.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_TITLE_ILLEGAL = re.compile(r"[\\/*?:\[\]]")


@dataclass(frozen=True)
class Sheet:
    """One worksheet: a bold frozen header row, then the rows."""

    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[object]]


def clean_text(text: str) -> str:
    """The text without the characters a spreadsheet cannot hold; line ends as line feeds (a
    workbook turns a carriage return into one anyway)."""
    return _ILLEGAL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def atomic_write(path: Path, write: Callable[[Path], object]) -> None:
    """Run `write` on a temporary file next to `path`, then rename it over `path`."""
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
        os.replace(tmp, path)
    except OSError as exc:
        raise KsmError(_("Cannot write {path}: {reason}").format(path=path, reason=exc.strerror)) from exc
    finally:
        tmp.unlink(missing_ok=True)


def write_xlsx(path: Path, sheets: Sequence[Sheet]) -> None:
    """Write `sheets` to the workbook `path` (atomically)."""
    atomic_write(path, lambda tmp: _save_xlsx(tmp, sheets))


def _sheet_title(title: str, taken: set[str]) -> str:
    base = _SHEET_TITLE_ILLEGAL.sub(" ", clean_text(title)).strip()[:31] or "Sheet"
    name, n = base, 2
    while name.lower() in taken:
        name = f"{base[:28]} {n}"
        n += 1
    taken.add(name.lower())
    return name


def _width(sheet: Sheet, index: int) -> float:
    sample = [len(str(row[index])) for row in sheet.rows[:500] if index < len(row) and row[index] is not None]
    return min(max([len(str(sheet.headers[index])) + 2, *(n + 2 for n in sample)]), 60)


def _save_xlsx(path: Path, sheets: Sequence[Sheet]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    taken: set[str] = set()
    for data in sheets:
        sheet = workbook.create_sheet(_sheet_title(data.title, taken))
        sheet.freeze_panes = "A2"
        for i in range(len(data.headers)):
            sheet.column_dimensions[get_column_letter(i + 1)].width = _width(data, i)

        def cell(value: object, font: Font | None = None, sheet: object = sheet) -> WriteOnlyCell:
            if isinstance(value, str):
                written = WriteOnlyCell(sheet, value=clean_text(value))
                written.data_type = "s"  # never a formula, whatever the text starts with
            else:
                written = WriteOnlyCell(sheet, value=value)
                if isinstance(value, Decimal):
                    written.number_format = MONEY_FORMAT
                elif isinstance(value, dt.datetime):
                    written.number_format = DATETIME_FORMAT
                elif isinstance(value, dt.date):
                    written.number_format = DATE_FORMAT
            if font is not None:
                written.font = font
            return written

        sheet.append([cell(str(title), bold) for title in data.headers])
        for row in data.rows:
            sheet.append([cell(_plain(value)) for value in row])
    workbook.save(path)


def _plain(value: object) -> object:
    """A cell value openpyxl can type: numbers, dates and text; anything else as its text."""
    if value is None or isinstance(value, (bool, int, float, Decimal, dt.date, dt.time, str)):
        return value
    return str(value)


def csv_value(value: object) -> str:
    """One CSV cell as French Excel reads it; formula-like text gets a leading quote."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    text = _ILLEGAL.sub("", str(value))
    return "'" + text if is_formula_like(text) else text


def write_csv(path: Path, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """What French Excel opens directly: UTF-8 with BOM, `;`, decimal comma, dd/mm/yyyy (atomically)."""

    def save(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh, delimiter=";", quoting=csv.QUOTE_MINIMAL)
            writer.writerow([csv_value(h) for h in headers])
            writer.writerows([csv_value(v) for v in row] for row in rows)

    atomic_write(path, save)
