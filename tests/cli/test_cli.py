"""The command line end to end on a temporary database, through the real entry point."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ksm_desktop.cli import main
from ksm_desktop.db.revisions import head_revision
from ksm_desktop.services import Services


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_is_idempotent_and_grants_match_the_seed(
    db_args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(capsys, *db_args, "demo")
    assert code == 0 and "CHEMS" in out
    code, out, _err = run(capsys, *db_args, "demo")
    assert code == 0 and "nothing added" in out
    code, out, _err = run(capsys, *db_args, "grants", "--programme", "AGR-ERR", "--json")
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


def test_programmes_of_the_seed(services: Services) -> None:
    from ksm_desktop.demo.portfolio import load_demo

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


def test_orgs_and_members_json(db_args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, *db_args, "demo")
    code, out, _err = run(capsys, *db_args, "orgs", "--json")
    assert code == 0
    orgs = {o["code"]: o for o in json.loads(out)}
    assert orgs["AGHRUM"]["name_ar"] and orgs["AGHRUM"]["province"] == "Errachidia"
    assert orgs["AGHRUM"]["women"] == orgs["AGHRUM"]["members"] == 11
    _code, out, _err = run(capsys, *db_args, "members", "--org", "aghrum", "--json")
    members = json.loads(out)
    assert len(members) == 11 and all(m["sex"] == "F" and m["orgs"] == ["AGHRUM"] for m in members)
    assert all(m["cin"].startswith("ZZ") for m in members)


def test_unknown_code_is_a_one_line_error_with_exit_1(
    db_args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, *db_args, "members", "--org", "NOPE")
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
    db_args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, *db_args, "demo")
    code, out, _err = run(capsys, *db_args, "check")
    assert code == 0 and f"Schema version: {head_revision()}" in out and "OK" in out
    foreign = tmp_path / "other.sqlite3"
    foreign.write_bytes(b"not a database at all" * 50)
    code, _out, err = run(capsys, "--db", str(foreign), "check")
    assert code == 1 and err


@pytest.mark.sqlite_only
def test_backup_and_restore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "k.sqlite3"
    run(capsys, "--db", str(db), "demo")
    copy = tmp_path / "copy.sqlite3"
    code, out, _err = run(capsys, "--db", str(db), "backup", "--out", str(copy))
    assert code == 0 and copy.exists()
    code, out, _err = run(capsys, "--db", str(db), "restore", str(copy))
    assert code == 0 and "kept as" in out
    conn = sqlite3.connect(db)  # the restore is in the log of the database now in use
    try:
        logged = conn.execute("SELECT label FROM audit_entry WHERE action = 'restore'").fetchall()
    finally:
        conn.close()
    assert logged == [(copy.name,)]
    code, _out, err = run(capsys, "--db", str(db), "restore", str(tmp_path / "missing.sqlite3"))
    assert code == 1 and "missing.sqlite3" in err


def test_python_m_entry_point_and_version(db_args: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ksm_desktop", "--version"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0 and "KSM Desktop" in result.stdout
    result = subprocess.run(
        [sys.executable, "-m", "ksm_desktop", *db_args, "grants", "--json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0 and json.loads(result.stdout) == []


def test_households_json_matches_aqua_noor(
    demo_db_args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run(capsys, *demo_db_args, "households", "--programme", "AQUA-NOOR", "--json")
    households = json.loads(out)
    assert code == 0 and len(households) == 175
    assert len({h["location_name"] for h in households}) == 9
    assert {h["location_level"] for h in households} == {"tribe"}
    assert {h["commune"] for h in households} == {"Maatarka", "Tendrara"}
    assert all(h["head_cin"].startswith("ZZ") and h["head_name"] and h["size"] >= 1 for h in households)
    years = [min(e["installed_on"] for e in h["equipment"])[:4] for h in households]
    assert (years.count("2021"), years.count("2022")) == (135, 40)
    assert all(
        len(h["equipment"]) == 2 and {e["status"] for e in h["equipment"]} == {"delivered"}
        for h in households
    )
    code, out, _err = run(capsys, *demo_db_args, "households", "--programme", "TAMKIN", "--json")
    assert (code, json.loads(out)) == (0, [])


def test_activities_json_matches_tamkin(demo_db_args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, *demo_db_args, "activities", "--programme", "TAMKIN", "--json")
    activities = json.loads(out)
    assert code == 0
    cycle = [a for a in activities if a["kind"] == "training"]
    assert len(cycle) == 1 and (cycle[0]["participants"], cycle[0]["direct"]) == (22, 22)
    workshops = [a for a in activities if a["kind"] == "workshop"]
    assert len(workshops) == 11 and sum(a["indirect"] for a in workshops) == 132
    assert all(a["start_date"] and a["topic"] for a in activities)


def test_the_activities_table_shows_the_id_print_attendance_needs(
    demo_db_args: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _err = run(capsys, *demo_db_args, "activities", "--programme", "TAMKIN", "--json")
    training = next(a for a in json.loads(out) if a["participants"])
    code, out, _err = run(capsys, *demo_db_args, "activities", "--programme", "TAMKIN")
    shown_ids = [line.split()[0] for line in out.splitlines()[2:] if line.strip()]
    assert code == 0 and str(training["id"]) in shown_ids
    code, _out, err = run(
        capsys, *demo_db_args, "print-attendance", str(training["id"]), "--out", str(tmp_path / "a.pdf")
    )
    assert code == 0, err


def test_results_of_ensemble_avancons(demo_db_args: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, *demo_db_args, "results", "--programme", "EA", "--json")
    results = json.loads(out)
    assert code == 0 and [r["code"] for r in results] == ["R1", "R2", "R3", "R4", "R5", "R6"]
    assert results[2]["statement"].startswith("Des agriculteurs (hommes et femmes) améliorent")
    population = results[0]["indicators"][0]
    assert (population["target_women"], population["target_men"]) == ("4176.00", "4224.00")
    code, out, err = run(capsys, *demo_db_args, "results", "--programme", "NOPE")
    assert code == 1 and "NOPE" in err and out == ""
    code, _out, err = run(capsys, *demo_db_args, "results")
    assert code == 2 and "--programme" in err


@pytest.mark.parametrize(
    ("args", "expected_code", "needle"),
    [
        (["--db-url", "not a url", "orgs"], 2, "not a valid database URL"),
        (
            ["--db-url", "postgresql+psycopg://nobody@127.0.0.1:1/none", "orgs"],
            1,
            "127.0.0.1:1/none cannot be reached",
        ),
        (["--db", "{tmp}", "orgs"], 1, "is a folder"),
        (["--db", "{tmp}/notes.txt", "orgs"], 1, "not a KSM Desktop database"),
    ],
)
def test_bad_database_arguments_give_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], expected_code: int, needle: str
) -> None:
    (tmp_path / "notes.txt").write_text("Réunion du bureau\n" * 20)
    code, out, err = run(capsys, *[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert code == expected_code and out == ""
    assert needle in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert (tmp_path / "notes.txt").read_text() == "Réunion du bureau\n" * 20


STALL_MID_DEMO = """
import pathlib, sys, time
from ksm_desktop.services.households import HouseholdService

