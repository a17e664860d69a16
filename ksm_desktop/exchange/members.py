"""Members from a spreadsheet: which column holds what, and each cell cleaned into a PersonInput.

Column titles are recognised in French, Arabic and English whatever their accents, case and
spacing; the user can override the guess, and the choice is remembered for the next file with
the same titles. Values are cleaned the way office files write them (Excel date cells and serial
numbers, dd/mm/yyyy, "Femme"/"ذكر", phone numbers stored as numbers); CIN and phone checks stay in
ksm_desktop.domain.values through validate_person.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ksm_desktop.config import config_path
from ksm_desktop.domain.enums import MemberRole, Sex
from ksm_desktop.domain.errors import ValidationError
from ksm_desktop.domain.values import search_key
from ksm_desktop.exchange.sheets import Cell, Table, read_table
from ksm_desktop.i18n import N_, _
from ksm_desktop.services.base import collector_paused
from ksm_desktop.services.dto import PersonInput
from ksm_desktop.services.imports import MemberRow, every_error, joined

log = logging.getLogger(__name__)

IGNORE = ""
# Target fields of an import, with their labels (translated when shown).
FIELDS: dict[str, str] = {
    "last_name": N_("Last name"),
    "first_name": N_("First name"),
    "full_name_ar": N_("Name in Arabic"),
    "cin": N_("CIN"),
    "sex": N_("Sex"),
    "birth_date": N_("Birth date"),
    "birth_year": N_("Birth year"),
    "phone": N_("Phone"),
    "role": N_("Role"),
    "household_size": N_("Household size"),
    "notes": N_("Notes"),
}

_HEADERS: dict[str, tuple[str, ...]] = {
    "last_name": (
        "nom",
        "nom de famille",
        "last name",
        "surname",
        "family name",
        "النسب",
        "الاسم العائلي",
        "اللقب",
    ),
    "first_name": ("prenom", "first name", "given name", "الاسم", "الاسم الشخصي"),
    "full_name_ar": (
        "nom arabe",
        "nom en arabe",
        "nom complet arabe",
        "arabic name",
        "name in arabic",
        "الاسم الكامل",
        "الاسم بالعربية",
        "الاسم الكامل بالعربية",
    ),
    "cin": (
        "cin",
        "cni",
        "n cin",
        "no cin",
        "num cin",
        "numero cin",
        "carte nationale",
        "id card",
        "national id",
        "رقم البطاقة",
        "رقم البطاقة الوطنية",
        "البطاقة الوطنية",
    ),
    "sex": ("sexe", "genre", "sex", "gender", "الجنس", "النوع"),
    "birth_date": (
        "date de naissance",
        "ne le",
        "nee le",
        "date naissance",
        "birth date",
        "date of birth",
        "dob",
        "تاريخ الازدياد",
        "تاريخ الميلاد",
    ),
    "birth_year": (
        "annee de naissance",
        "annee naissance",
        "birth year",
        "year of birth",
        "سنة الازدياد",
        "سنة الميلاد",
    ),
    "phone": (
        "telephone",
        "tel",
        "gsm",
        "portable",
        "mobile",
        "phone",
        "phone number",
        "الهاتف",
        "رقم الهاتف",
    ),
    "role": ("role", "fonction", "poste", "qualite", "position", "الصفة", "المهمة"),
    "household_size": ("taille du menage", "menage", "household size", "household", "عدد افراد الاسرة"),
    "notes": ("remarques", "observations", "notes", "remarks", "ملاحظات"),
}

_SEXES: dict[str, Sex] = {
    **dict.fromkeys(("f", "femme", "feminin", "female", "woman", "w", "أنثى", "انثى", "امرأة"), Sex.FEMALE),
    **dict.fromkeys(("h", "m", "homme", "masculin", "male", "man", "ذكر", "رجل"), Sex.MALE),
}
_ROLES: dict[str, MemberRole] = {
    **dict.fromkeys(("president", "presidente", "رئيس", "رئيسة", "الرئيس", "الرئيسة"), MemberRole.PRESIDENT),
    **dict.fromkeys(
        ("vice president", "vice presidente", "vicepresident", "نائب الرئيس", "نائبة الرئيس"),
        MemberRole.VICE_PRESIDENT,
    ),
    **dict.fromkeys(
        ("tresorier", "tresoriere", "treasurer", "أمين المال", "امين المال", "أمينة المال"),
        MemberRole.TREASURER,
    ),
    **dict.fromkeys(
        ("secretaire", "secretary", "secretaire general", "الكاتب العام", "كاتب", "كاتبة"),
        MemberRole.SECRETARY,
    ),
    **dict.fromkeys(("membre", "member", "adherent", "adherente", "عضو", "عضوة"), MemberRole.MEMBER),
}
_DATE_RE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_FORMULA_GUARD = ("'=", "'+", "'-", "'@", "'\t", "'\r")
# Arabic-Indic (٠-٩) and Persian (۰-۹) digits, as typed on an Arabic or Persian keyboard.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# What a spreadsheet shows in a cell whose formula failed (Excel, LibreOffice's Err:nnn).
_ERROR_CELL = re.compile(
    r"^(#(NULL!|DIV/0!|VALUE!|REF!|NAME\?|NUM!|N/A|GETTING_DATA|SPILL!|CALC!|FIELD!|BLOCKED!|CONNECT!"
    r"|BUSY!|UNKNOWN!)|Err:\d{3})$"
)


@functools.lru_cache(maxsize=4096)  # sex and role values repeat on every row
def header_key(text: str) -> str:
    """'Prénom ', 'PRENOM' and 'Prénom (usuel)' give the same key; Arabic letters kept."""
    text = re.sub(r"\(.*?\)", " ", text)
    return " ".join(re.sub(r"[^\w]+", " ", search_key(text).replace("_", " ")).split())


_KNOWN = {header_key(h): name for name, titles in _HEADERS.items() for h in titles}
_SEX_KEYS = {header_key(k): v for k, v in _SEXES.items()}
_ROLE_KEYS = {header_key(k): v for k, v in _ROLES.items()}


def mapping_path() -> Path:
    return config_path().with_name("import_mapping.json")


def load_saved_mapping() -> dict[str, str]:
    """Column title key → field the user chose before (empty when none or unreadable)."""
    try:
        data = json.loads(mapping_path().read_text("utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable import mapping: %s", exc)
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items() if v in FIELDS or v == IGNORE}


def save_mapping(headers: list[str], mapping: list[str]) -> None:
    """Remember the user's choice for these titles (merged with earlier choices)."""
    saved = load_saved_mapping()
    saved.update({header_key(h): f for h, f in zip(headers, mapping, strict=True) if header_key(h)})
    path = mapping_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(saved, ensure_ascii=False, indent=2, sort_keys=True), "utf-8")
    os.replace(tmp, path)


