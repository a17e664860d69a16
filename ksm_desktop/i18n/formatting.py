"""Numbers, money, dates and percentages written the way the current language writes them.

Every figure shown in the UI, the CLI or a PDF goes through here. Arabic uses the ar_MA locale
with Western digits, as Moroccan administrative documents do.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from functools import cache, lru_cache

from babel import Locale, localedata, numbers, units
from babel import dates as babel_dates

from ksm_desktop.i18n import LOCALES, _, current_language

_BIDI_MARKS = re.compile("[\u200e\u200f\u061c]")
# Whatever Babel's data says, digits stay Western (0-9), as in Moroccan administrative documents.
DIGITS = "latn"
_CENT = Decimal("0.01")


# An amount as each locale writes it, read once from Babel and then applied with str.format:
# Babel's own formatting costs about 0.15 ms a cell, too slow for tables that repaint as they scroll.
_PROBE = Decimal("1234567.89")
_LAYOUT = re.compile(r"(.*?)1(?P<group>\D*)234(?P=group)567(\D+)89(.*)", re.DOTALL)


@cache
def _locale(lang: str) -> Locale:
    return Locale.parse(LOCALES.get(lang, LOCALES["fr"]))


def babel_locale(lang: str | None = None) -> Locale:
    return _locale(lang or current_language())


def load_locale_data(lang: str | None = None) -> None:
    """Read Babel's data of the language now (about 50 ms, once): off the GUI thread, say, rather
    than when the first number is shown."""
    localedata.load(str(babel_locale(lang)))


def group_symbol(lang: str | None = None) -> str:
    """What separates thousands in `lang` (a narrow space in French, '.' in Arabic, ',' in English)."""
    return str(numbers.get_group_symbol(babel_locale(lang), numbering_system=DIGITS))


def _babel_money(amount: Decimal, currency: str, loc: Locale) -> str:
    pattern = loc.currency_formats["standard"].pattern
    if numbers.get_currency_symbol(currency, loc).isalpha() and "¤#" in pattern:
        pattern = pattern.replace("¤#", "¤\xa0#")  # 'MAD 36,000.00', not 'MAD36,000.00'
    return numbers.format_currency(amount, currency, format=pattern, locale=loc, numbering_system=DIGITS)


def _babel_two_places(amount: Decimal, loc: Locale) -> str:
    return numbers.format_decimal(amount, format="#,##0.00", locale=loc, numbering_system=DIGITS)


@cache
def _layout(lang: str, currency: str) -> tuple[str, str, str, str, dict[int, str]] | None:
    """(prefix, suffix, negative prefix, negative suffix, marks) of a two-decimal amount in `lang`,
    with `currency`'s sign if one is given; None when the fast path does not apply."""
    loc = _locale(lang)
    if currency and numbers.get_currency_precision(currency) != 2:
        return None

    def babel(value: Decimal) -> str:
        return _babel_money(value, currency, loc) if currency else _babel_two_places(value, loc)

    positive, negative = _LAYOUT.fullmatch(babel(_PROBE)), _LAYOUT.fullmatch(babel(-_PROBE))
    if positive is None or negative is None:
        return None
    marks = {ord(","): positive[2], ord("."): positive[3]}
    return positive[1], positive[4], negative[1], negative[4], marks


def _two_places(value: Decimal | int, lang: str, currency: str = "") -> str:
    layout = _layout(lang, currency)
    if layout is None:
        loc = _locale(lang)
        return (
            _babel_money(Decimal(value), currency, loc)
            if currency
            else _babel_two_places(Decimal(value), loc)
        )
    prefix, suffix, negative_prefix, negative_suffix, marks = layout
    amount = Decimal(value).quantize(_CENT)  # half-even, as Babel rounds
    digits = f"{abs(amount):,.2f}".translate(marks)
    if amount < 0:
        return negative_prefix + digits + negative_suffix
    return prefix + digits + suffix


def format_money(amount: Decimal, currency: str, lang: str | None = None) -> str:
    """E.g. fr: '36 000,00 €', en: '€36,000.00', ar: '36.000,00 €' (with Babel's spaces and marks)."""
    return _two_places(amount, lang or current_language(), currency)