def stall(self, rows):  # the nomad families' heads are registered, their households not yet
    pathlib.Path(sys.argv[2]).write_text("mid-load")
    time.sleep(600)  # killed here by the test

HouseholdService.bulk_create = stall
from ksm_desktop.cli import main
sys.exit(main(["--db", sys.argv[1], "demo"]))
"""


def test_demo_killed_half_way_can_be_run_again(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import time

    db, signal = tmp_path / "k.sqlite3", tmp_path / "signal"
    proc = subprocess.Popen([sys.executable, "-c", STALL_MID_DEMO, str(db), str(signal)])
    try:
        deadline = time.monotonic() + 300
        while not signal.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert signal.exists(), "the demo never reached the households"
    finally:
        proc.kill()
        proc.wait(timeout=60)
    code, out, err = run(capsys, "--db", str(db), "demo")
    assert code == 0, err
    code, out, _err = run(capsys, "--db", str(db), "households", "--programme", "AQUA-NOOR", "--json")
    assert code == 0 and len(json.loads(out)) == 175
    code, out, _err = run(capsys, "--db", str(db), "demo")
    assert code == 0 and "nothing added" in out


def test_an_export_option_that_does_not_apply_is_refused_not_ignored(
    demo_db_args: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "orgs.xlsx"
    code, _out, err = run(capsys, *demo_db_args, "export", "orgs", "--org", "ATDC", "--out", str(out))
    assert code == 1 and "--org" in err and not out.exists()
