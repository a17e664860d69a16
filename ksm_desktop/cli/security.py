"""Accounts, audit log and personal-data commands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ksm_desktop.cli.core import (
    EXIT_OK,
    Handler,
    Subcommands,
    Target,
    iso_date,
    open_services,
    print_json,
    print_table,
)
from ksm_desktop.domain.errors import KsmError
from ksm_desktop.i18n import _

AUDIT_ENTITIES = {
    "organisation", "person", "membership", "programme", "programme_party", "programme_zone",
    "grant", "grant_item", "setting", "user", "household", "activity", "result", "indicator", "measurement",
    "visit", "grant_item_serial", "visit_piece", "attachment",
}  # fmt: skip


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    no_terminal = KsmError(
        _(
            "No terminal to type the password in: use --password-stdin and give the password on the "
            "first line of standard input."
        )
    )
    if not sys.stdin or not sys.stdin.isatty():
        raise no_terminal
    import getpass

    try:
        first = getpass.getpass(_("Password: "))
        again = getpass.getpass(_("Password again: "))
    except EOFError:
        raise no_terminal from None
    if again != first:
        raise KsmError(_("The two passwords differ."))
    return first


def cmd_user_add(args: argparse.Namespace, target: Target) -> int:
    from ksm_desktop.services.users import create_first_admin, has_users

    services = open_services(target)
    password = _read_password(args.password_stdin)
    if not has_users(services.db):  # the first account is the administrator, whatever --role says
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


def cmd_single_user(args: argparse.Namespace, target: Target) -> int:
    services = open_services(target)
    services.users.set_single_user_mode(args.mode == "on")
    if args.mode == "on":
        print(_("Single-user mode on: the app opens without signing in, as the first administrator."))
    else:
        print(_("Single-user mode off: everyone signs in."))
    return EXIT_OK


def register(sub: Subcommands) -> dict[str, Handler]:
    """Add this module's sub-commands to `sub`; returns their handlers."""
    p = sub.add_parser("user-add", help=_("add a user account (the first one is the administrator)"))
    p.add_argument("username")
    p.add_argument(
        "--role",
        choices=("admin", "agent", "readonly"),
        default="agent",
        help=_("role of the account (default: agent; the first account is always the administrator)"),
    )
    p.add_argument("--full-name", metavar="NAME")
    p.add_argument("--password-stdin", action="store_true", help=_("read the password from standard input"))
    sub.add_parser("user-list", help=_("list user accounts"))
    p = sub.add_parser("audit", help=_("show who changed what"))
    p.add_argument("--entity", choices=sorted(AUDIT_ENTITIES))
    p.add_argument("--user", metavar="USERNAME")
    p.add_argument("--since", metavar="YYYY-MM-DD", type=iso_date)
    p.add_argument("--until", metavar="YYYY-MM-DD", type=iso_date)
    p.add_argument("--xlsx", metavar="FILE", help=_("export to an Excel file"))
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("person-export", help=_("export everything held about one person (JSON or .xlsx)"))
    p.add_argument("person_id", type=int, metavar="ID")
    p.add_argument("--out", metavar="FILE", required=True)
    p = sub.add_parser("person-anonymise", help=_("anonymise a person who left (cannot be undone)"))
    p.add_argument("person_id", type=int, metavar="ID")
    p.add_argument("--yes", action="store_true", help=_("confirm"))
    p = sub.add_parser("single-user", help=_("open the app without signing in, on a lone laptop (on/off)"))
    p.add_argument("mode", choices=("on", "off"))
    return {
        "single-user": cmd_single_user,
        "user-add": cmd_user_add,
        "user-list": cmd_user_list,
        "audit": cmd_audit,
        "person-export": cmd_person_export,
        "person-anonymise": cmd_person_anonymise,
    }
