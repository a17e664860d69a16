"""What each list page shows: its service search, columns, filters and names."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ksm_desktop.domain.enums import (
    GrantKind,
    GrantStatus,
    LabelledEnum,
    LocationLevel,
    OrgKind,
    OrgStatus,
    ProgrammeStatus,
    Sex,
)
from ksm_desktop.i18n import _, ngettext
from ksm_desktop.i18n.formatting import format_date, format_decimal, format_money
from ksm_desktop.services import ListQuery, Page, Services
from ksm_desktop.ui.table_model import Column

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

Options = list[tuple[str, object]]
Printer = Callable[["QWidget", Services, list[Any]], object]


@dataclass(frozen=True)
class FilterSpec:
    """A combo above the list: the service filter key, its label and its choices (read off-thread)."""

    key: str
    label: str
    options: Callable[[Services], Options]


@dataclass(frozen=True)
class ListSpec:
    name: str  # settings key and object name
    editor_kind: str  # open_editor's kind
    export_kind: str  # export_list's kind
    search: Callable[[Services], Callable[[ListQuery], Page[Any]]]
    columns: Callable[[], list[Column]]
    filters: Callable[[], list[FilterSpec]]
    count_text: Callable[[int], str]
    search_hint: Callable[[], str]
    sort_column: int = 0  # the column the service sorts by when not told
    # Ctrl+P on the page: prints the selected rows (None: nothing to print here) and says what it prints.
    printer: Printer | None = None
    print_hint: Callable[[], str] = lambda: ""
    multi_select: bool = False  # several rows may be selected (and printed together)
    # The exported file's default name, in the user's language ("dotations"); the date is added.
    export_name: Callable[[], str] = lambda: ""


def _enum_options(enum: type[LabelledEnum]) -> Callable[[Services], Options]:
    return lambda _services: [(member.label, member.value) for member in enum]


def _provinces(services: Services) -> Options:
    return [(loc.name, loc.id) for loc in services.locations.by_level(LocationLevel.PROVINCE)]


def _organisations(services: Services) -> Options:
    rows = services.organisations.search(ListQuery(sort="name", limit=None)).rows
    return [(f"{row.name} ({row.code})", row.id) for row in rows]


def _programmes(services: Services) -> Options:
    rows = services.programmes.search(ListQuery(sort="code", limit=None)).rows
    return [(f"{row.code} – {row.name}", row.id) for row in rows]


def _membership(_services: Services) -> Options:
    """The dashboard's "Members" card opens the people page on the first choice: same count."""
    return [(_("Members of an organisation"), True), (_("Not members of any organisation"), False)]


def _number(value: int | None) -> str:
    return "" if value is None else format_decimal(value)


def _label(enum: type[LabelledEnum], value: str) -> str:
    try:
        return enum(value).label
    except ValueError:
        return value


def _ltr(text: str | None) -> str:
    """Phone numbers keep their '+' in front inside a right-to-left layout (LRM mark first)."""
    return f"\u200e{text}" if text else ""


# The printing module is looked up when printing (it loads the reports; tests replace its functions).


def _print_grants(parent: QWidget, services: Services, rows: list[Any]) -> object:
    from ksm_desktop.ui import printing

    if len(rows) == 1:
        return printing.print_grant_sheet(parent, services, rows[0].number)
    return printing.print_grant_sheets(parent, services, [row.number for row in rows])


def _print_member_list(parent: QWidget, services: Services, rows: list[Any]) -> object:
    from ksm_desktop.ui import printing

    return printing.print_member_list(parent, services, rows[0].id)


def _print_programme(parent: QWidget, services: Services, rows: list[Any]) -> object:
    from ksm_desktop.ui import printing

    return printing.print_programme_sheets(parent, services, rows[0].code)


ORGANISATIONS = ListSpec(
    name="organisations",
    editor_kind="organisation",
    export_kind="organisations",
    export_name=lambda: _("organisations"),
    search=lambda s: s.organisations.search,
    columns=lambda: [
        Column(_("Code"), lambda r: r.code, "code"),
        Column(_("Name"), lambda r: r.name, "name", wide=True),
        Column(_("Type"), lambda r: _label(OrgKind, r.kind), "kind"),
        Column(_("Sector"), lambda r: r.sector or "", "sector"),
        Column(_("Province"), lambda r: r.province or "", "province"),
        Column(_("Members"), lambda r: _number(r.members), "members", numeric=True),
        Column(_("Women"), lambda r: _number(r.women), "women", numeric=True),
        Column(_("Men"), lambda r: _number(r.men), "men", numeric=True),
        Column(_("Status"), lambda r: _label(OrgStatus, r.status), "status"),
    ],
    filters=lambda: [
        FilterSpec("kind", _("Type"), _enum_options(OrgKind)),
        FilterSpec("province_id", _("Province"), _provinces),
        FilterSpec("status", _("Status"), _enum_options(OrgStatus)),
    ],
    count_text=lambda n: ngettext("{count} organisation", "{count} organisations", n).format(
        count=format_decimal(n)
    ),
    search_hint=lambda: _("Search by name, code, sector…"),
    sort_column=1,
    printer=_print_member_list,
    print_hint=lambda: _("Print the member signature list of the selected organisation (Ctrl+P)"),
)

