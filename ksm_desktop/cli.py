"""Command line: the same entry point as the GUI (no command opens the window).

Exit codes: 0 success, 1 rejected input or failed check (reason on stderr), 2 usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn

from ksm_desktop import __version__
from ksm_desktop.config import Preferences
from ksm_desktop.domain.errors import KsmError
from ksm_desktop.i18n import LANGUAGES, N_, _, choose_language, ngettext, set_language

log = logging.getLogger(__name__)

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2


# argparse's own words, translated through our catalogs: argparse looks `_` up in its module when
# it writes help and errors, so `main` points it at ours.
ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"),
    N_("expected one argument"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
)


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
    if args.db:
        return Target(url=None, path=Path(args.db).expanduser().resolve())
    prefs = Preferences.load()
    if prefs.database_path:
        return Target(url=None, path=Path(prefs.database_path))
    from ksm_desktop.paths import default_database_path

    return Target(url=None, path=default_database_path())


def backup_dir_for(target: Target) -> Path:
    prefs = Preferences.load()
    if prefs.backup_dir:
        return Path(prefs.backup_dir)
    assert target.path is not None
    return target.path.parent / "backups"


def build_parser() -> Parser:
    parser = Parser(
        prog="ksm-desktop", description=_("KSM Desktop: organisations, members, programmes and grants.")
    )
    parser.add_argument("--version", action="version", version=f"KSM Desktop {__version__}")
    parser.add_argument("--db", metavar="PATH", help=_("SQLite database file to use"))
    parser.add_argument("--db-url", metavar="URL", help=_("SQLAlchemy database URL (e.g. PostgreSQL)"))
    parser.add_argument("--lang", choices=LANGUAGES, help=_("language of messages and documents"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    sub.add_parser("demo", help=_("load KSM's demo portfolio"))
    p = sub.add_parser("orgs", help=_("list organisations"))
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("members", help=_("list members"))
    p.add_argument("--org", metavar="CODE")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("grants", help=_("list grants"))
    p.add_argument("--programme", metavar="CODE")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("households", help=_("list households and their equipment"))
    p.add_argument("--programme", metavar="CODE")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("activities", help=_("list trainings, workshops and campaigns"))
    p.add_argument("--programme", metavar="CODE")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("results", help=_("a programme's expected results and indicator progress"))
    p.add_argument("--programme", metavar="CODE", required=True)
    p.add_argument("--json", action="store_true")
    sub.add_parser("check", help=_("check the database's integrity and schema version"))
    p = sub.add_parser("backup", help=_("write a verified copy of the database"))
    p.add_argument("--out", metavar="FILE")
    p = sub.add_parser("restore", help=_("replace the database by a verified backup"))
    p.add_argument("file", metavar="FILE")
    p = sub.add_parser("import-members", help=_("import members of an organisation from .xlsx or .csv"))
    p.add_argument("file", metavar="FILE")
    p.add_argument("--org", metavar="CODE", required=True)
    p.add_argument("--dry-run", action="store_true", help=_("only show what would be imported"))
    p = sub.add_parser("export", help=_("export a list to .xlsx or .csv"))
    p.add_argument("list", choices=("orgs", "members", "grants"))
    p.add_argument("--org", metavar="CODE")
    p.add_argument("--programme", metavar="CODE")
    p.add_argument("--out", metavar="FILE", required=True)
    for name, help_text in (
        ("print-grant", _("write the grant sheet of a grant to a PDF file")),
        ("print-handover", _("write the handover certificate of a delivered grant to a PDF file")),
    ):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("number", metavar="NUMBER")
        _document_options(p)
    p = sub.add_parser(
        "print-members", help=_("write the signature list of an organisation's members to a PDF file")
    )
    p.add_argument("--org", metavar="CODE", required=True)
    p.add_argument("--title", metavar="TEXT", help=_("what the list is for (left blank to fill in by hand)"))
    p.add_argument("--date", metavar="YYYY-MM-DD", type=dt.date.fromisoformat)
    _document_options(p)
    p = sub.add_parser("print-grants", help=_("write every grant sheet of a programme to one PDF file"))
    p.add_argument("--programme", metavar="CODE", required=True)
    _document_options(p)
    sub.add_parser("backups", help=_("list the backups with their date, size and record counts"))
    p = sub.add_parser("user-add", help=_("add a user account (the first one is the administrator)"))
    p.add_argument("username")
    p.add_argument("--role", choices=("admin", "agent", "readonly"), default="agent")
    p.add_argument("--full-name", metavar="NAME")
    p.add_argument("--password-stdin", action="store_true", help=_("read the password from standard input"))
    sub.add_parser("user-list", help=_("list user accounts"))
    p = sub.add_parser("audit", help=_("show who changed what"))
    p.add_argument("--entity", choices=sorted(AUDIT_ENTITIES))
    p.add_argument("--user", metavar="USERNAME")
    p.add_argument("--since", metavar="YYYY-MM-DD", type=_iso_date)
    p.add_argument("--until", metavar="YYYY-MM-DD", type=_iso_date)
    p.add_argument("--xlsx", metavar="FILE", help=_("export to an Excel file"))
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("person-export", help=_("export everything held about one person (JSON or .xlsx)"))
    p.add_argument("person_id", type=int, metavar="ID")
    p.add_argument("--out", metavar="FILE", required=True)
    p = sub.add_parser("person-anonymise", help=_("anonymise a person who left (cannot be undone)"))
    p.add_argument("person_id", type=int, metavar="ID")
    p.add_argument("--yes", action="store_true", help=_("confirm"))
    return parser


AUDIT_ENTITIES = {
    "organisation", "person", "membership", "programme", "programme_party", "programme_zone",
    "grant", "grant_item", "setting", "user", "household", "activity", "result", "indicator", "measurement",
    "visit",
}  # fmt: skip


def _iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("“{value}” is not a date (YYYY-MM-DD).").format(value=value)
        ) from None


def cli_actor() -> Any:
    """Who the command line acts as: whoever may open the file, named in the audit log."""
    from ksm_desktop.services import Actor

    login = os.environ.get("USERNAME") or os.environ.get("USER") or "admin"
    return Actor(f"cli:{login}"[:60], "admin")


def _document_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang", dest="doc_lang", choices=LANGUAGES, help=_("language of the document (default: the app's)")
    )
    parser.add_argument("--out", metavar="FILE.pdf", required=True, help=_("the PDF file to write"))


def open_services(target: Target) -> Any:
    from ksm_desktop.db.storage import open_database
    from ksm_desktop.services import Services

    if target.url:
        return Services(open_database(target.url), cli_actor())
    assert target.path is not None
    return Services(open_database(path=target.path, backup_dir=backup_dir_for(target)), cli_actor())


def _json_default(value: object) -> str:
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


def cmd_demo(args: argparse.Namespace, target: Target) -> int:
    from ksm_desktop.services.demo import load_demo

    report = load_demo(open_services(target))
    if report.added:
        print(_("Added to {db}:").format(db=target.label))
        for line in report.added:
            print(f"  - {line}")
    else:
        print(_("The demo portfolio is already in {db}; nothing added.").format(db=target.label))
    return EXIT_OK


def cmd_orgs(args: argparse.Namespace, target: Target) -> int:
    from ksm_desktop.services import ListQuery

    rows = open_services(target).organisations.search(ListQuery(limit=None)).rows
    if args.json:
        print_json([asdict(r) for r in rows])
    else:
        from ksm_desktop.domain.enums import OrgKind

        print_table(
            [_("Code"), _("Name"), _("Kind"), _("Province"), _("Members"), _("Women"), _("Men")],
            [(r.code, r.name, OrgKind(r.kind).label, r.province, r.members, r.women, r.men) for r in rows],
        )
    return EXIT_OK


def cmd_members(args: argparse.Namespace, target: Target) -> int:
    from ksm_desktop.services import ListQuery

    services = open_services(target)
    filters: dict[str, object] = {}
    if args.org:
        filters["organisation_id"] = services.organisations.get_by_code(args.org).id
    rows = services.persons.search(ListQuery(filters=filters, limit=None)).rows
    if args.json:
        print_json([asdict(r) for r in rows])
    else:
        print_table(
            [_("CIN"), _("Last name"), _("First name"), _("Sex"), _("Phone"), _("Organisations")],
            [(r.cin, r.last_name, r.first_name, r.sex, r.phone, ", ".join(r.orgs)) for r in rows],
        )
    return EXIT_OK


def cmd_grants(args: argparse.Namespace, target: Target) -> int:
    from ksm_desktop.domain.enums import GrantStatus
    from ksm_desktop.i18n.formatting import format_money
    from ksm_desktop.services import ListQuery

    services = open_services(target)
    filters: dict[str, object] = {}
    if args.programme:
        filters["programme_id"] = services.programmes.get_by_code(args.programme).id
    rows = services.grants.search(ListQuery(filters=filters, limit=None)).rows
    if args.json:
        print_json([asdict(r) for r in rows])
    else:
        print_table(
            [_("Number"), _("Recipient"), _("Programme"), _("Status"), _("Total"), _("Women"), _("Men")],
            [
                (
                    r.number,
                    r.recipient,
                    r.programme,
                    GrantStatus(r.status).label,
                    format_money(r.total, r.currency),
                    r.women,
                    r.men,
                )
                for r in rows
            ],
        )
    return EXIT_OK


def _programme_filter(services: Any, code: str | None) -> dict[str, object]:
    return {"programme_id": services.programmes.get_by_code(code).id} if code else {}


def cmd_households(args: argparse.Namespace, target: Target) -> int:
    from ksm_desktop.services import ListQuery

    services = open_services(target)
    query = ListQuery(filters=_programme_filter(services, args.programme), limit=None)
    rows = services.households.search(query).rows
    if args.json:
        print_json([asdict(r) for r in rows])
    else:
        print_table(
            [
                _("Code"),
                _("Head of household"),
                _("Members"),
                _("Tribe / douar"),
                _("Commune"),
                _("Installed"),
            ],
            [
                (
                    r.code,
                    r.head_name,
                    r.size,
                    r.location_name,
                    r.commune,
                    max((e.installed_on for e in r.equipment if e.installed_on), default=""),
                )
                for r in rows
            ],
        )
    return EXIT_OK


def cmd_activities(args: argparse.Namespace, target: Target) -> int:
    from ksm_desktop.domain.enums import ActivityKind
    from ksm_desktop.services import ListQuery

    services = open_services(target)
    query = ListQuery(filters=_programme_filter(services, args.programme), limit=None)
    rows = services.activities.search(query).rows
    if args.json:
        print_json([asdict(r) for r in rows])
    else:
        print_table(
            [_("Date"), _("Kind"), _("Topic"), _("Programme"), _("Direct"), _("Indirect")],
            [
                (r.start_date, ActivityKind(r.kind).label, r.topic, r.programme, r.direct, r.indirect)
                for r in rows
            ],
        )
    return EXIT_OK


def cmd_results(args: argparse.Namespace, target: Target) -> int:
    services = open_services(target)
    programme = services.programmes.get_by_code(args.programme)
    results = services.results.results_of(programme.id)
    if args.json:
        print_json(
            [
                {
                    "code": r.code,
                    "statement": r.statement,
                    "indicators": [
                        {
                            "code": i.code,
                            "name": i.name,
                            "unit": i.unit,
                            "baseline": i.baseline,
                            "target": i.target,
                            "target_women": i.target_women,
                            "target_men": i.target_men,
                            "achieved": i.achieved.value if i.achieved else None,
                            "achieved_women": i.achieved.women if i.achieved else None,
                            "achieved_men": i.achieved.men if i.achieved else None,
                            "progress": i.progress,
                        }
                        for i in r.indicators
                    ],
                }
                for r in results
            ]
        )
    else:
        from ksm_desktop.i18n.formatting import format_decimal, format_percent

        for r in results:
            print(f"{r.code}  {r.statement}")
            for i in r.indicators:
                done = format_percent(i.progress) if i.progress is not None else "-"
                achieved = format_decimal(i.achieved.value.normalize()) if i.achieved else "-"
                line = _("{code}  {name}: {achieved} / {target} {unit} ({progress})").format(
                    code=i.code,
                    name=i.name,
                    achieved=achieved,
                    target=format_decimal(i.target.normalize()),
                    unit=i.unit,
                    progress=done,
                )
                print("    " + line)
    return EXIT_OK


def cmd_check(args: argparse.Namespace, target: Target) -> int:
    from ksm_desktop.db import migrate
    from ksm_desktop.db.backup import is_ksm_database, quick_check
    from ksm_desktop.db.engine import make_engine, sqlite_url

    problems: list[str] = []
    if target.path is not None:
        if not target.path.exists():
            print(_("No database at {path}.").format(path=target.path), file=sys.stderr)
            return EXIT_REJECTED
        problems = quick_check(target.path)
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
        head = migrate.head_revision()
        if revision is not None and revision not in migrate.known_revisions():
            problems.append(
                _("The schema {revision} was made by a newer version of KSM Desktop.").format(
                    revision=revision
                )
            )
    print(_("Database: {db}").format(db=target.label))
    print(
        _("Schema version: {revision} (this version of KSM Desktop expects {head})").format(
            revision=revision or "-", head=migrate.head_revision()
        )
    )
    print(_("KSM Desktop version: {version}").format(version=__version__))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return EXIT_REJECTED
    if revision != head:
        print(_("The schema will be upgraded the next time the database is opened."))
    print(_("Integrity: OK"))
    return EXIT_OK


def _require_file(target: Target) -> Path:
    if target.path is None:
        raise KsmError(_("Backups of a server database are made on the server (for PostgreSQL: pg_dump)."))
    return target.path


def cmd_backup(args: argparse.Namespace, target: Target) -> int:
    from ksm_desktop.db.backup import backup_file, timestamped_name

    source = _require_file(target)
    if not source.exists():
        raise KsmError(_("No database at {path}.").format(path=source))
    out = Path(args.out).expanduser() if args.out else backup_dir_for(target) / timestamped_name("manual")
    written = backup_file(source, out)
    print(_("Backup written and verified: {path}").format(path=written))
    return EXIT_OK


def cmd_restore(args: argparse.Namespace, target: Target) -> int:
    from ksm_desktop.db.backup import restore_file

    destination = _require_file(target)
    source = Path(args.file).expanduser()
    if not source.is_file():
        raise KsmError(_("No backup file at {path}.").format(path=source))
    aside = restore_file(source, destination)
    print(_("Database restored from {path}.").format(path=source))
    if aside is not None:
        print(_("The replaced database was kept as {path}.").format(path=aside))
    return EXIT_OK


def cmd_import_members(args: argparse.Namespace, target: Target) -> int:
    from ksm_desktop.exchange.members import guess_mapping, parse_rows
    from ksm_desktop.exchange.sheets import read_table

    services = open_services(target)
    org = services.organisations.get_by_code(args.org)
    table = read_table(Path(args.file).expanduser())
    rows, bad = parse_rows(table, guess_mapping(table.headers))
    report = services.imports.preview(org.id, rows, bad)
    if report.ok and not args.dry_run:
        report = services.imports.commit(org.id, rows, bad)
    print("\n".join(report.lines()))
    if not report.ok:
        print(_("Nothing was imported: correct the rejected rows and run the import again."), file=sys.stderr)
        return EXIT_REJECTED
    if report.committed:
        print(_("Imported. Backup made before the import: {path}").format(path=report.backup or "-"))
    else:
        print(_("Dry run: nothing was imported."))
    return EXIT_OK


def cmd_export(args: argparse.Namespace, target: Target) -> int:
    from ksm_desktop.exchange.export import export_list
    from ksm_desktop.services import ListQuery

    services = open_services(target)
    filters: dict[str, object] = {}
    if args.org:
        filters["organisation_id"] = services.organisations.get_by_code(args.org).id
    if args.programme:
        filters["programme_id"] = services.programmes.get_by_code(args.programme).id
    kind = {"orgs": "organisations", "members": "members", "grants": "grants"}[args.list]
    out = Path(args.out).expanduser()
    count = export_list(services, kind, ListQuery(filters=filters, limit=None), out)
    print(
        ngettext("{n} row written to {path}", "{n} rows written to {path}", count).format(n=count, path=out)
    )
    return EXIT_OK


def _write_document(args: argparse.Namespace, render: Callable[[Any, str], bytes], target: Target) -> int:
    """Render with the services, then write the file in one step (no partial file on failure)."""
    from ksm_desktop.i18n import current_language
    from ksm_desktop.reports import write_pdf

    data = render(open_services(target), args.doc_lang or current_language())
    path = write_pdf(Path(args.out), data)
    print(_("Written: {path}").format(path=path))
    return EXIT_OK


def cmd_print_grant(args: argparse.Namespace, target: Target) -> int:
    from ksm_desktop.reports import render_grant_sheet

    return _write_document(args, lambda s, lang: render_grant_sheet(s, args.number, lang), target)


def cmd_print_handover(args: argparse.Namespace, target: Target) -> int:
    from ksm_desktop.reports import render_handover

    return _write_document(args, lambda s, lang: render_handover(s, args.number, lang), target)


def cmd_print_members(args: argparse.Namespace, target: Target) -> int:
    from ksm_desktop.reports import render_member_list

    def render(services: Any, lang: str) -> bytes:
        org = services.organisations.get_by_code(args.org)
        return render_member_list(services, org.id, lang, title=args.title, date=args.date)

    return _write_document(args, render, target)


def cmd_print_grants(args: argparse.Namespace, target: Target) -> int:
    from ksm_desktop.reports import render_programme_sheets

    return _write_document(args, lambda s, lang: render_programme_sheets(s, args.programme, lang), target)


def cmd_backups(args: argparse.Namespace, target: Target) -> int:
    from ksm_desktop.db.backups_policy import list_backups
    from ksm_desktop.i18n.formatting import format_datetime

    _require_file(target)
    rows = list_backups(backup_dir_for(target))
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


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    import getpass

    first = getpass.getpass(_("Password: "))
    if getpass.getpass(_("Password again: ")) != first:
        raise KsmError(_("The two passwords differ."))
    return first


def cmd_user_add(args: argparse.Namespace, target: Target) -> int:
    from ksm_desktop.services.users import create_first_admin, has_users

    services = open_services(target)
    password = _read_password(args.password_stdin)
    if not has_users(services.db):
        if args.role != "admin":
            raise KsmError(_("The first account must be the administrator: use --role admin."))
        user = create_first_admin(services.db, args.username, password, args.full_name)
    else:
        user = services.users.add(args.username, password, args.role, args.full_name)
    print(_("User {name} added ({role}).").format(name=user.username, role=user.role))
    return EXIT_OK


def cmd_user_list(args: argparse.Namespace, target: Target) -> int:
    users = open_services(target).users.list()
    print_table(
        [_("User"), _("Name"), _("Role"), _("Active"), _("Last sign-in")],
        [(u.username, u.full_name, u.role, _("yes") if u.active else _("no"), u.last_login) for u in users],
    )
    return EXIT_OK


def cmd_audit(args: argparse.Namespace, target: Target) -> int:
    from ksm_desktop.services.audit import AuditQuery

    services = open_services(target)
    query = AuditQuery(entity=args.entity, username=args.user, since=args.since, until=args.until, limit=None)
    if args.xlsx:
        count = services.audit.export_xlsx(Path(args.xlsx).expanduser(), query)
        print(_("{count} entries written to {path}.").format(count=count, path=args.xlsx))
        return EXIT_OK
    entries = services.audit.search(query)
    if args.json:
        print_json([e.__dict__ for e in entries])
    else:
        print_table(
            [_("Date"), _("User"), _("Action"), _("Record"), _("Label"), _("Changes")],
            [(e.at, e.username, e.action, e.entity, e.label, ", ".join(sorted(e.changes))) for e in entries],
        )
    return EXIT_OK


def cmd_person_export(args: argparse.Namespace, target: Target) -> int:
    out = open_services(target).privacy.export_to(args.person_id, Path(args.out).expanduser())
    print(_("Personal data written to {path}.").format(path=out))
    return EXIT_OK


def cmd_person_anonymise(args: argparse.Namespace, target: Target) -> int:
    if not args.yes:
        raise KsmError(_("Anonymising cannot be undone: add --yes to confirm."))
    open_services(target).privacy.anonymise(args.person_id)
    print(_("Person {id} anonymised.").format(id=args.person_id))
    return EXIT_OK


HANDLERS: dict[str, Callable[[argparse.Namespace, Target], int]] = {
    "demo": cmd_demo,
    "orgs": cmd_orgs,
    "members": cmd_members,
    "grants": cmd_grants,
    "households": cmd_households,
    "activities": cmd_activities,
    "results": cmd_results,
    "check": cmd_check,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "import-members": cmd_import_members,
    "export": cmd_export,
    "print-grant": cmd_print_grant,
    "print-handover": cmd_print_handover,
    "print-members": cmd_print_members,
    "print-grants": cmd_print_grants,
    "backups": cmd_backups,
    "user-add": cmd_user_add,
    "user-list": cmd_user_list,
    "audit": cmd_audit,
    "person-export": cmd_person_export,
    "person-anonymise": cmd_person_anonymise,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the GUI or one command; returns the process exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    # Messages of the parser itself follow --lang too, so read it before building the parser.
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--lang")
    known, _rest = early.parse_known_args(argv)
    set_language(choose_language(known.lang if known.lang in LANGUAGES else None))
    setattr(argparse, "_", _)  # noqa: B010 (argparse's module global, read at call time)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    if args.db and args.db_url:
        print(_("Use either --db or --db-url, not both."), file=sys.stderr)
        return EXIT_USAGE
    try:
        target = resolve_target(args)
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    if args.command is None:
        from ksm_desktop.app import run_gui

        return run_gui(target.url, target.path)
    handler = HANDLERS[args.command]
    try:
        return handler(args, target)
    except KsmError as exc:
        print(exc.message, file=sys.stderr)
        return EXIT_REJECTED
    except BrokenPipeError:  # output piped into a pager or `head` that stopped reading
        return EXIT_OK
    except OSError as exc:
        print(
            _("File error: {reason} ({path})").format(reason=exc.strerror, path=exc.filename), file=sys.stderr
        )
        return EXIT_REJECTED
