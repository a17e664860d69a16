"""Column recognition and value cleaning for member imports."""

from __future__ import annotations

import datetime as dt

import pytest

from ksm_desktop.domain.errors import ValidationError
from ksm_desktop.exchange.members import (
    check_mapping,
    guess_mapping,
    load_saved_mapping,
    parse_rows,
    save_mapping,
    to_date,
    to_role,
    to_sex,
)
from ksm_desktop.exchange.sheets import Table


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Nom", "last_name"),
        ("NOM DE FAMILLE", "last_name"),
        ("Last name", "last_name"),
        ("النسب", "last_name"),
        ("Prénom", "first_name"),
        (" prenom ", "first_name"),
        ("First Name", "first_name"),
        ("الاسم", "first_name"),
        ("Nom arabe", "full_name_ar"),
        ("الاسم الكامل", "full_name_ar"),
        ("CIN", "cin"),
        ("N° CIN", "cin"),
        ("رقم البطاقة", "cin"),
        ("Sexe", "sex"),
        ("Genre", "sex"),
        ("Gender", "sex"),
        ("الجنس", "sex"),
        ("Date de naissance", "birth_date"),
        ("Date de naissance (jj/mm/aaaa)", "birth_date"),
        ("Année de naissance", "birth_year"),
        ("Téléphone", "phone"),
        ("Tél.", "phone"),
        ("GSM", "phone"),
        ("Phone", "phone"),
        ("الهاتف", "phone"),
        ("Rôle", "role"),
        ("Fonction", "role"),
        ("الصفة", "role"),
        ("Couleur préférée", ""),
    ],
)
def test_headers_are_recognised(header: str, field: str) -> None:
    assert guess_mapping([header], saved={}) == [field]


def test_a_field_goes_to_its_first_column_only() -> None:
    assert guess_mapping(["Nom", "Nom de famille", "Prénom"], saved={}) == ["last_name", "", "first_name"]


def test_users_mapping_is_remembered_and_wins() -> None:
    headers = ["Famille", "Prénom", "Genre", "Remarque libre"]
    assert guess_mapping(headers) == ["", "first_name", "sex", ""]
    save_mapping(headers, ["last_name", "first_name", "sex", "notes"])
    assert load_saved_mapping()["famille"] == "last_name"
    assert guess_mapping(headers) == ["last_name", "first_name", "sex", "notes"]


@pytest.mark.parametrize(
    ("mapping", "words"),
    [
        (["last_name", "first_name"], "Sex"),
        (["last_name", "last_name", "first_name", "sex"], "Two columns"),
        (["last_name", "first_name", "sex", "salary"], "Unknown field"),
    ],
)
def test_bad_mapping_is_refused(mapping: list[str], words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        check_mapping(mapping)


@pytest.mark.parametrize(
    ("raw", "sex"),
    [
        ("F", "F"),
        ("Femme", "F"),
        ("féminin", "F"),
        ("FEMININ", "F"),
        ("أنثى", "F"),
        ("female", "F"),
        ("H", "M"),
        ("M", "M"),
        ("Homme", "M"),
        ("masculin", "M"),
        ("ذكر", "M"),
        ("Male", "M"),
    ],
)
def test_sex_values(raw: str, sex: str) -> None:
    assert to_sex(raw) == sex


@pytest.mark.parametrize("raw", ["X", "Fille?", None, ""])
def test_bad_sex_is_rejected(raw: str | None) -> None:
    with pytest.raises(ValidationError):
        to_sex(raw)


@pytest.mark.parametrize(
    ("raw", "role"),
    [
        (None, "member"),
        ("Présidente", "president"),
        ("Trésorière", "treasurer"),
        ("Secrétaire", "secretary"),
        ("Vice-président", "vice_president"),
        ("رئيسة", "president"),
        ("أمين المال", "treasurer"),
        ("عضو", "member"),
        ("Treasurer", "treasurer"),
        ("Membre", "member"),
    ],
)
def test_role_values(raw: str | None, role: str) -> None:
    assert to_role(raw) == role


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        (dt.datetime(1980, 4, 3, 0, 0), dt.date(1980, 4, 3)),
        (dt.date(1980, 4, 3), dt.date(1980, 4, 3)),
        ("03/04/1980", dt.date(1980, 4, 3)),
        ("3-4-1980", dt.date(1980, 4, 3)),
        ("1980-04-03", dt.date(1980, 4, 3)),
        (29314, dt.date(1980, 4, 3)),
        (29314.0, dt.date(1980, 4, 3)),
        ("29314", dt.date(1980, 4, 3)),
        (1980, 1980),
        ("1980", 1980),
        (None, None),
    ],
)
def test_dates(raw: object, value: object) -> None:
    assert to_date(raw) == value  # type: ignore[arg-type]


@pytest.mark.parametrize("raw", ["31/02/1990", "hier", "1980/13/45", "03/04/80"])
def test_bad_dates_are_rejected(raw: str) -> None:
    with pytest.raises(ValidationError, match="dd/mm/yyyy"):
        to_date(raw)


def test_rows_are_cleaned_and_bad_rows_reported_with_line_numbers() -> None:
    table = Table(
        ["Nom", "Prénom", "CIN", "Sexe", "Né le", "Téléphone", "Fonction"],
        [
            (2, ["Alaoui", "Fatima", "ab 123456", "Femme", "03/04/1980", 661234567, "Présidente"]),
            (3, ["Tazi", "Ali", None, "Homme", 1975, "'+212661234568", None]),
            (5, ["Idrissi", "Sara", None, "?", None, None, None]),
            (6, ["Amrani", "Naima", None, "F", "32/01/1990", None, None]),
            (7, ["Bennani", "Omar", None, "H", None, None, "Chef"]),
        ],
    )
    mapping = ["last_name", "first_name", "cin", "sex", "birth_date", "phone", "role"]
    good, bad = parse_rows(table, mapping)
    assert [r.line for r in good] == [2, 3]
    first = good[0]
    assert (first.person.cin, first.person.sex, first.person.birth_date, first.person.phone, first.role) == (
        "ab 123456",
        "F",
        dt.date(1980, 4, 3),
        "0661234567",
        "president",
    )
    assert (good[1].person.birth_year, good[1].person.birth_date, good[1].person.phone) == (
        1975,
        None,
        "+212661234568",
    )
    assert [(n, e.field) for n, e in bad] == [(5, "sex"), (6, "birth_date"), (7, "role")]
