"""Listing commands: organisations, members, grants, households, activities, results; the demo."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import TYPE_CHECKING

from ksm_desktop.cli.core import (
    EXIT_OK,
    Handler,
    Subcommands,
    Target,
    open_services,
    print_json,
    print_table,
)
from ksm_desktop.i18n import _, ngettext

if TYPE_CHECKING:
    from ksm_desktop.services import Services


def cmd_demo(args: argparse.Namespace, target: Target) -> int:
    from ksm_desktop.demo.portfolio import load_demo

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
    rows = services.grants.search(ListQuery(text=args.search or "", filters=filters, limit=None)).rows
    if args.json:
        serials = services.grants.serials_of([r.id for r in rows])
        print_json([asdict(r) | {"serials": serials.get(r.id, [])} for r in rows])
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


def cmd_grant_serials(args: argparse.Namespace, target: Target) -> int:
    """Set the serial numbers of one line of a grant (none given: the line has none any more)."""
    services = open_services(target)
    grant = services.grants.get_by_number(args.number)
    grant = services.grants.set_serials(grant.id, args.line, args.serials)
    if args.json:
        print_json(
            [
                {
                    "position": i.position,
                    "designation": i.designation,
                    "quantity": i.quantity,
                    "serials": i.serials,
                }
                for i in grant.items
            ]
        )
        return EXIT_OK
    item = next(i for i in grant.items if i.position == args.line)
    print(
        ngettext(
            "{number}, line {line} ({designation}): {count} serial number: {serials}",
            "{number}, line {line} ({designation}): {count} serial numbers: {serials}",
            len(item.serials),
        ).format(
            number=grant.number,
            line=item.position,
            designation=item.designation,
            count=len(item.serials),
            serials=", ".join(item.serials) or "—",
        )
    )
    return EXIT_OK


def cmd_find_duplicates(args: argparse.Namespace, target: Target) -> int:
    from decimal import Decimal

    from ksm_desktop.i18n.formatting import format_decimal, format_list

    pairs = open_services(target).duplicates.find(args.min_score)
    if args.json:
        print_json(
            [
                {
                    "a": p.a,
                    "b": p.b,
                    "score": p.score,
                    "reasons": [str(r) for r in p.reasons],
                    "reasons_text": [r.label for r in p.reasons],
                    "name_a": p.name_a,
                    "name_b": p.name_b,
                }
                for p in pairs
            ]
        )
    else:
        print_table(
            [_("Score"), _("Person"), _("Person"), _("Reasons")],
            [
                (
                    format_decimal(Decimal(str(p.score)), places=2),
                    f"{p.name_a} (#{p.a})",
                    f"{p.name_b} (#{p.b})",
                    format_list([r.label for r in p.reasons]),
                )
                for p in pairs
            ],
        )
        print(ngettext("{n} likely duplicate.", "{n} likely duplicates.", len(pairs)).format(n=len(pairs)))
    return EXIT_OK


def cmd_merge_persons(args: argparse.Namespace, target: Target) -> int:
    services = open_services(target)
    dropped = services.persons.get(args.drop)
    kept = services.persons.merge(args.keep, args.drop, dict.fromkeys(args.use_dropped or (), "drop"))
    print(
        _(
            "{drop} (#{drop_id}) merged into {keep} (#{keep_id}); the former record is in the audit log."
        ).format(
            drop=f"{dropped.first_name} {dropped.last_name}",
            drop_id=dropped.id,
            keep=f"{kept.first_name} {kept.last_name}",
            keep_id=kept.id,
        )
    )
    return EXIT_OK


def cmd_mark_different(args: argparse.Namespace, target: Target) -> int:
    services = open_services(target)
    a, b = services.persons.get(args.a), services.persons.get(args.b)
    new = services.duplicates.mark_different(a.id, b.id)
    message = (
        _(
            "{a} (#{a_id}) and {b} (#{b_id}) are recorded as different persons: never proposed as duplicates again."
        )
        if new
        else _("{a} (#{a_id}) and {b} (#{b_id}) were already recorded as different persons.")
    )
    print(message.format(a=a.full_name, a_id=a.id, b=b.full_name, b_id=b.id))
    return EXIT_OK


def cmd_double_dipping(args: argparse.Namespace, target: Target) -> int:
    from ksm_desktop.services.double_dipping import double_dip_headers

    rows = open_services(target).double_dipping.report()
    if args.json:
        print_json(
            [
                asdict(r) | {"reasons": [str(x) for x in r.reasons], "total_eur": str(r.total_eur)}
                for r in rows
            ]
        )
    else:
        print_table(  # the id beside the name: what merge-persons and mark-different take
            double_dip_headers(),
            [[f"{r.name} (#{r.person_id})", *r.cells()[1:]] for r in rows],
        )
        print(
            ngettext(
                "{n} beneficiary received more than once.",
                "{n} beneficiaries received more than once.",
                len(rows),
            ).format(n=len(rows))
        )
    return EXIT_OK


def cmd_undo_merge(args: argparse.Namespace, target: Target) -> int:
    back = open_services(target).persons.undo_merge(args.audit_id)
    print(
        _("{name} (#{id}) is a separate person again, with what the merge had moved.").format(
            name=back.full_name, id=back.id
        )
    )
    return EXIT_OK


def _score(text: str) -> float:
    """--min-score: a number between 0 and 1 (argparse shows the message and exits with 2)."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(_("the minimum score must be a number between 0 and 1"))
    return value


