"""Households and activities export like the other lists (the Export button of their pages)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from ksm_desktop.exchange.export import export_list
from ksm_desktop.services import ListQuery, Services


def test_households_of_one_tribe_with_their_first_installation(demo: Services, tmp_path: Path) -> None:
    aqua = demo.programmes.get_by_code("AQUA-NOOR").id
    path = tmp_path / "menages.xlsx"
    assert export_list(demo, "households", ListQuery(filters={"programme_id": aqua}), path) == 175
    sheet = openpyxl.load_workbook(path).active
    assert sheet is not None
    headers = [c.value for c in sheet[1]]
    assert headers[:2] == ["Code", "Head of household"]
    installed = sheet.cell(2, headers.index("Installed on") + 1).value
    assert isinstance(installed, dt.datetime) and installed.year == 2021
    assert str(sheet.cell(2, headers.index("Equipment") + 1).value).startswith("KSM-2021-")


def test_activities_with_direct_and_indirect(demo: Services, tmp_path: Path) -> None:
    path = tmp_path / "activites.csv"
    rows = demo.activities.search(ListQuery(limit=None)).rows
    assert export_list(demo, "activities", ListQuery(), path) == len(rows)
    lines = path.read_text("utf-8-sig").splitlines()
    assert lines[0].split(";")[-2:] == ["Direct", "Indirect"]
    assert sum(int(line.split(";")[-1]) for line in lines[1:]) == sum(r.indirect for r in rows)
