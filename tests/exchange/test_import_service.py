"""Import of members: preview, dedupe by CIN, all or nothing, backup first; CLI import-members."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from ksm_desktop.cli import main
from ksm_desktop.domain.errors import ValidationError
from ksm_desktop.exchange.members import guess_mapping, parse_rows
from ksm_desktop.exchange.sheets import read_table
from ksm_desktop.services import ListQuery, Services, imports
from tests.exchange.conftest import write_xlsx

HEADERS = ["Nom", "Prénom", "CIN", "Sexe", "Date de naissance", "Tél", "Fonction"]


def load(path: Path) -> tuple[list, list]:  # type: ignore[type-arg]
    table = read_table(path)
    return parse_rows(table, guess_mapping(table.headers))


def people_count(services: Services) -> int:
    return services.persons.search(ListQuery(limit=1)).total


def test_preview_and_commit_add_link_and_report(demo: Services, tmp_path: Path, engine_kind: str) -> None:
    malika = demo.organisations.get_by_code("MALIKA")
    existing = demo.persons.members_of(demo.organisations.get_by_code("CHEMS").id)[0]
    already = demo.persons.members_of(malika.id)[0]
    path = write_xlsx(
        tmp_path / "m.xlsx",
        [
            HEADERS,
            ["Zahra", "Oufkir", "xq 5", "Femme", "03/04/1980", "0661234567", "Trésorière"],
            ["Existing", "Person", existing.cin, "F", None, None, None],
            ["Already", "Member", already.cin, "H", None, None, None],
        ],
    )
    rows, bad = load(path)
    before = people_count(demo)
    report = demo.imports.preview(malika.id, rows, bad)
    assert (report.rows_read, report.to_add, report.linked, len(report.already_members), report.ok) == (
        3,
        1,
        1,
        1,
        True,
    )
    assert "line 4" in report.already_members[0]
    assert people_count(demo) == before  # a preview changes nothing

    done = demo.imports.commit(malika.id, rows, bad)
    assert done.committed
    if engine_kind == "sqlite":  # a file database gets a copy first; a server has its own backups
        assert done.backup is not None and done.backup.exists()
    assert people_count(demo) == before + 1
    members = {m.cin: m for m in demo.persons.members_of(malika.id)}
    assert members["XQ5"].role == "treasurer"
    assert members["XQ5"].phone == "+212661234567"
    assert existing.cin in members


def test_one_bad_row_imports_nothing(demo: Services, tmp_path: Path) -> None:
    malika = demo.organisations.get_by_code("MALIKA").id
    path = write_xlsx(
        tmp_path / "m.xlsx",
        [
            HEADERS,
            ["Ok", "Person", "ZZ1", "F", None, None, None],
            ["Bad", "Cin", "123", "F", None, None, None],
            ["Twice", "Cin", "zz1", "H", None, None, None],
            ["Bad", "Phone", None, "F", None, "12", None],
        ],
    )
    rows, bad = load(path)
    report = demo.imports.preview(malika, rows, bad)
    assert [(r.line, r.field) for r in report.rejected] == [(3, "cin"), (4, "cin"), (5, "phone")]
    before = people_count(demo)
    backups = tmp_path / "backups"
    with pytest.raises(ValidationError, match="3 rows are rejected"):
        demo.imports.commit(malika, rows, bad)
    assert people_count(demo) == before
    assert not backups.exists()


def test_readonly_user_cannot_import(demo: Services, tmp_path: Path) -> None:
    from ksm_desktop.domain.errors import PermissionDeniedError
    from ksm_desktop.services import Actor

    viewer = Services(demo.db, Actor("viewer", "readonly"))
    path = write_xlsx(tmp_path / "m.xlsx", [HEADERS, ["A", "B", None, "F", None, None, None]])
    rows, bad = load(path)
    with pytest.raises(PermissionDeniedError):
        viewer.imports.commit(demo.organisations.get_by_code("MALIKA").id, rows, bad)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_import_members(
    demo: Services,
    db_args: list[str],
    engine_kind: str,
    db_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(
        "Nom;Prénom;CIN;Sexe\nOufkir;Zahra;ZZ7;Femme\nIdrissi;Omar;;ذكر\n".encode(
            "cp1256", "replace"
        ).replace(b"?", b"?")
    )
    path.write_text("Nom;Prénom;CIN;Sexe\nOufkir;Zahra;ZZ7;Femme\nIdrissi;Omar;;ذكر\n", "utf-8-sig")
    code, out, _err = run(capsys, *db_args, "import-members", str(path), "--org", "MALIKA", "--dry-run")
    assert code == 0 and "New people to add: 2" in out and "Dry run" in out
    demo.db.dispose()
    code, out, _err = run(capsys, *db_args, "import-members", str(path), "--org", "MALIKA")
    assert code == 0 and "Imported" in out
    if engine_kind == "sqlite":  # a file database gets a copy before the import
        assert list((db_path.parent / "backups").glob("*-import.sqlite3"))


def test_cli_import_rejected_rows_exit_1(
    demo: Services, db_args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "m.csv"
    path.write_text("Nom,Prénom,Sexe,CIN\nOufkir,Zahra,F,ZZ7\nIdrissi,Omar,?,\n", "utf-8")
    before = people_count(demo)
    code, out, err = run(capsys, *db_args, "import-members", str(path), "--org", "MALIKA")
    assert code == 1
    assert "line 3:" in out and "Nothing was imported" in err
    assert people_count(demo) == before


def test_cli_import_bad_file_exit_1(
    db_args: list[str], demo: Services, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "m.xlsx"
    path.write_text("not a workbook", "utf-8")
    code, _out, err = run(capsys, *db_args, "import-members", str(path), "--org", "MALIKA")
    assert code == 1 and "not an Excel workbook" in err


@pytest.fixture
def collector_running() -> Iterator[None]:
    """The collector running by itself, as in the command line (tests, like the window, collect
    on their own schedule)."""
    gc.enable()
    yield
    gc.disable()


def test_an_import_runs_without_the_cycle_collector_and_gives_it_back(
    demo: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, collector_running: None
) -> None:
    """Reading, checking and writing thousands of rows pause the collector (it would rescan them
    for nothing); it runs again afterwards, also after a refused file or a refused import."""

    collecting: list[bool] = []
    real_validate = imports.validate_batch

    def validate(*args, **kwargs):  # type: ignore[no-untyped-def]
        collecting.append(gc.isenabled())
        return real_validate(*args, **kwargs)

    monkeypatch.setattr(imports, "validate_batch", validate)
    malika = demo.organisations.get_by_code("MALIKA").id
    good = write_xlsx(
        tmp_path / "good.xlsx", [HEADERS, ["Zahra", "Oufkir", "XQ 7", "Femme", None, None, None]]
    )
    rows, bad = load(good)
    assert gc.isenabled()
    assert demo.imports.commit(malika, rows, bad).committed
    assert collecting == [False] and gc.isenabled()

    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(b"PK\x03\x04 not a workbook")
    with pytest.raises(ValidationError):
        read_table(damaged)
    assert gc.isenabled()
    wrong = write_xlsx(tmp_path / "wrong.xlsx", [HEADERS, ["", "", "XQ 8", "?", None, None, None]])
    rows, bad = load(wrong)
    with pytest.raises(ValidationError):
        demo.imports.commit(malika, rows, bad)
    assert gc.isenabled()
