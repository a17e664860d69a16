"""Figures as each language writes them (Western digits everywhere), and amounts read back as typed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ksm_desktop.domain.amounts import parse_amount
from ksm_desktop.domain.errors import ValidationError
from ksm_desktop.i18n import set_language
from ksm_desktop.i18n.formatting import (
    _babel_money,
    _babel_two_places,
    babel_locale,
    format_amount,
    format_date,
    format_list,
    format_money,
    format_percent,
    plain,
)

NNBSP, NBSP = "\u202f", "\xa0"
DAY = dt.date(2026, 11, 24)


@pytest.mark.parametrize(
    ("lang", "eur", "mad"),
    [
        ("fr", f"36{NNBSP}000,00{NBSP}€", f"36{NNBSP}000,00{NBSP}MAD"),
        ("en", "€36,000.00", f"MAD{NBSP}36,000.00"),
        ("ar", f"36.000,00{NBSP}€", f"36.000,00{NBSP}د.م."),
    ],
)
def test_money(lang: str, eur: str, mad: str) -> None:
    assert plain(format_money(Decimal("36000"), "EUR", lang)) == eur
    assert plain(format_money(Decimal("36000"), "MAD", lang)) == mad


@pytest.mark.parametrize(
    ("lang", "date", "amount", "percent"),
    [
        ("fr", "24 nov. 2026", f"1{NNBSP}234,50", f"49,7{NBSP}%"),
        ("en", "24 Nov 2026", "1,234.50", "49.7%"),
        ("ar", "24 نونبر 2026", "1.234,50", "49,7%"),
    ],
)
def test_dates_amounts_percentages(lang: str, date: str, amount: str, percent: str) -> None:
    assert format_date(DAY, lang) == date
    assert format_amount(Decimal("1234.5"), lang) == amount
    assert plain(format_percent(Decimal("0.4972"), lang, places=1)) == percent
    assert format_date(None, lang) == ""


def test_arabic_uses_western_digits_and_follows_the_current_language() -> None:
    set_language("ar")
    text = format_money(Decimal("8400"), "MAD") + format_date(DAY) + format_percent(Decimal("0.5"))
    assert not any("\u0660" <= c <= "\u0669" for c in text)
    assert "8.400,00" in text and "2026" in text and "50%" in text


@pytest.mark.parametrize(
    ("lang", "typed", "value"),
    [
        ("fr", "1 234,50", "1234.50"),
        ("fr", f"1{NNBSP}234,50", "1234.50"),
        ("fr", "1234.50", "1234.50"),  # the numeric keypad's point
        ("fr", "36 000,00 €", "36000.00"),
        ("fr", "1.234.567,89", "1234567.89"),
        ("en", "1,234.50", "1234.50"),
        ("en", "1,234", "1234"),
        ("en", "MAD 36,000.00", "36000.00"),
        ("ar", "1.234,50", "1234.50"),
        ("ar", "١٬٢٣٤٫٥٠", "1234.50"),  # Arabic-Indic digits and separators
        ("ar", "1234.50", "1234.50"),
        ("ar", "36.000,00 د.م.", "36000.00"),
        ("ar", f"\u200f36.000,00{NBSP}€", "36000.00"),  # what format_money wrote
    ],
)
def test_parse_amount_accepts_each_locales_habits(lang: str, typed: str, value: str) -> None:
    assert parse_amount(typed, lang) == Decimal(value)


@pytest.mark.parametrize("lang", ["fr", "en", "ar"])
def test_formatted_money_reads_back(lang: str) -> None:
    for amount in (Decimal("0.05"), Decimal("1234.5"), Decimal("1234567.89")):
        assert parse_amount(format_money(amount, "EUR", lang), lang) == amount


@pytest.mark.parametrize("typed", ["1,23,4", "1,2,3", "1e5", "abc", "12a", "1.234,5.6", "NaN", "--1"])
def test_parse_amount_refuses_what_it_cannot_read_safely(typed: str) -> None:
    with pytest.raises(ValidationError) as err:
        parse_amount(typed, "en")
    assert err.value.field == "amount" and typed in err.value.message


def test_parse_amount_errors_are_in_the_current_language() -> None:
    set_language("fr")
    with pytest.raises(ValidationError, match="n’est pas un montant valide"):
        parse_amount("douze", field="budget")
    set_language("ar")
    with pytest.raises(ValidationError, match="ليس مبلغًا صالحًا"):
        parse_amount("douze")
    with pytest.raises(ValidationError, match="المرجو إدخال مبلغ"):
        parse_amount("  ")


@settings(max_examples=300, deadline=None)
@given(
    amount=st.decimals(min_value=-(10**12), max_value=10**12, places=3, allow_nan=False),
    lang=st.sampled_from(["fr", "ar", "en"]),
)
def test_fast_money_formatting_writes_exactly_what_babel_writes(amount: Decimal, lang: str) -> None:
    loc = babel_locale(lang)
    if amount.quantize(Decimal("0.01")).is_zero():  # Babel writes '-0,00 €' for -0.001; we never do
        assert "-" not in format_money(amount, "EUR", lang) + format_amount(amount, lang)
        return
    for currency in ("EUR", "MAD"):
        assert format_money(amount, currency, lang) == _babel_money(amount, currency, loc)
    assert format_amount(amount, lang) == _babel_two_places(amount, loc)


@pytest.mark.parametrize(
    ("lang", "items", "expected"),
    [
        (
            "fr",
            ["année 2021", "secteur Couscous", "hors annulées"],
            "année 2021, secteur Couscous et hors annulées",
        ),
        ("en", ["year 2021", "not cancelled"], "year 2021 and not cancelled"),
        ("ar", ["السنة 2021", "القطاع", "دون الملغاة"], "السنة 2021 والقطاع ودون الملغاة"),
        ("fr", ["hors annulées"], "hors annulées"),
    ],
)
def test_a_list_of_filters_reads_as_a_sentence(lang: str, items: list[str], expected: str) -> None:
    assert format_list(items, lang) == expected
