"""Numbers, money, dates and percentages written the way the current language writes them.

Every figure shown in the UI, the CLI or a PDF goes through here. Arabic uses the ar_MA locale
with Western digits, as Moroccan administrative documents do.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from babel import Locale, numbers
from babel import dates as babel_dates

from ksm_desktop.domain.errors import ValidationError
from ksm_desktop.i18n import _, current_language

_BABEL_LOCALES = {"fr": "fr_MA", "ar": "ar_MA", "en": "en_GB"}
_BIDI_MARKS = re.compile("[\u200e\u200f\u061c]")


def babel_locale(lang: str | None = None) -> Locale:
    return Locale.parse(_BABEL_LOCALES.get(lang or current_language(), "fr_MA"))


def format_money(amount: Decimal, currency: str, lang: str | None = None) -> str:
    """E.g. fr: '36 000,00 €', en: '€36,000.00', ar: '36.000,00 €'."""
    return numbers.format_currency(amount, currency, locale=babel_locale(lang))


def format_decimal(value: Decimal | int, lang: str | None = None, places: int | None = None) -> str:
    if places is not None:
        pattern = "#,##0." + "0" * places if places else "#,##0"
        return numbers.format_decimal(value, format=pattern, locale=babel_locale(lang))
    return numbers.format_decimal(value, locale=babel_locale(lang))


def format_amount(value: Decimal, lang: str | None = None) -> str:
    """An amount with two decimals and no currency sign (table cells)."""
    return format_decimal(value, lang, places=2)


def format_percent(ratio: Decimal | float, lang: str | None = None) -> str:
    return numbers.format_percent(ratio, locale=babel_locale(lang))


def format_date(value: dt.date | None, lang: str | None = None, fmt: str = "medium") -> str:
    """'24 nov. 2026' in French; empty for a missing date."""
    if value is None:
        return ""
    return babel_dates.format_date(value, format=fmt, locale=babel_locale(lang))


def format_datetime(value: dt.datetime | None, lang: str | None = None) -> str:
    if value is None:
        return ""
    return babel_dates.format_datetime(value, format="medium", locale=babel_locale(lang))


def plain(text: str) -> str:
    """Drop bidi control marks Babel adds (for fonts or fields that cannot show them)."""
    return _BIDI_MARKS.sub("", text)


def parse_amount(text: str, lang: str | None = None, field: str = "amount") -> Decimal:
    """Read an amount typed by a user: the locale's decimal separator, spaces as group marks.

    '1 234,50' (fr), '1,234.50' (en) and a plain '1234.50' are all accepted.
    """
    loc = babel_locale(lang)
    cleaned = plain(text).strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    if not cleaned:
        raise ValidationError(_("Please enter an amount."), field)
    decimal_sep = numbers.get_decimal_symbol(loc)
    group_sep = numbers.get_group_symbol(loc)
    if decimal_sep in cleaned:
        cleaned = cleaned.replace(group_sep, "").replace(decimal_sep, ".")
    elif decimal_sep != "." and cleaned.count(".") == 1 and group_sep != ".":
        pass  # '1234.50' typed with a dot in a comma locale: still clearly a decimal
    else:
        cleaned = cleaned.replace(group_sep, "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError(_("“{value}” is not a valid amount.").format(value=text), field) from None
    if not value.is_finite():
        raise ValidationError(_("“{value}” is not a valid amount.").format(value=text), field)
    return value
