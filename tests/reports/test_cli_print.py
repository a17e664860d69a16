"""print-* commands: a PDF on success; on any error one line on stderr, exit 1 and no file."""

from __future__ import annotations

from pathlib import Path

import pytest

from ksm_desktop.cli import main
from tests.reports.conftest import pages_text


@pytest.fixture
def db(db_args: list[str], capsys: pytest.CaptureFixture[str]) -> list[str]:
    """The options opening a demo database (the name shadows the shared fixture on purpose)."""
    assert main([*db_args, "demo"]) == 0
    capsys.readouterr()
    return db_args


def _number(db: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    import json

    main([*db, "grants", "--json"])
    rows = json.loads(capsys.readouterr().out)
    return str(next(r["number"] for r in rows if "Chems" in r["recipient"]))


def test_print_grant_writes_the_pdf(
    db: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    number = _number(db, capsys)
    out = tmp_path / "fiche.pdf"
    assert main([*db, "print-grant", number, "--lang", "fr", "--out", str(out)]) == 0
    assert "FICHE DE DOTATION" in pages_text(out.read_bytes())[0]
    assert str(out) in capsys.readouterr().out
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".part"] == []


def test_print_members_and_programme(db: list[str], tmp_path: Path) -> None:
    members, sheets = tmp_path / "malika.pdf", tmp_path / "agr.pdf"
    assert main([*db, "print-members", "--org", "MALIKA", "--lang", "ar", "--out", str(members)]) == 0
    assert main([*db, "print-grants", "--programme", "AGR-ERR", "--out", str(sheets)]) == 0
    assert len(pages_text(sheets.read_bytes())) == 4
    assert members.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["print-grant", "KSM-2099-0042"], "KSM-2099-0042"),
        (["print-handover", "{chems}"], "delivered"),
        (["print-members", "--org", "NOPE"], "NOPE"),
        (["print-grants", "--programme", "TED"], "no grant"),
        (["print-grants", "--programme", "NOPE"], "NOPE"),
    ],
)
def test_rejected_input_leaves_no_file(
    db: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    chems = _number(db, capsys)
    out = tmp_path / "out" / "x.pdf"
    out.parent.mkdir()
    code = main([*db, *[a.format(chems=chems) for a in args], "--out", str(out)])
    err = capsys.readouterr().err.strip()
    assert code == 1 and message in err and len(err.splitlines()) == 1
    assert list(out.parent.iterdir()) == []


def test_unwritable_output_leaves_no_file_and_keeps_an_existing_one(
    db: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chems = _number(db, capsys)
    missing = tmp_path / "no-such-folder" / "x.pdf"
    assert main([*db, "print-grant", chems, "--out", str(missing)]) == 1
    assert "Cannot write" in capsys.readouterr().err and not missing.parent.exists()
    assert main([*db, "print-grant", chems, "--out", str(tmp_path)]) == 1
    assert "folder" in capsys.readouterr().err
    existing = tmp_path / "old.pdf"
    existing.write_bytes(b"old")
    assert main([*db, "print-handover", chems, "--out", str(existing)]) == 1
    assert existing.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("ksm.sqlite3")) == ["old.pdf"]
