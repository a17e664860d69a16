"""Dates as office staff type them: day first in French and Arabic, with or without leading
zeros, two-digit years read sensibly, impossible dates refused with the reason."""

from __future__ import annotations

import datetime as dt

import pytest

from ksm_desktop.domain.errors import ValidationError
from ksm_desktop.domain.typed import parse_date
from ksm_desktop.i18n.formatting import date_placeholder, format_date_numeric

TODAY = dt.date(2026, 11, 29)


@pytest.mark.parametrize("lang", ["fr", "ar", "en"])
@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("15/03/2021", dt.date(2021, 3, 15)),
        ("15/3/2021", dt.date(2021, 3, 15)),
        ("15/3/21", dt.date(2021, 3, 15)),
        ("5.3.2021", dt.date(2021, 3, 5)),
        ("15-03-1965", dt.date(1965, 3, 15)),
        ("15/03/65", dt.date(1965, 3, 15)),
        ("2021-03-15", dt.date(2021, 3, 15)),
        ("١٥/٠٣/٢٠٢١", dt.date(2021, 3, 15)),
        ("  ", None),
    ],
)
def test_a_typed_date_is_read_day_first(lang: str, typed: str, expected: dt.date | None) -> None:
    assert parse_date(typed, lang, today=TODAY) == expected


def test_an_impossible_date_is_refused_with_the_reason() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_date("31/02/2021", "fr", field="created_on")
    assert "31/02/2021" in caught.value.message and caught.value.field == "created_on"
    with pytest.raises(ValidationError):
        parse_date("15 mars", "fr")


def test_dates_are_shown_and_explained_in_full() -> None:
    assert format_date_numeric(dt.date(2021, 3, 5), "fr") == "05/03/2021"
    assert format_date_numeric(None, "fr") == ""
    assert date_placeholder("en") == "dd/mm/yyyy"