def _programme_filter(services: Services, code: str | None) -> dict[str, object]:
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
            # the id is what print-attendance asks for
            [_("Id"), _("Date"), _("Kind"), _("Topic"), _("Programme"), _("Direct"), _("Indirect")],
            [
                (r.id, r.start_date, ActivityKind(r.kind).label, r.topic, r.programme, r.direct, r.indirect)
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


def register(sub: Subcommands) -> dict[str, Handler]:
    """Add this module's sub-commands to `sub`; returns their handlers."""
    sub.add_parser("demo", help=_("load KSM's demo portfolio"))
    p = sub.add_parser("orgs", help=_("list organisations"))
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("members", help=_("list members"))
    p.add_argument("--org", metavar="CODE")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("grants", help=_("list grants"))
    p.add_argument("--programme", metavar="CODE")
    p.add_argument(
        "--search", metavar="TEXT", help=_("number, recipient, purpose or serial number of an item")
    )
    p.add_argument("--json", action="store_true")
    p = sub.add_parser(
        "grant-serials",
        help=_("set the serial numbers (or inventory tags) of a line of a grant, one per piece"),
    )
    p.add_argument("number", metavar="NUMBER")
    p.add_argument("line", type=int, metavar="LINE", help=_("the line number on the grant sheet (1, 2…)"))
    p.add_argument("serials", nargs="*", metavar="SERIAL")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("households", help=_("list households and their equipment"))
    p.add_argument("--programme", metavar="CODE")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("activities", help=_("list trainings, workshops and campaigns"))
    p.add_argument("--programme", metavar="CODE")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser(
        "find-duplicates", help=_("list persons probably registered twice (other spelling or script)")
    )
    p.add_argument("--json", action="store_true")
    p.add_argument("--min-score", type=_score, default=0.8, metavar="S", help=_("from 0 to 1 (default 0.8)"))
    p = sub.add_parser(
        "merge-persons", help=_("merge a person registered twice into the one to keep (memberships, grants…)")
    )
    p.add_argument("keep", type=int, metavar="KEEP")
    p.add_argument("drop", type=int, metavar="DROP")
    p.add_argument(
        "--use-dropped",
        action="append",
        metavar="FIELD",
        help=_("keep the dropped person's value of FIELD, e.g. last_name or phone (repeatable)"),
    )
    p = sub.add_parser(
        "double-dipping", help=_("persons and households that received under several programmes or twice")
    )
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("undo-merge", help=_("undo a merge of two persons from its audit log entry"))
    p.add_argument("audit_id", type=int, metavar="AUDIT_ID")
    p = sub.add_parser(
        "mark-different",
        help=_("record that two persons are not the same (never proposed as duplicates again)"),
    )
    p.add_argument("a", type=int, metavar="A")
    p.add_argument("b", type=int, metavar="B")
    p = sub.add_parser("results", help=_("a programme's expected results and indicator progress"))
    p.add_argument("--programme", metavar="CODE", required=True)
    p.add_argument("--json", action="store_true")
    return {
        "demo": cmd_demo,
        "orgs": cmd_orgs,
        "members": cmd_members,
        "grants": cmd_grants,
        "grant-serials": cmd_grant_serials,
        "households": cmd_households,
        "activities": cmd_activities,
        "results": cmd_results,
        "find-duplicates": cmd_find_duplicates,
        "merge-persons": cmd_merge_persons,
        "mark-different": cmd_mark_different,
        "undo-merge": cmd_undo_merge,
        "double-dipping": cmd_double_dipping,
    }