def guess_mapping(headers: list[str], saved: dict[str, str] | None = None) -> list[str]:
    """The field of each column (IGNORE for unknown ones); a field goes to its first column only."""
    saved = load_saved_mapping() if saved is None else saved
    used: set[str] = set()
    result = []
    for header in headers:
        key = header_key(header)
        field = saved.get(key, _KNOWN.get(key, IGNORE))
        if field in used:
            field = IGNORE
        if field:
            used.add(field)
        result.append(field)
    return result


def check_mapping(mapping: list[str]) -> None:
    """A mapping must name the last name, the first name and the sex, each at most once."""
    for field in mapping:
        if field and field not in FIELDS:
            raise ValidationError(_("Unknown field “{field}”.").format(field=field), "mapping")
    chosen = [f for f in mapping if f]
    for field in set(chosen):
        if chosen.count(field) > 1:
            raise ValidationError(
                _("Two columns are mapped to “{field}”.").format(field=_(FIELDS[field])), "mapping"
            )
    missing = [_(FIELDS[f]) for f in ("last_name", "first_name", "sex") if f not in chosen]
    if missing:
        raise ValidationError(
            _("Choose the columns holding: {fields}.").format(fields=", ".join(missing)), "mapping"
        )


def looks_like_header(titles: list[str]) -> bool:
    """Whether a row holds column titles: at least two of them are known (a title row is not)."""
    return sum(1 for field in guess_mapping(titles) if field) >= 2


def read_members(path: Path, sheet: str | None = None) -> Table:
    """The members' table of a spreadsheet: its header row may stand below a title."""
    return read_table(path, sheet, looks_like_header)


@collector_paused()
def parse_rows(table: Table, mapping: list[str]) -> tuple[list[MemberRow], list[tuple[int, ValidationError]]]:
    """Clean every row with `mapping`; returns good rows and (line, error) of the bad ones, the
    error of a bad row telling everything wrong in it."""
    check_mapping(mapping)
    good: list[MemberRow] = []
    bad: list[tuple[int, ValidationError]] = []
    columns = [(i, f) for i, f in enumerate(mapping) if f]
    for line, cells in table.rows:
        width = len(cells)
        row, problems = _member(line, {f: cells[i] for i, f in columns if i < width})
        if problems:
            bad.append((line, joined([*problems, *every_error(row.person, {e.field for e in problems})])))
        else:
            good.append(row)
    return good, bad