MEMBERS = ListSpec(
    name="members",
    editor_kind="person",
    export_kind="members",
    export_name=lambda: _("people"),
    search=lambda s: s.persons.search,
    columns=lambda: [
        Column(_("Last name"), lambda r: r.last_name, "last_name"),
        Column(_("First name"), lambda r: r.first_name, "first_name"),
        Column(_("Name in Arabic"), lambda r: r.full_name_ar or "", "full_name_ar"),
        Column(_("CIN"), lambda r: r.cin or "", "cin"),
        Column(_("Sex"), lambda r: _label(Sex, r.sex), "sex"),
        Column(
            _("Born"), lambda r: "" if r.birth_year is None else str(r.birth_year), "birth_year", numeric=True
        ),
        Column(_("Phone"), lambda r: _ltr(r.phone), "phone"),
        Column(_("Organisations"), lambda r: ", ".join(r.orgs), wide=True),
    ],
    filters=lambda: [
        FilterSpec("member", _("Membership"), _membership),
        FilterSpec("organisation_id", _("Organisation"), _organisations),
        FilterSpec("sex", _("Sex"), _enum_options(Sex)),
    ],
    # Every person: members of organisations, household heads, participants, individual recipients.
    count_text=lambda n: ngettext("{count} person", "{count} people", n).format(count=format_decimal(n)),
    search_hint=lambda: _("Search by name, CIN, phone…"),
)

PROGRAMMES = ListSpec(
    name="programmes",
    editor_kind="programme",
    export_kind="programmes",
    export_name=lambda: _("programmes"),
    search=lambda s: s.programmes.search,
    columns=lambda: [
        Column(_("Code"), lambda r: r.code, "code"),
        Column(_("Name"), lambda r: r.name, "name", wide=True),
        Column(_("Start"), lambda r: format_date(r.start_date), "start_date"),
        Column(_("End"), lambda r: format_date(r.end_date), "end_date"),
        Column(_("Status"), lambda r: _label(ProgrammeStatus, r.status), "status"),
        Column(
            _("Budget"),
            lambda r: "" if r.budget is None else format_money(r.budget, r.currency),
            "budget",
            True,
        ),
        Column(_("Grants"), lambda r: _number(r.grants), "grants", numeric=True),
    ],
    filters=lambda: [FilterSpec("status", _("Status"), _enum_options(ProgrammeStatus))],
    count_text=lambda n: ngettext("{count} programme", "{count} programmes", n).format(
        count=format_decimal(n)
    ),
    search_hint=lambda: _("Search by code or name…"),
    sort_column=2,
    printer=_print_programme,
    print_hint=lambda: _("Print every grant sheet of the selected programme in one document (Ctrl+P)"),
)

GRANTS = ListSpec(
    name="grants",
    editor_kind="grant",
    export_kind="grants",
    export_name=lambda: _("grants"),
    search=lambda s: s.grants.search,
    columns=lambda: [
        Column(_("Number"), lambda r: r.number, "number"),
        Column(_("Date"), lambda r: format_date(r.grant_date), "grant_date"),
        Column(_("Recipient"), lambda r: r.recipient or "", "recipient", wide=True),
        Column(_("Programme"), lambda r: r.programme or "", "programme"),
        Column(_("Type"), lambda r: _label(GrantKind, r.kind), "kind"),
        Column(_("Purpose"), lambda r: r.purpose, "purpose", wide=True),
        Column(_("Amount"), lambda r: format_money(r.total, r.currency), "total", numeric=True),
        Column(_("Women"), lambda r: _number(r.women), "women", numeric=True),
        Column(_("Men"), lambda r: _number(r.men), "men", numeric=True),
        Column(_("Status"), lambda r: _label(GrantStatus, r.status), "status"),
    ],
    filters=lambda: [
        FilterSpec("programme_id", _("Programme"), _programmes),
        FilterSpec("status", _("Status"), _enum_options(GrantStatus)),
        FilterSpec("kind", _("Type"), _enum_options(GrantKind)),
        FilterSpec("province_id", _("Province"), _provinces),
        FilterSpec("without_signed_pv", _("Evidence"), lambda _s: [(_("Delivered without signed PV"), True)]),
    ],
    count_text=lambda n: ngettext("{count} grant", "{count} grants", n).format(count=format_decimal(n)),
    search_hint=lambda: _("Search by number, recipient, purpose, serial number…"),
    printer=_print_grants,
    print_hint=lambda: _("Print the sheets of the selected grants in one document (Ctrl+P)"),
    multi_select=True,
)

LIST_SPECS = (ORGANISATIONS, MEMBERS, PROGRAMMES, GRANTS)
