"""Automatic backups on a fake clock: when a copy is due, which copies rotation keeps, and that a
damaged database never replaces good copies."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ksm_desktop.db.backup import manifest_path, timestamped_name
from ksm_desktop.db.backups_policy import AutoBackup, backups_in, last_change, list_backups, rotate, to_keep
from ksm_desktop.db.engine import Database
from ksm_desktop.db.restore import restore_file
from ksm_desktop.domain.errors import DatabaseError
from ksm_desktop.services import Actor, Services
from ksm_desktop.services.dto import OrganisationInput

T0 = dt.datetime(2026, 1, 1, 9, 0)
DB = Path("ksm.sqlite3")  # the default database: its copies keep the historical `ksm-` names

pytestmark = pytest.mark.sqlite_only  # about the SQLite file itself


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now


def test_a_copy_is_due_within_30_minutes_of_a_change(db: Database, tmp_path: Path) -> None:
    assert db.path is not None
    clock = Clock()
    auto = AutoBackup(db.path, tmp_path / "auto", clock)
    assert not auto.due(T0, None)
    auto.run()
    change = T0 + dt.timedelta(minutes=1)
    assert not auto.due(change + dt.timedelta(minutes=1), change)  # still typing
    assert auto.due(change + dt.timedelta(minutes=5), change)  # quiet for 5 minutes
    # changes every minute: the copy still comes within 30 minutes of the first one
    first_due = next(
        m for m in range(1, 60) if auto.due(T0 + dt.timedelta(minutes=m), T0 + dt.timedelta(minutes=m))
    )
    assert first_due <= 30
    clock.now = T0 + dt.timedelta(minutes=40)
    auto.run()
    assert not auto.due(clock.now + dt.timedelta(minutes=10), T0 + dt.timedelta(minutes=39))


def test_last_change_comes_from_the_audit_log(services: Services) -> None:
    assert services.db.path is not None
    assert last_change(services.db.path) is None
    services.organisations.create(OrganisationInput(kind="cooperative", name="Coopérative Malika"))
    changed = last_change(services.db.path)
    assert changed is not None and abs(changed - dt.datetime.now()) < dt.timedelta(minutes=1)


def _fake_copies(
    folder: Path, start: dt.datetime, hours: int, every: int = 6, database: str = "ksm"
) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for h in range(0, hours, every):
        path = folder / timestamped_name(database, "auto", start + dt.timedelta(hours=h))
        path.write_bytes(b"x")
        paths.append(path)
    return paths


def test_rotation_keeps_12_daily_10_weekly_9_monthly(tmp_path: Path) -> None:
    paths = _fake_copies(tmp_path, T0, 24 * 400)
    end = T0 + dt.timedelta(hours=24 * 400)
    keep = to_keep(paths, end)
    last_day = [p for p in paths if p.name[4:19] >= (end - dt.timedelta(hours=24)).strftime("%Y%m%d-%H%M%S")]
    assert len(last_day) == 4 and set(last_day) <= keep  # every copy of the last 24 hours
    kept_days = {p.name[4:12] for p in keep}
    newest = max(paths, key=lambda p: p.name)
    assert newest in keep
    last_12_days = {
        (T0 + dt.timedelta(hours=24 * 400 - 6) - dt.timedelta(days=d)).strftime("%Y%m%d") for d in range(12)
    }
    assert last_12_days <= kept_days
    months = {p.name[4:10] for p in keep}
    assert len(months) >= 9
    weeks = {dt.datetime.strptime(p.name[4:12], "%Y%m%d").isocalendar()[:2] for p in keep}
    assert len(weeks) >= 10
    assert len(keep) <= 12 + 10 + 9 + 4


def test_a_copy_another_program_has_open_is_deleted_at_the_next_rotation(tmp_path: Path) -> None:
    """Windows refuses to delete a file another program has open (a second instance's restore
    dialog, an antivirus): rotation goes on with the others and deletes that one next time."""
    paths = _fake_copies(tmp_path, T0, 24 * 60, every=24)
    end = T0 + dt.timedelta(days=60)
    doomed = set(paths) - to_keep(paths, end)
    held = min(doomed)
    with held.open("rb"):
        deleted = rotate(tmp_path, DB, end)
    assert set(deleted) - {held} == doomed - {held}
    assert not any(p.exists() for p in doomed - {held})
    rotate(tmp_path, DB, end)
    assert not held.exists() and all(p.exists() for p in set(paths) - doomed)


def test_rotation_never_deletes_the_last_good_copy(db: Database, tmp_path: Path) -> None:
    assert db.path is not None
    clock = Clock()
    folder = tmp_path / "auto"
    auto = AutoBackup(db.path, folder, clock)
    good = auto.run()
    # a year of newer copies that are all damaged
    for path in _fake_copies(folder, T0 + dt.timedelta(days=1), 24 * 365, every=24):
        path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    rotate(folder, db.path, T0 + dt.timedelta(days=400))
    assert good.exists()


def test_a_damaged_database_is_never_backed_up_over_good_copies(db: Database, tmp_path: Path) -> None:
    assert db.path is not None
    folder = tmp_path / "auto"
    clock = Clock()
    auto = AutoBackup(db.path, folder, clock)
    auto.run()
    before = {p: p.read_bytes() for p in backups_in(folder, db.path)}
    db.dispose()
    with db.path.open("r+b") as fh:
        fh.seek(4096)
        fh.write(b"\xff" * 4096)
    clock.now += dt.timedelta(days=30)
    with pytest.raises(DatabaseError):
        auto.run()
    assert {p: p.read_bytes() for p in backups_in(folder, db.path)} == before


def test_list_backups_reads_counts_from_each_file(demo: Services, tmp_path: Path) -> None:
    assert demo.db.path is not None
    auto = AutoBackup(demo.db.path, tmp_path / "auto")
    auto.run("manual")
    (info,) = list_backups(tmp_path / "auto", demo.db.path)
    assert info.reason == "manual" and info.size > 0
    assert info.counts == {
        "organisations": demo.organisations.search().total,
        "persons": demo.persons.search().total,
        "grants": demo.grants.search().total,
    }
    assert info.counts["grants"]


def test_bulk_delete_and_import_make_a_backup_first(services: Services) -> None:
    org = services.organisations.create(OrganisationInput(kind="cooperative", name="Coopérative Malika"))
    services.organisations.delete(org.id)
    assert services.db.backup_dir is not None
    assert any("before-bulk-delete" in p.name for p in backups_in(services.db.backup_dir, services.db.path))


def test_restore_keeps_the_current_database_aside_and_refuses_newer(demo: Services, tmp_path: Path) -> None:
    import sqlite3

    assert demo.db.path is not None
    path = demo.db.path
    copy = AutoBackup(path, tmp_path / "auto").run("manual")
    demo.organisations.create(OrganisationInput(kind="cooperative", name="Added after the backup"))
    demo.db.dispose()
    newer = tmp_path / "newer.sqlite3"
    newer.write_bytes(copy.read_bytes())
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(DatabaseError, match="newer version"):
        restore_file(newer, path)
    aside = restore_file(copy, path)
    assert aside is not None and aside.exists()
    from ksm_desktop.db.storage import open_database

    reopened = Services(open_database(path=path), Actor("admin", "admin"))
    names = [o.name for o in reopened.organisations.search().rows]
    assert "Added after the backup" not in names and names
    reopened.db.dispose()


def test_clean_exit_copies_only_unsaved_changes(db: Database, tmp_path: Path) -> None:
    assert db.path is not None
    clock = Clock()
    auto = AutoBackup(db.path, tmp_path / "auto", clock)
    assert auto.on_exit(None) is None
    path = auto.on_exit(T0 - dt.timedelta(minutes=1))
    assert path is not None and "exit" in path.name
    clock.now = T0 + dt.timedelta(minutes=1)
    assert auto.on_exit(T0 - dt.timedelta(minutes=1)) is None  # nothing new since


def _altered_index(services: Services, tmp_path: Path) -> tuple[Path, Path]:
    """A verified backup of 30 members, then the same copy with 2 bytes of its CIN index changed
    (an index entry no longer matching its row: a CIN lookup finds nothing)."""
    import sqlite3

    from ksm_desktop.db.backup import backup_file
    from ksm_desktop.services.dto import PersonInput

    services.persons.bulk_create(
        [
            PersonInput(first_name="Fatima", last_name=f"Alaoui{n}", sex="F", cin=f"AB{100000 + n}")
            for n in range(30)
        ]
    )
    assert services.db.path is not None
    good = backup_file(services.db.path, tmp_path / "copies" / timestamped_name("ksm", "manual"))
    conn = sqlite3.connect(f"file:{good}?mode=ro", uri=True)
    (root,) = conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE type = 'index' AND tbl_name = 'person' AND sql IS NULL"
    ).fetchone()
    (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    data = bytearray(good.read_bytes())
    at = data.index(b"AB100029", (root - 1) * page_size, root * page_size)
    data[at + 6 : at + 8] = b"38"
    bad = good.with_name(timestamped_name("ksm", "altered", T0))
    bad.write_bytes(bytes(data))
    return good, bad


def test_a_backup_with_an_altered_index_fails_verification_and_is_not_restored(
    services: Services, tmp_path: Path
) -> None:
    from ksm_desktop.db.backup import read_manifest, verify_copy

    good, bad = _altered_index(services, tmp_path)
    assert read_manifest(good) == {
        "sha256": _sha(good),
        "file": good.name,
        "database": str(services.db.path.resolve()),  # type: ignore[union-attr]
    }
    verify_copy(good)
    with pytest.raises(DatabaseError, match="inconsistent"):
        verify_copy(bad)  # no manifest: the full integrity check finds it
    good.write_bytes(bad.read_bytes())  # the same bytes changed on the disk after the copy was made
    with pytest.raises(DatabaseError, match="SHA-256"):
        verify_copy(good)
    assert services.db.path is not None
    services.db.dispose()
    live = services.db.path.read_bytes()
    for copy in (good, bad):
        with pytest.raises(DatabaseError):
            restore_file(copy, services.db.path)
    assert services.db.path.read_bytes() == live
    assert not list(services.db.path.parent.glob("*.replaced-*"))


def test_check_runs_the_full_integrity_check(
    services: Services, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ksm_desktop.cli import main

    _good, bad = _altered_index(services, tmp_path)
    assert main(["--db", str(bad), "check"]) == 1
    assert "inconsistent" in capsys.readouterr().err


def _sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def _backed_up(services: Services, folder: Path) -> tuple[Path, Path]:
    """The database path and a verified copy holding one cooperative, "Dans la sauvegarde"."""
    path = services.db.path
    assert path is not None
    services.organisations.create(OrganisationInput(kind="cooperative", name="Dans la sauvegarde"))
    return path, AutoBackup(path, folder).run("manual")


class PowerCut(BaseException):
    """The program stops dead: no handler runs, whatever was renamed stays renamed."""


@pytest.mark.parametrize("cut", ["between the renames", "before the renames"])
def test_a_restore_cut_off_is_finished_at_the_next_start_never_an_empty_database(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cut: str
) -> None:
    import os

    from ksm_desktop.db import backup, restore
    from ksm_desktop.db.recovery import check_at_start
    from ksm_desktop.db.storage import open_database

    folder = tmp_path / "auto"
    path, copy = _backed_up(services, folder)
    services.organisations.create(OrganisationInput(kind="cooperative", name="Après la sauvegarde"))
    services.db.dispose()
    real_replace = os.replace

    def power_cut(src: object, dst: object) -> None:
        moving_aside = str(dst).endswith(".sqlite3") and ".replaced-" in str(dst)
        if (cut == "between the renames" and str(src).endswith(".restoring")) or (
            cut == "before the renames" and moving_aside
        ):
            raise PowerCut
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(backup.os, "replace", power_cut)
    with pytest.raises(PowerCut):
        restore_file(copy, path)
    monkeypatch.setattr(backup.os, "replace", real_replace)
    assert restore.journal_path(path).exists()
    if cut == "between the renames":
        assert not path.exists()  # what the next start used to replace by a new empty database
    check = check_at_start(path, folder)
    assert check.notice is not None and check.problem is None and check.moved_aside is None
    assert not restore.journal_path(path).exists()
    reopened = Services(open_database(path=path, backup_dir=folder), Actor("admin", "admin"))
    names = {o.name for o in reopened.organisations.search().rows}
    reopened.db.dispose()
    assert names == {"Dans la sauvegarde"}
    assert [p for p in tmp_path.glob("*.replaced-*.sqlite3")]  # the replaced database kept aside


def test_a_missing_or_empty_database_with_backups_is_reported_not_replaced(
    services: Services, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ksm_desktop.cli import main
    from ksm_desktop.db.recovery import check_at_start

    folder = tmp_path / "backups"
    path, good = _backed_up(services, folder)
    services.db.dispose()
    for extra in ("", "-wal", "-shm"):
        Path(f"{path}{extra}").unlink(missing_ok=True)
    check = check_at_start(path, folder)
    assert check.problem is not None and "missing" in check.problem
    assert check.latest_good is not None and check.latest_good.path == good
    path.write_bytes(b"")
    check = check_at_start(path, folder)
    assert check.problem is not None and "empty" in check.problem
    assert main(["--db", str(path), "orgs"]) == 1
    assert "ksm-desktop restore" in capsys.readouterr().err
    assert path.read_bytes() == b""  # not replaced by a new empty database
    assert main(["--db", str(tmp_path / "autre.sqlite3"), "orgs"]) == 0  # another database, same folder


def test_a_database_that_cannot_be_replaced_is_left_as_it_was(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows refuses to rename a file another program holds open: the restore says so, undoes
    its first rename and leaves no journal behind."""
    import os

    from ksm_desktop.db import backup, restore

    path, copy = _backed_up(services, tmp_path / "auto")
    services.organisations.create(OrganisationInput(kind="cooperative", name="Après la sauvegarde"))
    services.db.dispose()
    before = path.read_bytes()
    real_replace = os.replace

    def held_open(src: object, dst: object) -> None:
        if str(src).endswith(".restoring"):
            raise PermissionError(13, "The process cannot access the file", str(dst))
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(backup.os, "replace", held_open)
    with pytest.raises(DatabaseError, match="left as it was"):
        restore_file(copy, path)
    assert path.read_bytes() == before
    assert not restore.journal_path(path).exists()
    assert not list(path.parent.glob(".*.restoring"))


