"""Exporting a list (organisations, members, programmes, grants) to .xlsx or .csv, as shown.

The list's query (filter and sort) is applied over all pages; workbook.py writes the file
(typed cells, never a formula, atomically).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ksm_desktop.domain.enums import (
    ActivityKind,
    GrantKind,
    GrantStatus,
    OrgKind,
    OrgStatus,
    ProgrammeStatus,
    Sex,
)
from ksm_desktop.domain.errors import ValidationError
from ksm_desktop.i18n import N_, _
from ksm_desktop.services import ListQuery, Services
from ksm_desktop.workbook import Sheet, write_csv, write_xlsx

# Each list and its sheet's title (translated when written).
TITLES = {
    "organisations": N_("Organisations"),
    "members": N_("Members"),
    "programmes": N_("Programmes"),
    "grants": N_("Grants"),
    "households": N_("Households"),
    "activities": N_("Activities"),
}


@dataclass(frozen=True)
class Column:
    title: str  # msgid, translated when written
    get: Callable[[Any], object]  # typed value: int, Decimal (money), date or text


def _label(enum: Any) -> Callable[[str | None], str | None]:
    return lambda value: enum(value).label if value else None


_kind, _org_status, _sex = _label(OrgKind), _label(OrgStatus), _label(Sex)
_prog_status, _grant_kind, _grant_status = _label(ProgrammeStatus), _label(GrantKind), _label(GrantStatus)
_activity_kind = _label(ActivityKind)

COLUMNS: dict[str, list[Column]] = {
    "organisations": [
        Column(N_("Code"), lambda r: r.code),
        Column(N_("Name"), lambda r: r.name),
        Column(N_("Name in Arabic"), lambda r: r.name_ar),
        Column(N_("Kind"), lambda r: _kind(r.kind)),
        Column(N_("Sector"), lambda r: r.sector),
        Column(N_("Province"), lambda r: r.province),
        Column(N_("Status"), lambda r: _org_status(r.status)),
        Column(N_("Members"), lambda r: r.members),
        Column(N_("Women"), lambda r: r.women),
        Column(N_("Men"), lambda r: r.men),
    ],
    "members": [
        Column(N_("Last name"), lambda r: r.last_name),
        Column(N_("First name"), lambda r: r.first_name),
        Column(N_("Name in Arabic"), lambda r: r.full_name_ar),
        Column(N_("CIN"), lambda r: r.cin),
        Column(N_("Sex"), lambda r: _sex(r.sex)),
        Column(N_("Birth year"), lambda r: r.birth_year),
        Column(N_("Phone"), lambda r: r.phone),
        Column(N_("Organisations"), lambda r: ", ".join(r.orgs)),
    ],
    "programmes": [
        Column(N_("Code"), lambda r: r.code),
        Column(N_("Name"), lambda r: r.name),
        Column(N_("Name in Arabic"), lambda r: r.name_ar),
        Column(N_("Start"), lambda r: r.start_date),
        Column(N_("End"), lambda r: r.end_date),
        Column(N_("Status"), lambda r: _prog_status(r.status)),
        Column(N_("Budget"), lambda r: r.budget),
        Column(N_("Currency"), lambda r: r.currency),
        Column(N_("Grants"), lambda r: r.grants),
    ],
    "grants": [
        Column(N_("Number"), lambda r: r.number),
        Column(N_("Date"), lambda r: r.grant_date),
        Column(N_("Recipient"), lambda r: r.recipient),
        Column(N_("Recipient (Arabic)"), lambda r: r.recipient_ar),
        Column(N_("Programme"), lambda r: r.programme),
        Column(N_("Kind"), lambda r: _grant_kind(r.kind)),
        Column(N_("Purpose"), lambda r: r.purpose),
        Column(N_("Status"), lambda r: _grant_status(r.status)),
        Column(N_("Total"), lambda r: r.total),
        Column(N_("Currency"), lambda r: r.currency),
        Column(N_("Women"), lambda r: r.women),
        Column(N_("Men"), lambda r: r.men),
        Column(N_("Unspecified"), lambda r: r.unspecified),
    ],
    "households": [
        Column(N_("Code"), lambda r: r.code),
        Column(N_("Head of household"), lambda r: r.head_name),
        Column(N_("CIN"), lambda r: r.head_cin),
        Column(N_("Tribe / douar"), lambda r: r.location_name),
        Column(N_("Commune"), lambda r: r.commune),
        Column(N_("Household size"), lambda r: r.size),
        Column(N_("Programme"), lambda r: r.programme),
        Column(N_("Equipment"), lambda r: ", ".join(e.number for e in r.equipment)),
        Column(
            N_("Installed on"),
            lambda r: min((e.installed_on for e in r.equipment if e.installed_on), default=None),
        ),
    ],
    "activities": [
        Column(N_("Date"), lambda r: r.start_date),
        Column(N_("End"), lambda r: r.end_date),
        Column(N_("Type"), lambda r: _activity_kind(r.kind)),
        Column(N_("Topic"), lambda r: r.topic),
        Column(N_("Place"), lambda r: r.place),
        Column(N_("Programme"), lambda r: r.programme),
        Column(N_("Direct"), lambda r: r.direct),
        Column(N_("Indirect"), lambda r: r.indirect),
    ],
}


def _rows(services: Services, kind: str, query: ListQuery) -> Sequence[Any]:
    every = replace(query, offset=0, limit=None)
    search: dict[str, Callable[[ListQuery], Any]] = {
        "organisations": services.organisations.search,
        "members": services.persons.search,
        "programmes": services.programmes.search,
        "grants": services.grants.search,
        "households": services.households.search,
        "activities": services.activities.search,
    }
    return list(search[kind](every).rows)


def export_list(services: Services, kind: str, query: ListQuery, path: Path) -> int:
    """Write the list `kind` filtered and sorted by `query` to `path` (.xlsx or .csv); rows written."""
    if kind not in COLUMNS:
        raise ValidationError(_("Unknown list “{kind}”.").format(kind=kind), "kind")
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ValidationError(
            _("Choose a file name ending in .xlsx (Excel) or .csv, not “{name}”.").format(name=path.name),
            "path",
        )
    columns = COLUMNS[kind]
    table = [[column.get(row) for column in columns] for row in _rows(services, kind, query)]
    headers = [_(column.title) for column in columns]
    if suffix == ".xlsx":
        write_xlsx(path, [Sheet(_(TITLES[kind]), headers, table)])
    else:
        write_csv(path, headers, table)
    return len(table)
