"""Storage commands: integrity check, backups and restore."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ksm_desktop import version
from ksm_desktop.cli.core import (
    EXIT_OK,
    EXIT_REJECTED,
    Handler,
    Subcommands,
    Target,
    backup_dir_for,
    open_services,
    print_table,
    require_file,
)
from ksm_desktop.domain.errors import KsmError
from ksm_desktop.i18n import _


def cmd_check(args: argparse.Namespace, target: Target) -> int:
    from ksm_desktop.db import migrate, revisions
    from ksm_desktop.db.backup import integrity_problems, is_ksm_database
    from ksm_desktop.db.engine import make_engine, sqlite_url

    problems: list[str] = []
    if target.path is not None:
        if not target.path.exists():
            print(_("No database at {path}.").format(path=target.path), file=sys.stderr)
            return EXIT_REJECTED
        problems = integrity_problems(target.path)
        if not problems and not is_ksm_database(target.path):
            problems.append(_("This file is not a KSM Desktop database."))
        url = sqlite_url(target.path)
    else:
        assert target.url is not None
        url = target.url
    revision = None
    if not problems:
        engine = make_engine(url, read_only=target.path is not None)
        try:
            revision = migrate.current_revision(engine)
        finally:
            engine.dispose()
        head = revisions.head_revision()
        if revision is not None and revision not in revisions.known_revisions():
            problems.append(
                _("The schema {revision} was made by a newer version of KSM Desktop.").format(
                    revision=revision
                )
            )
    print(_("Database: {db}").format(db=target.label))
    print(
        _("Schema version: {revision} (this version of KSM Desktop expects {head})").format(
            revision=revision or "-", head=revisions.head_revision()
        )
    )
    print(_("KSM Desktop version: {version}").format(version=version()))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return EXIT_REJECTED
    if revision != head:
        print(_("The schema will be upgraded the next time the database is opened."))
    print(_("Integrity: OK"))
    return EXIT_OK


def cmd_backup(args: argparse.Namespace, target: Target) -> int:
    from ksm_desktop.db.backup import backup_file, timestamped_name

    if target.url is not None:
        return _backup_server(args, target.url)
    source = require_file(target)
    if not source.exists():
        raise KsmError(_("No database at {path}.").format(path=source))
    out = (
        Path(args.out).expanduser()
        if args.out
        else backup_dir_for(target) / timestamped_name(source.stem, "manual")
    )
    written = backup_file(source, out)
    print(_("Backup written and verified: {path}").format(path=written))
    return EXIT_OK


def _server_backup_dir() -> Path:
    """Dumps of the server go to the backup folder chosen in Settings, else the user's data folder."""
    from ksm_desktop import config, paths

    chosen = config.Preferences.load().backup_dir
    return Path(chosen) if chosen else paths.data_dir() / "server-backups"


def _backup_server(args: argparse.Namespace, url: str) -> int:
    from ksm_desktop.db.server_backup import backup_server, dump_name, server_url

    parsed = server_url(url)
    out = Path(args.out).expanduser() if args.out else _server_backup_dir() / dump_name(parsed, "manual")
    manifest = backup_server(url, out)
    print(
        _("Dump written and verified: {path} ({tables} tables, {rows} rows, SHA-256 {sha})").format(
            path=out, tables=len(manifest.tables), rows=manifest.rows, sha=manifest.sha256[:16]
        )
    )
    return EXIT_OK


def cmd_restore(args: argparse.Namespace, target: Target) -> int:
    from ksm_desktop.db.audit import record_restore
    from ksm_desktop.db.restore import restore_file

    source = Path(args.file).expanduser()
    if not source.is_file():
        raise KsmError(_("No backup file at {path}.").format(path=source))
    if target.url is not None:
        from ksm_desktop.db.server_backup import restore_server

        aside = restore_server(target.url, source, _server_backup_dir())
    else:
        aside = restore_file(source, require_file(target))
    restored = open_services(target)  # migrated if the copy is older; the restore goes in its log
    record_restore(restored.db, restored.actor.username, source, aside)
    restored.db.dispose()
    print(_("Database restored from {path}.").format(path=source))
    if aside is not None:
        print(_("The replaced database was kept as {path}.").format(path=aside))
    return EXIT_OK


def cmd_backups(args: argparse.Namespace, target: Target) -> int:
    from ksm_desktop.db.backups_policy import list_backups
    from ksm_desktop.i18n.formatting import format_datetime

    path = require_file(target)
    rows = list_backups(backup_dir_for(target), path)
    print_table(
        [_("Date"), _("Reason"), _("Size (KB)"), _("Organisations"), _("Persons"), _("Grants"), _("File")],
        [
            (
                format_datetime(b.made_at),
                b.reason,
                b.size // 1024,
                b.counts["organisations"],
                b.counts["persons"],
                b.counts["grants"],
                b.path.name,
            )
            for b in rows
        ],
    )
    return EXIT_OK


def cmd_copy_to(args: argparse.Namespace, target: Target) -> int:
    from ksm_desktop.db.engine import sqlite_url
    from ksm_desktop.db.transfer import check_url, copy_database

    destination = check_url(args.to_url) if args.to_url else sqlite_url(Path(args.to_path).expanduser())
    if target.path is not None and not target.path.exists():
        raise KsmError(_("No database at {path}.").format(path=target.path))
    database = open_services(target).db
    try:
        report = copy_database(database, destination)
    finally:
        database.dispose()
    print_table(
        [_("Table"), _("Rows"), _("Checksum (SHA-256)")],
        [(name, table.rows, table.sha256[:16]) for name, table in report.tables.items()],
    )
    print(
        _("Copied and verified: {tables} tables, {rows} rows, into {target}.").format(
            tables=len(report.tables), rows=report.rows, target=report.target
        )
    )
    return EXIT_OK


def register(sub: Subcommands) -> dict[str, Handler]:
    """Add this module's sub-commands to `sub`; returns their handlers."""
    sub.add_parser("check", help=_("check the database's integrity and schema version"))
    p = sub.add_parser("backup", help=_("write a verified copy of the database"))
    p.add_argument("--out", metavar="FILE")
    p = sub.add_parser("restore", help=_("replace the database by a verified backup"))
    p.add_argument("file", metavar="FILE")
    sub.add_parser("backups", help=_("list the backups with their date, size and record counts"))
    p = sub.add_parser(
        "copy-to",
        help=_("copy the whole database into an empty PostgreSQL database or a new SQLite file, verified"),
    )
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--db-url", dest="to_url", metavar="URL", help=_("an empty server database"))
    where.add_argument("--db", dest="to_path", metavar="PATH", help=_("a new SQLite file"))
    return {
        "check": cmd_check,
        "backup": cmd_backup,
        "restore": cmd_restore,
        "backups": cmd_backups,
        "copy-to": cmd_copy_to,
    }
