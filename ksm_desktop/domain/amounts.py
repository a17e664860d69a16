"""Amounts typed by a user, read in the habits of the current language.

Reading is validation (it refuses what it cannot read safely, naming the field), so it belongs
to the domain; the i18n layer below only formats and knows nothing of domain errors.
"""

from __future__ import annotations

import re
from decimal import Decimal

from babel import numbers

from ksm_desktop.domain.errors import ValidationError
from ksm_desktop.i18n import _
from ksm_desktop.i18n.formatting import DIGITS, babel_locale, plain

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
