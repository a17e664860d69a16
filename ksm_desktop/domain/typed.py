"""Amounts and dates typed by a user, read in the habits of the current language.

Reading is validation (it refuses what it cannot read safely, naming the field), so it belongs
to the domain; the i18n layer below only formats and knows nothing of domain errors.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from babel import numbers

from ksm_desktop.domain.errors import ValidationError
from ksm_desktop.i18n import _, current_language
from ksm_desktop.i18n.formatting import DIGITS, babel_locale, date_order, date_placeholder, plain

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007']")
# Arabic-Indic and Extended Arabic-Indic digits and separators, as typed on an Arabic keyboard.
_TYPED = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬", "01234567890123456789.,")
_CURRENCY_MARKS = re.compile(r"^(?:€|EUR|MAD|DH|DHS|د\.م\.)|(?:€|EUR|MAD|DH|DHS|د\.م\.)$", re.IGNORECASE)
_AMOUNT = re.compile(r"^-?[0-9]+(?:\.[0-9]+)?$")
_GROUPED = re.compile(r"^-?[0-9]{1,3}(?:G[0-9]{3})+$")


def _is_grouped(text: str, mark: str) -> bool:
    return bool(_GROUPED.match(text.replace(mark, "G")))


def parse_amount(text: str, lang: str | None = None, field: str = "amount") -> Decimal:
    """Read an amount typed by a user in the current language's habits, refusing anything ambiguous.

    fr '1 234,50' / '1234.50' (numeric keypad), en '1,234.50', ar '1.234,50' or Arabic-Indic
    digits; a currency sign at either end is ignored. With both '.' and ',' the last one is the
    decimal mark; a lone group mark counts only where it groups by three ('1,234' in English).
    """
    loc = babel_locale(lang)
    cleaned = _SPACES.sub("", plain(text).translate(_TYPED))
    cleaned = _CURRENCY_MARKS.sub("", cleaned)
    if not cleaned:
        raise ValidationError(_("Please enter an amount."), field)
    decimal_mark = numbers.get_decimal_symbol(loc, numbering_system=DIGITS)
    group_mark = numbers.get_group_symbol(loc, numbering_system=DIGITS)
    marks = [c for c in cleaned if c in ".,"]
    if len(set(marks)) == 2:
        point = marks[-1]
        group = "," if point == "." else "."
        whole, _sep, cents = cleaned.rpartition(point)
        ok = marks.count(point) == 1 and _is_grouped(whole, group)
        cleaned = whole.replace(group, "") + "." + cents if ok else ""
    elif marks:
        mark = marks[0]
        if _is_grouped(cleaned, mark) and (len(marks) > 1 or mark == group_mark != decimal_mark):
            cleaned = cleaned.replace(mark, "")
        elif len(marks) == 1:
            cleaned = cleaned.replace(mark, ".")
        else:
            cleaned = ""  # '1,2,3': no reading is safe
    if not _AMOUNT.match(cleaned):
        raise ValidationError(_("“{value}” is not a valid amount.").format(value=text.strip()), field)
    return Decimal(cleaned)


_DATE_PARTS = re.compile(r"^\s*(\d{1,4})\s*[/.\-\s]\s*(\d{1,2})\s*[/.\-\s]\s*(\d{1,4})\s*$")


def parse_date(
    text: str, lang: str | None = None, field: str = "date", *, today: dt.date | None = None
) -> dt.date | None:
    """Read a date typed in the locale's order: '15/03/2021', '15/3/21', '15.3.2021', Arabic-Indic
    digits too; ISO '2021-03-15' is always understood. Empty text is no date. A two-digit year
    is this century unless that would put it more than ten years ahead (65 → 1965)."""
    cleaned = plain(text).translate(_TYPED).strip()
    if not cleaned:
        return None
    match = _DATE_PARTS.match(cleaned)
    if match is None:
        raise ValidationError(
            _("“{value}” is not a date: type it as {pattern}.").format(
                value=text.strip(), pattern=date_placeholder(lang)
            ),
            field,
        )
    first, second, third = match.groups()
    if len(first) == 4:  # ISO, whatever the locale
        year, month, day = int(first), int(second), int(third)
    else:
        values = dict(zip(date_order(lang or current_language()), (first, second, third), strict=True))
        day, month, year = int(values["d"]), int(values["m"]), int(values["y"])
        if len(values["y"]) <= 2:
            this_year = (today or dt.date.today()).year
            year += this_year - this_year % 100
            if year > this_year + 10:
                year -= 100
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValidationError(
            _("{value} does not exist in the calendar: check the day and the month.").format(
                value=text.strip()
            ),
            field,
        ) from None


def date_typed_in_full(text: str) -> bool:
    """Three groups of digits, one of four: the user has finished typing a date (right or wrong)."""
    groups = [g for g in re.split(r"\D+", text.translate(_TYPED)) if g]
    return len(groups) >= 3 and any(len(g) == 4 for g in groups)