def _member(line: int, v: dict[str, Cell]) -> tuple[MemberRow, list[ValidationError]]:
    """The row as a person (a field that cannot be read left empty) and what could not be read."""
    problems: list[ValidationError] = []

    def read(field: str, convert: Callable[[Cell], Any]) -> Any:
        value = v.get(field)
        try:
            if isinstance(value, str) and _ERROR_CELL.match(value.strip()):
                raise ValidationError(
                    _("The column “{column}” holds the spreadsheet error {error}.").format(
                        column=_(FIELDS[field]), error=value.strip()
                    ),
                    field,
                )
            return convert(value)
        except ValidationError as exc:
            problems.append(exc)
            return None

    birth_date = read("birth_date", to_date)
    birth_year = read("birth_year", lambda c: to_int(c, "birth_year"))
    if isinstance(birth_date, int):  # a year typed in the birth-date column
        birth_date, birth_year = None, birth_year or birth_date
    person = PersonInput(
        first_name=read("first_name", text) or "",
        last_name=read("last_name", text) or "",
        sex=read("sex", to_sex) or "",
        full_name_ar=read("full_name_ar", text),
        cin=read("cin", digits_text),
        birth_date=birth_date,
        birth_year=birth_year,
        phone=read("phone", phone_text),
        household_size=read("household_size", lambda c: to_int(c, "household_size")),
        notes=read("notes", text),
    )
    role = read("role", to_role) or MemberRole.MEMBER.value
    return MemberRow(line, person, role), problems


def text(value: Cell) -> str | None:
    """A cell as stripped text (None when empty); a CSV export's formula guard quote is removed."""
    if value is None:
        return None
    if type(value) is str:  # the common case, kept fast for 100,000-row files
        result = value.strip()
        if result[:1] == "'" and result.startswith(_FORMULA_GUARD):
            result = result[1:].strip()
        return result or None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        value = value.isoformat()
    result = str(value).strip()
    if result.startswith(_FORMULA_GUARD):
        result = result[1:].strip()
    return result or None


def digits_text(value: Cell) -> str | None:
    """A cell as text with Arabic-Indic and Persian digits written 0-9 (CIN, phone, numbers)."""
    raw = text(value)
    return raw.translate(_DIGITS) if raw is not None else None


def phone_text(value: Cell) -> str | None:
    """Excel stores 0661234567 typed in a number cell as 661234567: give the zero back."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        digits = str(int(value))
        return "0" + digits if len(digits) == 9 else digits
    return digits_text(value)


def to_sex(value: Cell) -> str:
    raw = text(value)
    if raw is None:
        raise ValidationError(_("The sex is missing."), "sex")
    sex = _SEX_KEYS.get(header_key(raw))
    if sex is None:
        raise ValidationError(
            _("“{value}” is not a sex: write F/Femme/أنثى or H/M/Homme/ذكر.").format(value=raw), "sex"
        )
    return sex.value


def to_role(value: Cell) -> str:
    raw = text(value)
    if raw is None:
        return MemberRole.MEMBER.value
    role = _ROLE_KEYS.get(header_key(raw))
    if role is None:
        raise ValidationError(_("Unknown role “{role}”.").format(role=raw), "role")
    return role.value


def to_int(value: Cell, field: str) -> int | None:
    raw = digits_text(value)
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        raise ValidationError(_("“{value}” is not a whole number.").format(value=raw), field) from None


def to_date(value: Cell) -> dt.date | int | None:
    """A date from an Excel date cell, a serial number, dd/mm/yyyy or yyyy-mm-dd; a bare year
    comes back as an int."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1900 <= value <= 2100 and float(value).is_integer():
            return int(value)
        if 1 <= value < 2_958_466:
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    raw = digits_text(value) or ""
    if not raw:
        return None
    if raw.isdigit() and len(raw) == 4:
        return int(raw)
    if raw.isdigit() and len(raw) <= 5:
        return to_date(int(raw))
    try:
        if match := _DATE_RE.match(raw):
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        if match := _ISO_RE.match(raw):
            year, month, day = (int(g) for g in match.groups())
            return dt.date(year, month, day)
    except ValueError:
        pass
    raise ValidationError(
        _("“{value}” is not a date: write it as dd/mm/yyyy.").format(value=raw), "birth_date"
    )
