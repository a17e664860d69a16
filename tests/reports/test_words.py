"""Amounts in words: num2words for the number, our own currency wording around it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ksm_desktop.reports.words import amount_in_words


@pytest.mark.parametrize(
    ("amount", "currency", "lang", "expected"),
    [
        ("36000", "EUR", "fr", "trente-six mille euros"),
        ("36000.00", "EUR", "en", "thirty-six thousand euros"),
        ("36000", "EUR", "ar", "ستة وثلاثون ألف يورو"),
        ("388800", "MAD", "fr", "trois cent quatre-vingt-huit mille huit cents dirhams"),
        ("1", "MAD", "fr", "un dirham"),
        ("1000000", "EUR", "fr", "un million d'euros"),
        ("1000000", "MAD", "fr", "un million de dirhams"),
        ("1250.50", "MAD", "fr", "mille deux cent cinquante dirhams et cinquante centimes"),
        ("1250.50", "EUR", "en", "one thousand two hundred and fifty euros and fifty cents"),
        ("7000", "MAD", "ar", "سبعة آلاف درهم"),
        ("2", "MAD", "ar", "درهمان"),
        ("5", "MAD", "ar", "خمسة دراهم"),
        ("13", "MAD", "ar", "ثلاثة عشر درهما"),
        ("13.05", "MAD", "ar", "ثلاثة عشر درهما وخمسة سنتيمات"),
        ("0.50", "EUR", "fr", "cinquante centimes"),
        ("0.50", "EUR", "en", "fifty cents"),
        ("0.50", "MAD", "ar", "خمسون سنتيما"),
        ("0", "EUR", "fr", "zéro euro"),
        ("200", "EUR", "ar", "مائتا يورو"),
        ("100", "EUR", "ar", "مائة يورو"),
    ],
)
def test_amount_in_words(amount: str, currency: str, lang: str, expected: str) -> None:
    assert amount_in_words(Decimal(amount), currency, lang) == expected


def test_no_saudi_riyal_for_dirhams() -> None:
    text = amount_in_words(Decimal("14200"), "MAD", "ar")
    assert "درهم" in text and "ريال" not in text


def test_arabic_hundreds_have_one_spelling() -> None:
    for value in (100, 200, 300, 1200, 200000):
        assert "مئ" not in amount_in_words(Decimal(value), "MAD", "ar")
