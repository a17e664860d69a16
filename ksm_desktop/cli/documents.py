"""Document commands: grant sheets, handover certificates, signature lists, programme reports as PDF."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ksm_desktop.cli.core import (
    EXIT_OK,
    Handler,
    Subcommands,
    Target,
    open_services,
)
from ksm_desktop.i18n import LANGUAGES, _

if TYPE_CHECKING:
    from ksm_desktop.services import Services


def _document_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang", dest="doc_lang", choices=LANGUAGES, help=_("language of the document (default: the app's)")
    )
    parser.add_argument("--out", metavar="FILE.pdf", required=True, help=_("the PDF file to write"))


def _write_document(
    args: argparse.Namespace, render: Callable[[Services, str], bytes], target: Target
) -> int:
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

    def render(services: Services, lang: str) -> bytes:
        org = services.organisations.get_by_code(args.org)
        return render_member_list(services, org.id, lang, title=args.title, date=args.date)

    return _write_document(args, render, target)


def cmd_print_grants(args: argparse.Namespace, target: Target) -> int:
    from ksm_desktop.reports import render_programme_sheets

    return _write_document(args, lambda s, lang: render_programme_sheets(s, args.programme, lang), target)


def cmd_print_attendance(args: argparse.Namespace, target: Target) -> int:
    from ksm_desktop.reports import render_activity_attendance

    return _write_document(
        args, lambda s, lang: render_activity_attendance(s, args.activity_id, lang), target
    )


def cmd_print_report(args: argparse.Namespace, target: Target) -> int:
    from ksm_desktop.reports.programme_report import render_programme_report

    return _write_document(args, lambda s, lang: render_programme_report(s, args.programme, lang), target)


def register(sub: Subcommands) -> dict[str, Handler]:
    """Add this module's sub-commands to `sub`; returns their handlers."""
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
    p = sub.add_parser(
        "print-attendance", help=_("write the attendance list of an activity's participants to a PDF file")
    )
    p.add_argument("activity_id", metavar="ACTIVITY_ID", type=int)
    _document_options(p)
    p = sub.add_parser(
        "print-report",
        help=_("write the donor report of a programme (figures, charts, grants) to a PDF file"),
    )
    p.add_argument("--programme", metavar="CODE", required=True)
    _document_options(p)
    return {
        "print-attendance": cmd_print_attendance,
        "print-grant": cmd_print_grant,
        "print-handover": cmd_print_handover,
        "print-members": cmd_print_members,
        "print-grants": cmd_print_grants,
        "print-report": cmd_print_report,
    }
