"""The command line end to end on a temporary database, through the real entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from ksm_desktop.cli import main
from ksm_desktop.db import migrate


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_is_idempotent_and_grants_match_the_seed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "k.sqlite3")
    code, out, _err = run(capsys, "--db", db, "demo")
    assert code == 0 and "CHEMS" in out
    code, out, _err = run(capsys, "--db", db, "demo")
    assert code == 0 and "nothing added" in out
    code, out, _err = run(capsys, "--db", db, "grants", "--json")
    grants = {g["recipient"]: g for g in json.loads(out)}
    assert len(grants) == 4
    chems = grants["Coopérative Chems Almaghreb"]
    assert (chems["total"], chems["currency"], chems["women"], chems["men"]) == ("36000.00", "EUR", 150, 20)
    aghrum = grants["Coopérative Aghrum Pour l'Excellence"]
    assert (aghrum["total"], aghrum["women"], aghrum["men"]) == ("7000.00", 11, 0)
    malika = grants["Coopérative Malika"]
    assert (malika["total"], malika["women"], malika["men"]) == ("8000.00", 172, 168)
    weam = grants["Coopérative WEAM pour la solidarité"]
    assert (weam["total"], weam["women"] + weam["men"] + weam["unspecified"]) == ("14200.00", 400)
    assert all(g["number"].startswith("KSM-") and g["programme"] == "AGR-ERR" for g in grants.values())


def test_programmes_of_the_seed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from ksm_desktop.db.storage import open_database
    from ksm_desktop.services import Services
    from ksm_desktop.services.demo import load_demo

    services = Services(open_database(path=tmp_path / "k.sqlite3"))
    load_demo(services)
    ea = services.programmes.get_by_code("EA")
    assert (ea.target_men, ea.target_women, len(ea.zones)) == (4224, 4176, 10)
    assert {d.code for d in ea.donors} == {"DGD"} and {p.code for p in ea.partners} == {"CONGODORPEN", "ATDC"}
    aqua = services.programmes.get_by_code("AQUA-NOOR")
    assert aqua.budget is not None and aqua.budget >= 600000
    assert {z.name for z in aqua.zones} == {"Maatarka", "Tendrara"}
    assert all("Figuig" in z.path for z in aqua.zones)
    assert {d.code for d in aqua.donors} == {"KSB", "IRNL"}
    ted = services.programmes.get_by_code("TED")
    assert (ted.start_date.year, ted.end_date.year) == (2017, 2021)  # type: ignore[union-attr]
    assert {p.code for p in ted.partners} >= {"KIYO", "AMANE", "ATTAWASSOL", "KARAMA-FEMME"}
    services.db.dispose()


def test_orgs_and_members_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "k.sqlite3")
    run(capsys, "--db", db, "demo")
    code, out, _err = run(capsys, "--db", db, "orgs", "--json")
    assert code == 0
    orgs = {o["code"]: o for o in json.loads(out)}
    assert orgs["AGHRUM"]["name_ar"] and orgs["AGHRUM"]["province"] == "Errachidia"
    assert orgs["AGHRUM"]["women"] == orgs["AGHRUM"]["members"] == 11
    _code, out, _err = run(capsys, "--db", db, "members", "--org", "aghrum", "--json")
    members = json.loads(out)
    assert len(members) == 11 and all(m["sex"] == "F" and m["orgs"] == ["AGHRUM"] for m in members)
    assert all(m["cin"].startswith("ZZ") for m in members)


def test_unknown_code_is_a_one_line_error_with_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", str(tmp_path / "k.sqlite3"), "members", "--org", "NOPE")
    assert code == 1 and out == ""
    assert err.strip().count("\n") == 0 and "NOPE" in err


@pytest.mark.parametrize(
    "args",
    [
        ["frobnicate"],
        ["grants", "--bogus"],
        ["--lang", "de", "grants"],
        ["--db", "a", "--db-url", "sqlite://", "orgs"],
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    code, _out, err = run(capsys, *args)
    assert code == 2 and "Traceback" not in err and err


def test_check_reports_schema_and_refuses_a_foreign_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "k.sqlite3"
    run(capsys, "--db", str(db), "demo")
    code, out, _err = run(capsys, "--db", str(db), "check")
    assert code == 0 and migrate.head_revision() in out and "OK" in out
    foreign = tmp_path / "other.sqlite3"
    foreign.write_bytes(b"not a database at all" * 50)
    code, _out, err = run(capsys, "--db", str(foreign), "check")
    assert code == 1 and err


def test_backup_and_restore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "k.sqlite3"
    run(capsys, "--db", str(db), "demo")
    copy = tmp_path / "copy.sqlite3"
    code, out, _err = run(capsys, "--db", str(db), "backup", "--out", str(copy))
    assert code == 0 and copy.exists()
    code, out, _err = run(capsys, "--db", str(db), "restore", str(copy))
    assert code == 0 and "kept as" in out
    code, _out, err = run(capsys, "--db", str(db), "restore", str(tmp_path / "missing.sqlite3"))
    assert code == 1 and "missing.sqlite3" in err


def test_python_m_entry_point_and_version(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ksm_desktop", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and "KSM Desktop" in result.stdout
    result = subprocess.run(
        [sys.executable, "-m", "ksm_desktop", "--db", str(tmp_path / "x.sqlite3"), "grants", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0 and json.loads(result.stdout) == []
