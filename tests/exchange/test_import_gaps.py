"""Member lists as offices really send them: Excel's "Unicode text", LibreOffice .ods, an old .xls,
Arabic or Persian digits, error cells, a title above the column titles, several sheets, and a row
wrong in several ways at once."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from ksm_desktop.domain.errors import ValidationError
from ksm_desktop.exchange.members import guess_mapping, parse_rows, read_members
from ksm_desktop.services import Services
from tests.exchange.conftest import write_ods, write_xlsx
from tests.exchange.test_import_service import run
from tests.wine import not_under_wine

HEADERS = ["Nom", "Prénom", "CIN", "Sexe", "Tél", "Date de naissance"]


def _parse(path: Path, sheet: str | None = None) -> tuple[list, list]:  # type: ignore[type-arg]
    table = read_members(path, sheet)
    return parse_rows(table, guess_mapping(table.headers))


def test_excel_unicode_text_is_read(tmp_path: Path) -> None:
    """Excel's "Texte Unicode": UTF-16 with a byte-order mark, tab-separated, CRLF."""
    path = tmp_path / "membres.txt"
    lines = ["\t".join(HEADERS), "Alaoui\tفاطمة\tAB123456\tFemme\t0661234567\t03/04/1980"]
    path.write_bytes("\r\n".join(lines).encode("utf-16"))
    good, bad = _parse(path)
    assert bad == [] and [(r.line, r.person.first_name, r.person.cin) for r in good] == [
        (2, "فاطمة", "AB123456")
    ]


@not_under_wine(
    "python-calamine's DLL (the .ods reader) needs bcryptprimitives.dll (ProcessPrng), which Wine lacks"
)
def test_ods_is_read_with_the_chosen_sheet(tmp_path: Path) -> None:
    path = write_ods(
        tmp_path / "membres.ods",
        {
            "Notes": [["Liste envoyée par la coopérative"]],
            "Membres": [HEADERS, ["Alaoui", "Fatima", "AB123456", "F", 661234567, None]],
        },
    )
    good, bad = _parse(path, "Membres")
    assert bad == [] and (good[0].person.last_name, good[0].person.phone) == ("Alaoui", "0661234567")
    with pytest.raises(ValidationError, match=r"no sheet named “Membre”.*“Notes”, “Membres”"):
        read_members(path, "Membre")


def test_xls_says_how_to_convert_it(tmp_path: Path) -> None:
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    with pytest.raises(ValidationError, match=r"\.xls.*save it as an Excel workbook \(\.xlsx\)"):
        read_members(path)


def test_arabic_indic_and_persian_digits_are_digits(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "m.xlsx",
        [HEADERS, ["Alaoui", "Fatima", "AB١٢٣٤٥٦", "F", "۰۶۶۱۲۳۴۵۶۷", "٠٣/٠٤/١٩٨٠"]],
    )
    good, bad = _parse(path)
    assert bad == []
    person = good[0].person
    assert (person.cin, person.phone, str(person.birth_date)) == ("AB123456", "0661234567", "1980-04-03")


def test_error_cells_reject_their_row(tmp_path: Path) -> None:
    path = tmp_path / "m.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADERS)
    sheet.append(["Alaoui", "Fatima", "AB123456", "F", None, None])
    sheet.append(["Idrissi", "Omar", "#REF!", "H", None, None])
    assert sheet["C3"].data_type == "e"  # a real error cell, as Excel saves a broken formula
    book.save(path)
    good, bad = _parse(path)
    assert [r.line for r in good] == [2]
    assert [line for line, _e in bad] == [3] and "#REF!" in bad[0][1].message


def test_a_title_above_the_column_titles_is_skipped(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "m.xlsx",
        [["Coopérative Malika — liste des adhérentes 2026"], [], HEADERS, ["Alaoui", "Fatima", None, "F"]],
    )
    table = read_members(path)
    assert table.headers == HEADERS and [line for line, _cells in table.rows] == [4]


def test_a_rejected_row_lists_all_its_errors(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "m.xlsx", [HEADERS, ["Alaoui", "", "12", "X", "0661234567", "31/02/1980"]])
    good, bad = _parse(path)
    assert good == []
    message = bad[0][1].message
    for part in ("is not a sex", "is not a date", "First name", "CIN"):
        assert part in message, message


def test_cli_import_members_from_a_named_sheet(
    demo: Services, db_args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "m.xlsx"
    book = openpyxl.Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "Notes"
    notes.append(["Rien à importer ici"])
    members = book.create_sheet("Membres")
    members.append(HEADERS)
    members.append(["Oufkir", "Zahra", "ZZ7", "Femme", None, None])
    book.save(path)
    args = [*db_args, "import-members", str(path), "--org", "MALIKA", "--dry-run"]
    code, out, _err = run(capsys, *args, "--sheet", "Membres")
    assert code == 0 and "New people to add: 1" in out
    code, _out, err = run(capsys, *args, "--sheet", "Members")
    assert code == 1 and "“Membres”" in err
