"""Reading a spreadsheet the user picked (.xlsx, .ods, .csv or .txt) into rows of cells, safely.

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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ksm_desktop.domain.errors import ValidationError
from ksm_desktop.i18n import _
from ksm_desktop.services.base import collector_paused

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 60
# A real workbook compresses XML about 5-20 times; bombs reach thousands. Sheets are streamed,
# but openpyxl keeps the shared strings in memory: that part gets a tighter bound.
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 60 * 1024 * 1024
MAX_RATIO = 200
OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx and old .xls are OLE files
SUFFIXES = (".xlsx", ".ods", ".csv", ".txt")
HEADER_SEARCH_ROWS = 10  # a title or a note may stand above the column titles

Cell = str | int | float | dt.datetime | dt.date | dt.time | None


@dataclass(frozen=True)
class Table:
    """A sheet's header row and its data rows, each with its line number in the file."""

    headers: list[str]
    rows: list[tuple[int, list[Cell]]]


def file_error(path: Path, reason: str) -> ValidationError:
    return ValidationError(_("Cannot read {name}: {reason}").format(name=path.name, reason=reason), "file")


@collector_paused()
def read_table(
    path: Path, sheet: str | None = None, is_header: Callable[[list[str]], bool] | None = None
) -> Table:
    """The sheet `sheet` (default the first) of an .xlsx or .ods, or a .csv/.txt (UTF-8, UTF-16
    "Unicode text" or a Windows code page); raises ValidationError for any bad file.

    The header row is the first of the first rows that `is_header` accepts (the first non-empty
    row when none does), so a title above the column titles is skipped.
    """
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise file_error(
            path,
            _(
                "the old Excel 97-2003 format (.xls) cannot be read. Open the file in Excel or "
                "LibreOffice and save it as an Excel workbook (.xlsx), then import that file."
            ),
        )
    if suffix not in SUFFIXES:
        raise file_error(
            path,
            _("choose an Excel workbook (.xlsx), an OpenDocument sheet (.ods) or a text file (.csv, .txt)."),
        )
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise file_error(path, exc.strerror or str(exc)) from exc
    if size > MAX_FILE_BYTES:
        raise file_error(path, _("the file is larger than 20 MB."))
    builder = _Builder(path, is_header)
    if suffix == ".xlsx":
        _read_xlsx(path, sheet, builder)
    elif suffix == ".ods":
        _read_ods(path, sheet, builder)
    else:
        if sheet is not None:
            raise file_error(path, _("a text file has no sheets: leave out the sheet name."))
        _read_csv(path, builder)
    return builder.table()


class _Builder:
    """Rows as they are read: finds the header row, keeps only titled columns, bounds the size."""

    def __init__(self, path: Path, is_header: Callable[[list[str]], bool] | None) -> None:
        self.path, self.is_header = path, is_header
        self.headers: list[str] | None = None
        self.pending: list[tuple[int, list[Cell], list[str]]] = []  # rows read before the header
        self.rows: list[tuple[int, list[Cell]]] = []

    def add(self, line: int, values: Sequence[Cell]) -> None:
        if self.headers is None:
            titles = _trim(["" if v is None else str(v).strip() for v in values[:MAX_COLUMNS]])
            if not titles:
                return
            self.pending.append((line, list(values[:MAX_COLUMNS]), titles))
            if self.is_header is None or self.is_header(titles):
                self._start(len(self.pending) - 1)
            elif len(self.pending) >= HEADER_SEARCH_ROWS:
                self._start(0)
            return
        cells = list(values[: len(self.headers)])  # memory: only the titled columns are kept
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
            return
        if len(self.rows) >= MAX_ROWS:
            raise file_error(self.path, _("the sheet has more than 100,000 rows."))
        self.rows.append((line, cells))

    def _start(self, index: int) -> None:
        pending, self.pending = self.pending, []
        self.headers = pending[index][2]
        for line, values, _titles in pending[index + 1 :]:
            self.add(line, values)

    def table(self) -> Table:
        if self.headers is None and self.pending:
            self._start(0)
        if not self.headers:
            raise file_error(self.path, _("the first row must hold the column titles."))
        return Table(self.headers, self.rows)


