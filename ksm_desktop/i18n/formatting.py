"""Numbers, money, dates and percentages written the way the current language writes them.

Every figure shown in the UI, the CLI or a PDF goes through here. Arabic uses the ar_MA locale
with Western digits, as Moroccan administrative documents do.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from babel import Locale, numbers
from babel import dates as babel_dates

from ksm_desktop.domain.errors import ValidationError
from ksm_desktop.i18n import _, current_language

_BABEL_LOCALES = {"fr": "fr_MA", "ar": "ar_MA", "en": "en_GB"}
_BIDI_MARKS = re.compile("[\u200e\u200f\u061c]")
# Whatever Babel's data says, digits stay Western (0-9), as in Moroccan administrative documents.
_DIGITS = "latn"
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007']")
# Arabic-Indic and Extended Arabic-Indic digits and separators, as typed on an Arabic keyboard.
_TYPED = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬", "01234567890123456789.,")
_CURRENCY_MARKS = re.compile(r"^(?:€|EUR|MAD|DH|DHS|د\.م\.)|(?:€|EUR|MAD|DH|DHS|د\.م\.)$", re.IGNORECASE)
_AMOUNT = re.compile(r"^-?[0-9]+(?:\.[0-9]+)?$")
_GROUPED = re.compile(r"^-?[0-9]{1,3}(?:G[0-9]{3})+$")


def babel_locale(lang: str | None = None) -> Locale:
    return Locale.parse(_BABEL_LOCALES.get(lang or current_language(), "fr_MA"))


def format_money(amount: Decimal, currency: str, lang: str | None = None) -> str:
    """E.g. fr: '36 000,00 €', en: '€36,000.00', ar: '36.000,00 €' (with Babel's spaces and marks)."""
    loc = babel_locale(lang)
    pattern = loc.currency_formats["standard"].pattern
    if numbers.get_currency_symbol(currency, loc).isalpha() and "¤#" in pattern:
        pattern = pattern.replace("¤#", "¤\xa0#")  # 'MAD 36,000.00', not 'MAD36,000.00'
    return numbers.format_currency(amount, currency, format=pattern, locale=loc, numbering_system=_DIGITS)


def format_decimal(value: Decimal | int, lang: str | None = None, places: int | None = None) -> str:
    loc = babel_locale(lang)
    if places is not None:
        pattern = "#,##0." + "0" * places if places else "#,##0"
        return numbers.format_decimal(value, format=pattern, locale=loc, numbering_system=_DIGITS)
    return numbers.format_decimal(value, locale=loc, numbering_system=_DIGITS)


def format_amount(value: Decimal, lang: str | None = None) -> str:
    """An amount with two decimals and no currency sign (table cells)."""
    return format_decimal(value, lang, places=2)


def format_percent(ratio: Decimal | float, lang: str | None = None, places: int = 0) -> str:
    """0.425 → fr '42,5 %' with places=1; the locale's sign and spacing."""
    loc = babel_locale(lang)
    pattern = loc.percent_formats[None].pattern.split(";")[0]
    if places:
        pattern = pattern.replace("#0", "#0." + "0" * places, 1)
    return numbers.format_percent(ratio, format=pattern, locale=loc, numbering_system=_DIGITS)


def format_date(value: dt.date | None, lang: str | None = None, fmt: str = "medium") -> str:
    """'24 nov. 2026' in French, '24 Nov 2026' in English, '24 نونبر 2026' in Arabic; empty if missing.

    Arabic's "medium" in CLDR is numeric; the month name is clearer and is what Moroccan
    administrations write, so Arabic uses the long form instead.
    """
    if value is None:
        return ""
    lang = lang or current_language()
    if lang == "ar" and fmt == "medium":
        fmt = "long"
    return babel_dates.format_date(value, format=fmt, locale=babel_locale(lang))


def format_datetime(value: dt.datetime | None, lang: str | None = None) -> str:
    if value is None:
        return ""
    return babel_dates.format_datetime(value, format="medium", locale=babel_locale(lang))


def plain(text: str) -> str:
    """Drop bidi control marks Babel adds (for fonts or fields that cannot show them)."""
    return _BIDI_MARKS.sub("", text)


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
    decimal_mark = numbers.get_decimal_symbol(loc, numbering_system=_DIGITS)
    group_mark = numbers.get_group_symbol(loc, numbering_system=_DIGITS)
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
