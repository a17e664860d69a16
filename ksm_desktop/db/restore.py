"""Restoring a backup over the database: verified first, the replaced file kept aside, and the
two renames journaled so that a restore cut off by a power cut is completed at the next start."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
from pathlib import Path

from ksm_desktop.db.backup import (
    aside_name,
    fsync_dir,
    integrity_problems,
    move_database,
    set_journal_mode,
    sha256_of,
    storage_reason,
    verify_copy,
)
from ksm_desktop.db.uri import read_only_uri
from ksm_desktop.domain.errors import DatabaseError
from ksm_desktop.i18n import _


def _check_not_newer(path: Path) -> None:
    from ksm_desktop.db import revisions

    conn = sqlite3.connect(read_only_uri(path), uri=True)
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        row = None
    finally:
        conn.close()
    if row is not None and row[0] not in revisions.known_revisions():
        raise DatabaseError(
            _(
                "The backup {name} was made by a newer version of KSM Desktop (schema {revision}); "
                "install the latest version to restore it."
            ).format(name=path.name, revision=row[0])
        )


def journal_path(target: Path) -> Path:
    """The restore journal beside the database: present only while a restore swaps the files."""
    return target.with_name(f"{target.name}.restore-journal")


def _write_journal(target: Path, restoring: Path, aside: Path | None) -> None:
    journal = journal_path(target)
    with journal.open("w", encoding="utf-8") as fh:
        json.dump({"restoring": restoring.name, "aside": aside.name if aside else None}, fh)
        fh.flush()
        os.fsync(fh.fileno())
    fsync_dir(target.parent)


def restore_file(backup: Path, target: Path) -> Path | None:
    """Replace `target` by a verified copy of `backup`; the replaced database is kept aside.

    Refuses a damaged or foreign file and one made by a newer KSM Desktop. Returns where the
    previous database was put, with its -wal/-shm (None if there was none). The two renames are
    recorded first in a journal (`<db>.restore-journal`): if the program is killed between them,
    `finish_interrupted_restore` completes the swap at the next start.
    """
    finish_interrupted_restore(target)
    verify_copy(backup)
    _check_not_newer(backup)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.restoring")
    try:
        shutil.copyfile(backup, tmp)
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise DatabaseError(
            _("The backup {name} could not be copied: {reason}. Nothing was restored.").format(
                name=backup.name, reason=storage_reason(exc)
            )
        ) from exc
    if sha256_of(tmp) != sha256_of(backup):
        tmp.unlink(missing_ok=True)
        raise DatabaseError(
            _("The copy of {name} read back differently; nothing was restored.").format(name=backup.name)
        )
    set_journal_mode(tmp, "WAL")
    aside = aside_name(target, "replaced") if target.exists() else None
    _write_journal(target, tmp, aside)
    try:
        if aside is not None:
            move_database(target, aside)
        _swap_in(tmp, target)
    except OSError as exc:  # the file is held open (Windows, an antivirus): undo, say why
        tmp.unlink(missing_ok=True)
        finish_interrupted_restore(target)
        raise DatabaseError(
            _("The database could not be replaced: {reason}. It was left as it was.").format(
                reason=storage_reason(exc)
            )
        ) from exc
    return aside


def _swap_in(restoring: Path, target: Path) -> None:
    """The second rename of a restore, then the journal is removed."""
    for extra in ("-wal", "-shm"):  # left by an earlier crash: they would belong to another file
        Path(f"{target}{extra}").unlink(missing_ok=True)
    os.replace(restoring, target)
    fsync_dir(target.parent)
    journal_path(target).unlink(missing_ok=True)
    fsync_dir(target.parent)


def finish_interrupted_restore(target: Path) -> str | None:
    """Complete a restore that was cut off between its renames (power cut, killed program).

    Returns a sentence for the user when something was done, else None. The verified copy is put
    in place if it is still waiting; if it is gone, the replaced database is put back. Never leaves
    the database missing where one existed.
    """
    journal = journal_path(target)
    if not journal.is_file():
        return None
    try:
        data = json.loads(journal.read_text("utf-8"))
        restoring = target.with_name(str(data["restoring"]))
        aside = target.with_name(str(data["aside"])) if data.get("aside") else None
    except (ValueError, KeyError, TypeError, OSError):
        restoring, aside = target.with_name(f".{target.name}.restoring"), None
    if restoring.is_file() and integrity_problems(restoring):
        restoring.unlink()  # not a sound copy: undo instead
    if restoring.is_file():
        if target.exists():
            aside = aside or aside_name(target, "replaced")
            move_database(target, aside)
        _swap_in(restoring, target)
        return _(
            "A restore was interrupted (power cut or closed program); it has now been completed. "
            "The replaced database is kept as {path}."
        ).format(path=aside or "-")
    if not target.exists() and aside is not None and aside.exists():
        move_database(aside, target)
        message = _(
            "A restore was interrupted before the backup was in place; the database was put back as it was."
        )
    else:
        message = None  # the swap had finished: only the journal was left
    journal.unlink(missing_ok=True)
    fsync_dir(target.parent)
    return message
