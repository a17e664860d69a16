"""Reading a spreadsheet the user picked (.xlsx or .csv) into rows of cells, safely.

Files come from e-mail and USB sticks: a bad one (not a spreadsheet, encrypted, corrupt, a zip or
XML bomb, too big) is refused with a clear KsmError, quickly and within bounded memory, before
anything is imported.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ksm_desktop.domain.errors import ValidationError
from ksm_desktop.i18n import _

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 60
# A real workbook compresses XML about 5-20 times; bombs reach thousands. Sheets are streamed,
# but openpyxl keeps the shared strings in memory: that part gets a tighter bound.
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 60 * 1024 * 1024
MAX_RATIO = 200
OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx and old .xls are OLE files
SUFFIXES = (".xlsx", ".csv")

Cell = str | int | float | dt.datetime | dt.date | dt.time | None


@dataclass(frozen=True)
class Table:
    """A sheet's header row and its data rows, each with its line number in the file."""

    headers: list[str]
    rows: list[tuple[int, list[Cell]]]


def file_error(path: Path, reason: str) -> ValidationError:
    return ValidationError(_("Cannot read {name}: {reason}").format(name=path.name, reason=reason), "file")


def read_table(path: Path) -> Table:
    """The first sheet of an .xlsx, or a .csv; raises ValidationError for any bad file."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise file_error(path, _("choose an Excel workbook (.xlsx) or a CSV file (.csv)."))
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise file_error(path, exc.strerror or str(exc)) from exc
    if size > MAX_FILE_BYTES:
        raise file_error(path, _("the file is larger than 20 MB."))
    table = _read_xlsx(path) if suffix == ".xlsx" else _read_csv(path)
    if not table.headers or not any(h.strip() for h in table.headers):
        raise file_error(path, _("the first row must hold the column titles."))
    return table


def _check_zip(path: Path) -> None:
    with path.open("rb") as fh:
        head = fh.read(8)
    if head == OLE_HEADER:
        raise file_error(
            path, _("the workbook is password-protected or in the old .xls format; save it as .xlsx.")
        )
    if not zipfile.is_zipfile(path):
        raise file_error(path, _("this is not an Excel workbook (.xlsx)."))
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise file_error(path, _("the workbook is damaged.")) from exc
    total = sum(info.file_size for info in infos)
    strings = sum(info.file_size for info in infos if info.filename.lower().endswith("sharedstrings.xml"))
    if (
        total > MAX_UNCOMPRESSED_BYTES
        or strings > MAX_SHARED_STRINGS_BYTES
        or any(
            info.file_size > MAX_RATIO * max(info.compress_size, 1) and info.file_size > 1024 * 1024
            for info in infos
        )
    ):
        raise file_error(path, _("the workbook expands to an abnormal size (possible zip bomb)."))
    if "xl/workbook.xml" not in {info.filename for info in infos}:
        raise file_error(path, _("this is not an Excel workbook (.xlsx)."))


def _read_xlsx(path: Path) -> Table:
    _check_zip(path)
    import openpyxl

    rows: list[tuple[int, list[Cell]]] = []
    headers: list[str] = []
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            for line, values in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
                if line == 1:
                    headers = _trim(["" if v is None else str(v).strip() for v in values])
                    continue
                cells = list(values[: len(headers)])  # memory: only the titled columns are kept
                if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
                    continue
                if len(rows) >= MAX_ROWS:
                    raise file_error(path, _("the sheet has more than 100,000 rows."))
                rows.append((line, cells))
        finally:
            workbook.close()
    except ValidationError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, OSError) as exc:
        raise file_error(path, _("the workbook is damaged.")) from exc
    except Exception as exc:  # defusedxml and openpyxl raise many types for hostile or broken XML
        raise file_error(path, _("the workbook's content is invalid or unsafe.")) from exc
    return Table(headers, rows)


def _trim(headers: list[str]) -> list[str]:
    while headers and not headers[-1]:
        headers.pop()
    return headers


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else the Windows code page Excel used: Arabic (cp1256) when most
    non-ASCII bytes are Arabic letters there, Western European (cp1252) otherwise."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    high = [b for b in data if b >= 0x80]
    arabic = sum(1 for c in bytes(high).decode("cp1256", "replace") if "\u0600" <= c <= "\u06ff")
    encoding = "cp1256" if arabic * 2 > len(high) else "cp1252"
    return data.decode(encoding, "replace")


def _read_csv(path: Path) -> Table:
    data = path.read_bytes()
    if b"\x00" in data[:4096] or data.startswith((b"PK\x03\x04", OLE_HEADER)):
        raise file_error(path, _("this is not a text (CSV) file."))
    text = decode_text(data)
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers: list[str] = []
    rows: list[tuple[int, list[Cell]]] = []
    try:
        for values in reader:
            line = reader.line_num
            if not headers:
                headers = [v.strip() for v in values[:MAX_COLUMNS]]
                continue
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                raise file_error(path, _("the file has more than 100,000 rows."))
            rows.append((line, list[Any](values[: len(headers)])))
    except csv.Error as exc:
        raise file_error(path, str(exc)) from exc
    return Table(_trim(headers), rows)