def format_decimal(value: Decimal | int, lang: str | None = None, places: int | None = None) -> str:
    if places == 2:
        return _two_places(value, lang or current_language())
    loc = babel_locale(lang)
    if places is not None:
        pattern = "#,##0." + "0" * places if places else "#,##0"
        return numbers.format_decimal(value, format=pattern, locale=loc, numbering_system=DIGITS)
    return numbers.format_decimal(value, locale=loc, numbering_system=DIGITS)


def format_amount(value: Decimal, lang: str | None = None) -> str:
    """An amount with two decimals and no currency sign (table cells)."""
    return format_decimal(value, lang, places=2)


def format_percent(ratio: Decimal | float, lang: str | None = None, places: int = 0) -> str:
    """0.425 → fr '42,5 %' with places=1; the locale's sign and spacing."""
    loc = babel_locale(lang)
    pattern = loc.percent_formats[None].pattern.split(";")[0]
    if places:
        pattern = pattern.replace("#0", "#0." + "0" * places, 1)
    return numbers.format_percent(ratio, format=pattern, locale=loc, numbering_system=DIGITS)


def format_file_size(size: int, lang: str | None = None) -> str:
    """A file's size as people read it: fr '2,4 Mo', en '2.4 MB', ar with the locale's unit."""
    loc = babel_locale(lang)
    unit, divisor = next(
        (u, d)
        for u, d in (("digital-megabyte", 1 << 20), ("digital-kilobyte", 1 << 10), ("digital-byte", 1))
        if size >= d or d == 1
    )
    value = (Decimal(size) / divisor).quantize(Decimal("0.1"))
    return units.format_unit(
        value, unit, length="short", format="#,##0.#", locale=loc, numbering_system=DIGITS
    )


def format_date(value: dt.date | None, lang: str | None = None, fmt: str = "medium") -> str:
    """'24 nov. 2026' in French, '24 Nov 2026' in English, '24 نونبر 2026' in Arabic; empty if missing.

    Arabic's "medium" in CLDR is numeric; the month name is clearer and is what Moroccan
    administrations write, so Arabic uses the long form instead.
    """
    if value is None:
        return ""
    return _format_date(value, lang or current_language(), fmt)


@lru_cache(maxsize=8192)
def _format_date(value: dt.date, lang: str, fmt: str) -> str:
    """Cached: a table shows the same few hundred dates over and over."""
    if lang == "ar" and fmt == "medium":
        fmt = "long"
    return babel_dates.format_date(value, format=fmt, locale=_locale(lang))


def format_list(items: list[str], lang: str | None = None) -> str:
    """'année 2021, secteur Couscous et hors annulées'; the Arabic comma and و in Arabic."""
    from babel.lists import format_list as babel_format_list

    return str(babel_format_list(items, locale=babel_locale(lang)))


def format_datetime(value: dt.datetime | None, lang: str | None = None) -> str:
    if value is None:
        return ""
    return babel_dates.format_datetime(value, format="medium", locale=babel_locale(lang))


def plain(text: str) -> str:
    """Drop bidi control marks Babel adds (for fonts or fields that cannot show them)."""
    return _BIDI_MARKS.sub("", text)


@cache
def date_order(lang: str) -> str:
    """'dmy' or 'mdy' or 'ymd': the order of a short date in the language's locale (Babel)."""
    pattern = babel_dates.get_date_format("short", locale=babel_locale(lang)).pattern
    first = {part: pattern.find(part) for part in "dMy"}
    return "".join(sorted("dmy", key=lambda p: first["M" if p == "m" else p])).lower()


def format_date_numeric(value: dt.date | None, lang: str | None = None) -> str:
    """'15/03/2021': the form a date field shows and accepts, in the locale's order."""
    if value is None:
        return ""
    parts = {"d": f"{value.day:02d}", "m": f"{value.month:02d}", "y": f"{value.year:04d}"}
    return "/".join(parts[p] for p in date_order(lang or current_language()))


def date_placeholder(lang: str | None = None) -> str:
    """'jj/mm/aaaa' in French: how a date is to be typed, in the locale's order."""
    # Translators: the day, month and year slots of a date to type: 'jj', 'mm', 'aaaa' in French
    parts = {"d": _("dd"), "m": _("mm"), "y": _("yyyy")}
    return "/".join(parts[p] for p in date_order(lang or current_language()))
