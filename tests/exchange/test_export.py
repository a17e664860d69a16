"""List export to .xlsx/.csv: typed cells, French-Excel CSV, no formula injection, no partial file."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from ksm_desktop.cli import main
from ksm_desktop.domain.errors import KsmError
from ksm_desktop.exchange.export import export_list
from ksm_desktop.exchange.members import guess_mapping, parse_rows
from ksm_desktop.exchange.sheets import read_table
from ksm_desktop.services import ListQuery, Services
from ksm_desktop.services.dto import OrganisationInput, PersonInput
from ksm_desktop.workbook import csv_value

INJECTIONS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"]


def test_grants_xlsx_has_typed_cells_and_frozen_bold_header(demo: Services, tmp_path: Path) -> None:
    path = tmp_path / "grants.xlsx"
    agr = demo.programmes.get_by_code("AGR-ERR").id
    count = export_list(demo, "grants", ListQuery(filters={"programme_id": agr}, sort="number"), path)
    assert count == 4
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == ["Number", "Date", "Recipient"]
    assert sheet["A1"].font.b and sheet.freeze_panes == "A2"
    total = sheet.cell(2, headers.index("Total") + 1)
    assert total.value == 36000 and total.number_format == "#,##0.00"
    assert isinstance(sheet["B2"].value, dt.datetime)
    assert sheet.cell(2, headers.index("Status") + 1).value == "Draft"
    assert sheet.column_dimensions["G"].width > 20


def test_filter_and_sort_of_the_list_are_kept(demo: Services, tmp_path: Path) -> None:
    malika = demo.organisations.get_by_code("MALIKA").id
    path = tmp_path / "m.csv"
    count = export_list(
        demo, "members", ListQuery(filters={"organisation_id": malika, "sex": "F"}, sort="cin", limit=5), path
    )
    assert count == 12
    lines = path.read_text("utf-8-sig").splitlines()
    cins = [line.split(";")[3] for line in lines[1:]]
    assert cins == sorted(cins) and len(cins) == 12


def test_csv_is_utf8_bom_semicolon_decimal_comma(demo: Services, tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    export_list(demo, "programmes", ListQuery(), path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Code;Name;Name in Arabic;Start")
    assert "600000,00" in text and "أكوا نور" in text and "01/01/2020" in text


@pytest.fixture
def hostile(services: Services) -> Services:
    org = services.organisations.create(OrganisationInput(kind="cooperative", name="Coop", code="COOP")).id
    services.persons.bulk_create(
        [PersonInput(first_name=text, last_name=f"Name {n}", sex="F") for n, text in enumerate(INJECTIONS)],
        organisation_id=org,
    )
    return services


def test_csv_injection_is_neutralised(hostile: Services, tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    export_list(hostile, "members", ListQuery(sort="last_name"), path)
    import csv

    rows = list(csv.reader(path.read_text("utf-8-sig").splitlines(), delimiter=";"))
    firsts = [row[1] for row in rows[1:]]
    assert all(value.startswith("'") for value in firsts), firsts


def test_xlsx_injection_is_written_as_text(hostile: Services, tmp_path: Path) -> None:
    path = tmp_path / "m.xlsx"
    export_list(hostile, "members", ListQuery(), path)
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    for row in sheet.iter_rows(min_row=2):
        assert row[1].data_type == "s"
    assert {row[1].value for row in sheet.iter_rows(min_row=2)} == set(INJECTIONS)


@pytest.mark.parametrize("text", [*INJECTIONS, "\tcmd", "\rcmd"])
def test_every_formula_start_is_quoted_in_csv(text: str) -> None:
    assert csv_value(text) == "'" + text
    assert csv_value("Fatima") == "Fatima"


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_round_trip_export_then_import(demo: Services, tmp_path: Path, suffix: str) -> None:
    malika = demo.organisations.get_by_code("MALIKA").id
    path = tmp_path / f"members{suffix}"
    count = export_list(demo, "members", ListQuery(filters={"organisation_id": malika}), path)
    table = read_table(path)
    rows, bad = parse_rows(table, guess_mapping(table.headers))
    assert bad == [] and len(rows) == count == 22
    weam = demo.organisations.get_by_code("WEAM").id
    report = demo.imports.preview(weam, rows, bad)
    assert (report.ok, report.to_add, report.linked) == (True, 0, 22)
    exported = {m.cin: (m.first_name, m.last_name, m.sex, m.phone) for m in demo.persons.members_of(malika)}
    demo.imports.commit(weam, rows, bad)
    linked = {m.cin: (m.first_name, m.last_name, m.sex, m.phone) for m in demo.persons.members_of(weam)}
    assert exported.items() <= linked.items()


def test_bad_suffix_is_refused(demo: Services, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(KsmError, match=r"\.xlsx"):
        export_list(demo, "grants", ListQuery(), out / "grants.pdf")
    assert list(out.iterdir()) == []


def test_unwritable_folder_leaves_no_file(demo: Services, tmp_path: Path) -> None:
    with pytest.raises(KsmError):
        export_list(demo, "grants", ListQuery(), tmp_path / "missing" / "grants.xlsx")
    locked = tmp_path / "locked"
    locked.mkdir()
    target = locked / "grants.xlsx"
    target.mkdir()  # a folder where the file should go: the rename fails
    with pytest.raises(KsmError):
        export_list(demo, "grants", ListQuery(), target)
    assert [p.name for p in locked.iterdir()] == ["grants.xlsx"] and target.is_dir()


def test_existing_file_survives_a_failed_export(
    demo: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    path = out / "grants.csv"
    path.write_text("previous", "utf-8")

    def boom(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("ksm_desktop.workbook.csv_value", boom)
    with pytest.raises(KsmError, match="No space"):
        export_list(demo, "grants", ListQuery(), path)
    assert path.read_text("utf-8") == "previous"
    assert os.listdir(out) == ["grants.csv"]


def test_cli_export(
    demo: Services, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "g.xlsx"
    assert main(["--db", str(db_path), "export", "grants", "--programme", "AGR-ERR", "--out", str(out)]) == 0
    assert "4 rows written" in capsys.readouterr().out
    assert (
        main(["--db", str(db_path), "export", "members", "--org", "AGHRUM", "--out", str(tmp_path / "m.csv")])
        == 0
    )
    assert len((tmp_path / "m.csv").read_text("utf-8-sig").splitlines()) == 12
    assert main(["--db", str(db_path), "export", "orgs", "--out", str(tmp_path / "o.txt")]) == 1
    assert (
        main(["--db", str(db_path), "export", "orgs", "--org", "NOPE", "--out", str(tmp_path / "o.csv")]) == 1
    )
    assert main(["--db", str(db_path), "export", "things", "--out", str(tmp_path / "o.csv")]) == 2


def test_money_is_exact(demo: Services, tmp_path: Path) -> None:
    path = tmp_path / "g.xlsx"
    assert export_list(demo, "grants", ListQuery(limit=10), path) == 363  # every page, not the first
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    totals = [row[8].value for row in sheet.iter_rows(min_row=2)]
    assert sum(Decimal(str(t)) for t in totals) == Decimal("505650")