def test_restoring_a_database_this_program_still_has_open_says_it_is_in_use(
    services: Services, tmp_path: Path, windows_open_files: None
) -> None:
    """Windows refuses to move a file a process holds open (a sharing violation, not a matter of
    rights): the restore names the cause the user can act on and changes nothing."""
    from ksm_desktop.db import restore

    path, copy = _backed_up(services, tmp_path / "auto")
    services.organisations.create(OrganisationInput(kind="cooperative", name="Après la sauvegarde"))
    with pytest.raises(DatabaseError, match="left as it was") as refused:
        restore_file(copy, path)  # the services' connection is still open
    assert "another program holds a lock on it" in refused.value.message
    assert "read-only" not in refused.value.message
    assert [o.name for o in services.organisations.search().rows] == [
        "Après la sauvegarde",
        "Dans la sauvegarde",
    ]
    assert not restore.journal_path(path).exists()
    assert not list(path.parent.glob(".*.restoring"))


def test_two_databases_backed_up_into_one_folder_keep_their_own_copies(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An office database and a field laptop's database in one folder (so one "backups" folder):
    copies made the same second both exist, each database lists only its own, and rotating one
    never deletes the other's."""
    from ksm_desktop.cli import main
    from ksm_desktop.db.storage import open_database

    office = db.path
    assert office is not None and db.backup_dir is not None
    field_db = open_database(path=office.with_name("terrain agadir.sqlite3"))
    field = field_db.path
    assert field is not None and field_db.backup_dir == db.backup_dir
    folder = db.backup_dir
    office_made = AutoBackup(office, folder, Clock()).run()
    field_made = AutoBackup(field, folder, Clock()).run()  # the same second
    assert field_made.name == "terrain_agadir-20260101-090000-auto.sqlite3"
    assert office_made.name == "ksm-20260101-090000-auto.sqlite3" and office_made.exists()
    # an older version named every copy `ksm-…`: its manifest still says whose it is
    made = AutoBackup(field, folder, lambda: T0 - dt.timedelta(days=1)).run()
    legacy = made.rename(folder / timestamped_name("ksm", "auto", T0 - dt.timedelta(days=1)))
    manifest_path(made).rename(manifest_path(legacy))
    field_db.dispose()
    assert [b.path for b in list_backups(folder, office)] == [office_made]
    assert [b.path for b in list_backups(folder, field)] == [field_made, legacy]

    old_office = _fake_copies(folder, T0 - dt.timedelta(days=200), 24 * 190, every=24)
    old_field = _fake_copies(
        folder, T0 - dt.timedelta(days=200), 24 * 190, every=24, database="terrain_agadir"
    )
    deleted = rotate(folder, office, T0)
    assert deleted and set(deleted) <= set(old_office)
    assert all(p.exists() for p in [*old_field, field_made, legacy])
    assert rotate(folder, field, T0) and office_made.exists()
    assert set(backups_in(folder, office)).isdisjoint(backups_in(folder, field))

    assert main(["--db", str(field), "backups"]) == 0
    listed = capsys.readouterr().out
    assert field_made.name in listed and legacy.name in listed and office_made.name not in listed