def _check_zip(path: Path, required: str, not_this_kind: str) -> None:
    with path.open("rb") as fh:
        head = fh.read(8)
    if head == OLE_HEADER:
        raise file_error(
            path, _("the workbook is password-protected or in the old .xls format; save it as .xlsx.")
        )
    if not zipfile.is_zipfile(path):
        raise file_error(path, not_this_kind)
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
    if required not in {info.filename for info in infos}:
        raise file_error(path, not_this_kind)


def _no_sheet(path: Path, sheet: str, names: Sequence[str]) -> ValidationError:
    return file_error(
        path,
        _("there is no sheet named “{sheet}”; the sheets are: {names}.").format(
            sheet=sheet, names=", ".join(f"“{n}”" for n in names)
        ),
    )


def _read_xlsx(path: Path, sheet: str | None, builder: _Builder) -> None:
    _check_zip(path, "xl/workbook.xml", _("this is not an Excel workbook (.xlsx)."))
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            if sheet is not None and sheet not in workbook.sheetnames:
                raise _no_sheet(path, sheet, workbook.sheetnames)
            chosen = workbook[sheet] if sheet is not None else workbook.worksheets[0]
            for line, values in enumerate(chosen.iter_rows(max_col=MAX_COLUMNS, values_only=True), start=1):
                builder.add(line, values)
        finally:
            workbook.close()
    except ValidationError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, OSError) as exc:
        raise file_error(path, _("the workbook is damaged.")) from exc
    except Exception as exc:  # defusedxml and openpyxl raise many types for hostile or broken XML
        raise file_error(path, _("the workbook's content is invalid or unsafe.")) from exc


def _read_ods(path: Path, sheet: str | None, builder: _Builder) -> None:
    """An OpenDocument spreadsheet (LibreOffice, Google Sheets' download), read by calamine."""
    _check_zip(path, "content.xml", _("this is not an OpenDocument spreadsheet (.ods)."))
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        try:
            if sheet is not None and sheet not in workbook.sheet_names:
                raise _no_sheet(path, sheet, workbook.sheet_names)
            chosen = (
                workbook.get_sheet_by_name(sheet) if sheet is not None else workbook.get_sheet_by_index(0)
            )
            first_row, first_column = chosen.start or (0, 0)
            padding: list[Cell] = [None] * first_column
            for line, values in enumerate(chosen.iter_rows(), start=first_row + 1):
                builder.add(line, [*padding, *(None if v == "" else _ods_cell(v) for v in values)])
        finally:
            workbook.close()
    except ValidationError:
        raise
    except Exception as exc:  # calamine reports broken or hostile files with its own error types
        raise file_error(path, _("the workbook's content is invalid or unsafe.")) from exc


def _ods_cell(value: object) -> Cell:
    if isinstance(value, (str, int, float, dt.datetime, dt.date, dt.time)):
        return value
    return str(value)  # a duration or an error value: its text


def _trim(headers: list[str]) -> list[str]:
    while headers and not headers[-1]:
        headers.pop()
    return headers


def decode_text(data: bytes) -> str:
    """UTF-16 with its byte-order mark (Excel's "Unicode text"), UTF-8 (with or without BOM), else
    the Windows code page Excel used: Arabic (cp1256) when most non-ASCII bytes are Arabic letters
    there, Western European (cp1252) otherwise."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
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


def _read_csv(path: Path, builder: _Builder) -> None:
    data = path.read_bytes()
    unicode_text = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if not unicode_text and (b"\x00" in data[:4096] or data.startswith((b"PK\x03\x04", OLE_HEADER))):
        raise file_error(path, _("this is not a text (CSV) file."))
    text = decode_text(data)
    start = "\n".join(text.splitlines()[:HEADER_SEARCH_ROWS])  # a title line above may have none
    delimiter = max(";,\t", key=start.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for values in reader:
            builder.add(reader.line_num, list[Cell](values))
    except csv.Error as exc:
        raise file_error(path, str(exc)) from exc
