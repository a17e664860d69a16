"""Spreadsheet commands: import members, export lists."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ksm_desktop.cli.core import (
    EXIT_OK,
    EXIT_REJECTED,
    Handler,
    Subcommands,
    Target,
    open_services,
)
from ksm_desktop.domain.errors import KsmError
from ksm_desktop.i18n import _, ngettext


def cmd_import_members(args: argparse.Namespace, target: Target) -> int:
    from ksm_desktop.exchange.members import guess_mapping, parse_rows, read_members

    services = open_services(target)
    org = services.organisations.get_by_code(args.org)
    table = read_members(Path(args.file).expanduser(), args.sheet)
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

    applies = {"orgs": ("--programme",), "members": ("--org",), "grants": ("--org", "--programme")}[args.list]
    for option, given in (("--org", args.org), ("--programme", args.programme)):
        if given and option not in applies:  # never ignored: the file would hold every row
            raise KsmError(
                _("{option} does not apply to the list “{list}”.").format(option=option, list=args.list)
            )
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


def register(sub: Subcommands) -> dict[str, Handler]:
    """Add this module's sub-commands to `sub`; returns their handlers."""
    p = sub.add_parser(
        "import-members", help=_("import members of an organisation from .xlsx, .ods, .csv or .txt")
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--org", metavar="CODE", required=True)
    p.add_argument("--sheet", metavar="NAME", help=_("the sheet to read (default: the first)"))
    p.add_argument("--dry-run", action="store_true", help=_("only show what would be imported"))
    p = sub.add_parser("export", help=_("export a list to .xlsx or .csv"))
    p.add_argument("list", choices=("orgs", "members", "grants"))
    p.add_argument("--org", metavar="CODE")
    p.add_argument("--programme", metavar="CODE")
    p.add_argument("--out", metavar="FILE", required=True)
    return {
        "import-members": cmd_import_members,
        "export": cmd_export,
    }
