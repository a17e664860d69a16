from __future__ import annotations

from decimal import Decimal

import pytest

from ksm_desktop.domain.errors import ValidationError
from ksm_desktop.domain.values import normalize_cin, normalize_phone, search_key, to_money


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("ab123456", "AB123456"), (" k 98765 ", "K98765"), ("AB-123", "AB123"), ("", None), (None, None)],
)
def test_cin_is_upper_cased_and_stripped(raw: str | None, expected: str | None) -> None:
    assert normalize_cin(raw) == expected


@pytest.mark.parametrize("raw", ["123456", "ABC123", "AB1234567", "A", "AB12X4", "é12345"])
def test_malformed_cin_is_refused_with_the_field(raw: str) -> None:
    with pytest.raises(ValidationError) as err:
        normalize_cin(raw)
    assert err.value.field == "cin"
    assert raw.strip() in err.value.message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("06 61 23 45 67", "+212661234567"),
        ("0661-234567", "+212661234567"),
        ("00212661234567", "+212661234567"),
        ("+212 (0)5 35 12 34 56", "+212535123456"),
        ("661234567", "+212661234567"),
        ("+32 2 123 45 67", "+3221234567"),
        ("", None),
    ],
)
def test_moroccan_phones_are_normalised(raw: str, expected: str | None) -> None:
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "0461234567", "phone", "+212 12"])
def test_bad_phone_is_refused(raw: str) -> None:
    with pytest.raises(ValidationError) as err:
        normalize_phone(raw)
    assert err.value.field == "phone"


def test_money_is_decimal_with_two_places_and_never_float() -> None:
    assert to_money("36000") == Decimal("36000.00")
    assert to_money(Decimal("0.005")) == Decimal("0.01")
    with pytest.raises(TypeError):
        to_money(0.1)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        to_money("douze")
    with pytest.raises(ValidationError):
        to_money("NaN")


def test_search_key_ignores_accents_and_case() -> None:
    assert search_key("École", "Aït Baha") == "ecole ait baha"
    assert "تعاونية" in search_key("تعاونية")
