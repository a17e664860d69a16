"""Bad files first: each is refused with a clear message, quickly, and nothing is read."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from ksm_desktop.domain.errors import ValidationError
from ksm_desktop.exchange import sheets
from ksm_desktop.exchange.sheets import decode_text, read_table
from tests.exchange.conftest import BOMB_DTD, rewrite_member, write_xlsx

SHEET_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def refused(path: Path, words: str) -> None:
    with pytest.raises(ValidationError) as info:
        read_table(path)
    assert path.name in info.value.message
    assert words in info.value.message


def test_wrong_suffix_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "members.pdf"
    path.write_bytes(b"%PDF-1.4")
    refused(path, ".xlsx")


def test_text_file_named_xlsx_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "members.xlsx"
    path.write_text("Nom;Prénom\n", "utf-8")
    refused(path, "not an Excel workbook")


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("photo.jpg", b"jpeg")
    refused(path, "not an Excel workbook")


def test_encrypted_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "secret.xlsx"
    path.write_bytes(sheets.OLE_HEADER + b"\x00" * 1024)
    refused(path, "password-protected")


def test_corrupt_zip_is_refused(tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", [["Nom", "Prénom", "Sexe"], ["A", "B", "F"]])
    path = tmp_path / "corrupt.xlsx"
    data = good.read_bytes()
    path.write_bytes(data[:200] + b"\x00" * 400 + data[600:])
    refused(path, "damaged")


def test_zip_bomb_is_refused_before_decompressing(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "bomb.xlsx", [["Nom", "Prénom", "Sexe"]])
    rewrite_member(path, "xl/worksheets/sheet1.xml", b" " * (8 * 1024 * 1024))
    refused(path, "zip bomb")


def test_declared_total_size_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_xlsx(tmp_path / "big.xlsx", [["Nom", "Prénom", "Sexe"], ["A", "B", "F"]])
    monkeypatch.setattr(sheets, "MAX_UNCOMPRESSED_BYTES", 1000)
    refused(path, "abnormal size")


def test_xml_bomb_is_refused(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "lol.xlsx", [["Nom", "Prénom", "Sexe"]])
    bomb = f'{BOMB_DTD}<worksheet {SHEET_NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
    rewrite_member(path, "xl/worksheets/sheet1.xml", bomb.encode())
    refused(path, "invalid or unsafe")


def test_file_over_20_mb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as fh:
        fh.truncate(21 * 1024 * 1024)
    refused(path, "20 MB")


def test_csv_over_100000_rows_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    path.write_text("Nom;Prénom;Sexe\n" + "A;B;F\n" * 100_001, "utf-8")
    refused(path, "100,000 rows")


def test_xlsx_over_the_row_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_xlsx(tmp_path / "many.xlsx", [["Nom", "Prénom", "Sexe"]] + [["A", "B", "F"]] * 12)
    monkeypatch.setattr(sheets, "MAX_ROWS", 10)
    refused(path, "100,000 rows")


def test_binary_file_named_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "image.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    refused(path, "not a text")


def test_empty_file_has_no_titles(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    refused(path, "column titles")


def test_missing_file(tmp_path: Path) -> None:
    refused(tmp_path / "gone.csv", "")


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("utf-8-sig", "Nom;Prénom;الاسم\nÉlise;Aït;فاطمة\n"),
        ("utf-8", "Nom;Prénom;الاسم\nÉlise;Aït;فاطمة\n"),
        ("cp1252", "Nom;Prénom;Sexe\nÉlise;Aït Ben Haddou;Féminin\n"),
        ("cp1256", "النسب;الاسم;الجنس\nالعلوي;فاطمة;أنثى\n"),
    ],
)
def test_encodings_excel_writes_are_decoded(encoding: str, text: str) -> None:
    assert decode_text(text.encode(encoding)) == text


@pytest.mark.parametrize("separator", [";", ",", "\t"])
def test_separator_is_sniffed(tmp_path: Path, separator: str) -> None:
    path = tmp_path / "m.csv"
    path.write_text(
        separator.join(["Nom", "Prénom", "Sexe"])
        + "\n"
        + separator.join(["Alaoui", "Fatima, dite Fati", "F"]).replace(
            "Fatima, dite Fati", '"Fatima, dite Fati"'
        )
        + "\n",
        "utf-8",
    )
    table = read_table(path)
    assert table.headers == ["Nom", "Prénom", "Sexe"]
    assert table.rows == [(2, ["Alaoui", "Fatima, dite Fati", "F"])]


def test_xlsx_keeps_typed_cells_and_line_numbers(tmp_path: Path) -> None:
    import datetime as dt

    path = write_xlsx(
        tmp_path / "m.xlsx",
        [
            ["Nom", "Prénom", "Né le"],
            ["Alaoui", "Fatima", dt.datetime(1980, 4, 3)],
            [None, None, None],
            ["Tazi", "Ali", 29000],
        ],
    )
    table = read_table(path)
    assert table.rows == [(2, ["Alaoui", "Fatima", dt.datetime(1980, 4, 3)]), (4, ["Tazi", "Ali", 29000])]


def test_shared_strings_kept_in_memory_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_xlsx(tmp_path / "strings.xlsx", [["Nom", "Prénom", "Sexe"]])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "xl/sharedStrings.xml", f"<sst {SHEET_NS}>" + "<si><t>Fatima</t></si>" * 50 + "</sst>"
        )
    monkeypatch.setattr(sheets, "MAX_SHARED_STRINGS_BYTES", 1000)
    refused(path, "abnormal size")


def test_columns_without_title_are_dropped(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "m.xlsx", [["Nom", "Prénom", None], ["A", "B", "stray"]])
    assert read_table(path).rows == [(2, ["A", "B"])]
