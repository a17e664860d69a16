"""Attached files from the command line: attach one, list a record's, write one back to a file."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from ksm_desktop.cli.core import EXIT_OK, Handler, Subcommands, Target, open_services, print_json, print_table
from ksm_desktop.domain.enums import AttachmentKind, AttachmentOwner
from ksm_desktop.i18n import _

if TYPE_CHECKING:
    from ksm_desktop.services import Services


def record_id(services: Services, entity: str, given: str) -> int:
    """The record's id: a number, or a grant's number (KSM-2024-0001) or an organisation's code."""
    if given.isdigit():
        return int(given)
    if entity == AttachmentOwner.GRANT:
        return services.grants.get_by_number(given).id
    if entity == AttachmentOwner.ORGANISATION:
        return services.organisations.get_by_code(given).id
    from ksm_desktop.domain.errors import ValidationError

    raise ValidationError(_("“{value}” is not an id.").format(value=given), "id")


def cmd_attach(args: argparse.Namespace, target: Target) -> int:
    services = open_services(target)
    added = services.attachments.add(
        args.entity,
        record_id(services, args.entity, args.id),
        Path(args.file),
        args.kind,
        args.caption,
        keep_location=args.keep_location,
    )
    print(
        _("Attached {name} ({kind}) as attachment {id}.").format(
            name=added.filename, kind=added.kind.label, id=added.id
        )
    )
    return EXIT_OK


def cmd_attachments(args: argparse.Namespace, target: Target) -> int:
    from ksm_desktop.i18n.formatting import format_date, format_file_size

    services = open_services(target)
    rows = services.attachments.list(args.entity, record_id(services, args.entity, args.id))
    if args.json:
        print_json([a.as_json() for a in rows])
    else:
        print_table(
            [_("Id"), _("Kind"), _("File"), _("Size"), _("Date"), _("Caption")],
            [
                (a.id, a.kind.label, a.filename, format_file_size(a.size), format_date(a.dated_on), a.caption)
                for a in rows
            ],
        )
    return EXIT_OK


def cmd_attachment_get(args: argparse.Namespace, target: Target) -> int:
    from ksm_desktop.workbook import atomic_write

    data = open_services(target).attachments.content(args.attachment_id)
    out = Path(args.out)
    atomic_write(out, lambda tmp: tmp.write_bytes(data))
    print(_("Written to {path}.").format(path=out))
    return EXIT_OK


def register(sub: Subcommands) -> dict[str, Handler]:
    """Add this module's sub-commands to `sub`; returns their handlers."""
    owners = [o.value for o in AttachmentOwner]
    p = sub.add_parser("attach", help=_("attach a file (PDF, JPEG, PNG, HEIC) to a record"))
    p.add_argument("entity", choices=owners, metavar="ENTITY", help=", ".join(owners))
    p.add_argument(
        "id", metavar="ID", help=_("the record's id (or a grant's number, an organisation's code)")
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--kind", choices=[k.value for k in AttachmentKind], default=AttachmentKind.OTHER.value)
    p.add_argument("--caption", metavar="TEXT")
    p.add_argument(
        "--keep-location",
        action="store_true",
        help=_("keep a photo's GPS position and camera details (removed by default)"),
    )
    p = sub.add_parser("attachments", help=_("list the files attached to a record"))
    p.add_argument("entity", choices=owners, metavar="ENTITY", help=", ".join(owners))
    p.add_argument("id", metavar="ID")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("attachment-get", help=_("write an attached file (checked) to a file"))
    p.add_argument("attachment_id", type=int, metavar="ATTACHMENT_ID")
    p.add_argument("--out", metavar="FILE", required=True)
    return {"attach": cmd_attach, "attachments": cmd_attachments, "attachment-get": cmd_attachment_get}
