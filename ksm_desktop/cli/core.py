"""Shared plumbing of the command line: which database, how to print, exit codes."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeAlias

from ksm_desktop import config
from ksm_desktop.domain.errors import KsmError
from ksm_desktop.i18n import _

if TYPE_CHECKING:  # imported where used: a command loads only what it runs (the window none of them)
    import datetime as dt

    from ksm_desktop.services import Actor, Services

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A command-line mistake: reported with the usage line, exit code 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.format_usage().strip()}\n{self.prog}: {message}")


@dataclass(frozen=True)
class Target:
    """Which database a command works on."""

    url: str | None
    path: Path | None

    @property
    def label(self) -> str:
        return self.url or str(self.path)


Handler = Callable[[argparse.Namespace, Target], int]
# What `add_subparsers` returns: each command module registers its commands on it.
# Generic only for the type checker: quoted so that nothing subscripts it at run time.
Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def resolve_target(args: argparse.Namespace) -> Target:
    url = args.db_url or (None if args.db else os.environ.get("KSM_DB_URL"))
    if url:
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            make_url(url)
        except ArgumentError:
            raise UsageError(_("“{url}” is not a valid database URL.").format(url=url)) from None
        return Target(url=url, path=None)
    return Target(url=None, path=config.database_file(args.db))


@contextmanager
def writing_lock(target: Target, writes: bool) -> Iterator[None]:
    """Hold the SQLite database's instance lock while a command that writes runs.

    Refused (KsmError, exit 1) with who holds it, on which computer and since when."""
    if not writes or target.path is None:
        yield
        return
    from ksm_desktop.db.recovery import DatabaseInUseError, InstanceLock

    target.path.parent.mkdir(parents=True, exist_ok=True)
    lock = InstanceLock(target.path)
    try:
        lock.acquire()
    except DatabaseInUseError as exc:
        raise KsmError(
            exc.message + " " + _("Close it there first, then run the command again; nothing was changed.")
        ) from exc
    try:
        yield
    finally:
        lock.release()


def backup_dir_for(target: Target) -> Path:
    assert target.path is not None
    return config.backup_dir_for(target.path)


def cli_actor() -> Actor:
    """Who the command line acts as: whoever may open the file, named in the audit log."""
    from ksm_desktop.domain.enums import AccountRole
    from ksm_desktop.services import Actor

    login = os.environ.get("USERNAME") or os.environ.get("USER") or "admin"
    return Actor(f"cli:{login}"[:60], AccountRole.ADMIN)


_OPENED: list[Any] = []  # the databases a command opened, closed when it ends


@contextmanager
def closing_databases() -> Iterator[None]:
    """Close every database the command opened: no connection outlives it (Windows cannot replace
    an open file, and a later restore in the same process must be able to)."""
    try:
        yield
    finally:
        while _OPENED:
            _OPENED.pop().dispose()


def open_services(target: Target) -> Services:
    from ksm_desktop.db.storage import open_database
    from ksm_desktop.services import Services

    if target.url:
        db = open_database(target.url)
    else:
        from ksm_desktop.db.recovery import missing_database
        from ksm_desktop.db.restore import finish_interrupted_restore

        assert target.path is not None
        notice = finish_interrupted_restore(target.path)
        if notice:
            print(notice, file=sys.stderr)
        missing = missing_database(target.path, backup_dir_for(target))
        if missing is not None:
            raise KsmError(
                missing
                + " "
                + _("Restore one with “ksm-desktop restore FILE” (“ksm-desktop backups” lists them).")
            )
        db = open_database(path=target.path, backup_dir=backup_dir_for(target))
    _OPENED.append(db)
    return Services(db, cli_actor())


def _json_default(value: object) -> str:
    import datetime as dt
    from decimal import Decimal

    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def print_json(rows: Sequence[dict[str, Any]]) -> None:
    json.dump(list(rows), sys.stdout, ensure_ascii=False, indent=2, default=_json_default)
    sys.stdout.write("\n")


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    text = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in text) for i in range(len(headers))]
    for n, row in enumerate(text):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


def require_file(target: Target) -> Path:
    if target.path is None:
        raise KsmError(_("Backups of a server database are made on the server (for PostgreSQL: pg_dump)."))
    return target.path


def iso_date(value: str) -> dt.date:
    import datetime as dt

    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("“{value}” is not a date (YYYY-MM-DD).").format(value=value)
        ) from None
