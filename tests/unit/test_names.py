"""The name key: every spelling of a name, in Latin or Arabic script, gives one key."""

from __future__ import annotations

import pytest

from ksm_desktop.domain.names import key_patterns, name_key, name_tokens, names_similarity
from ksm_desktop.domain.values import phone_search_digits

SAME = [
    ("محمد", "Mohamed", "Mohammed", "Muhammad", "Mohammad", "M'hammed"),
    ("Benali", "Ben Ali", "بن علي", "Ben-Ali", "BENALI"),
    ("Aït Baha", "Ait-Baha", "آيت باها", "Ait Baha", "AIT BAHA"),
    ("El Alami", "Alami", "العلمي", "El-Alami", "Elalami"),
    ("Youssef", "Yousef", "Yusuf", "يوسف", "Youssouf"),
    ("Abdelkader", "Abdel Kader", "Abdelkadir", "عبد القادر", "Abdul Kader"),
    ("Abderrahim", "Abderahim", "عبد الرحيم"),
    ("Khadija", "Khadidja", "Khadeeja", "خديجة"),
    ("Hicham", "Hisham", "هشام"),
    ("Ould Ahmed", "Ouldahmed", "ولد أحمد"),
    ("Fatima Zahra", "Fatima-Zahra", "فاطمة الزهراء"),
    ("Naïma", "Naima", "نعيمة"),
]
DIFFERENT = [
    ("Alami", "Alaoui"),
    ("Fatima", "Fatiha"),
    ("Mohamed", "Mehdi"),
    ("Samira", "Samia"),
    ("Rachid", "Rachida Idrissi"),
]


@pytest.mark.parametrize("spellings", SAME, ids=lambda s: s[1])
def test_every_spelling_in_either_script_gives_one_key(spellings: tuple[str, ...]) -> None:
    assert {name_key(s) for s in spellings} == {name_key(spellings[0])}


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_names_keep_different_keys(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)


def test_key_of_a_person_holds_every_word_once_sorted_between_spaces() -> None:
    assert name_key("Mohamed", "Benali", "محمد بن علي") == " bnl mhmd "
    assert name_key(None, "", "   ") == ""
    assert name_tokens("Ben Youssef Mohamed") == name_tokens("بن يوسف محمد")


def test_search_patterns_match_whole_words_and_the_start_of_the_last_one_typed() -> None:
    assert key_patterns("Ben Ali") == ["% bnl%"]
    assert key_patterns("Ben Ali ") == ["% bnl %"]
    assert key_patterns("Mo") == ["% m %"]  # too short to be the start of anything useful
    assert key_patterns("محمد العلم") == ["% mhmd %", "% lm %"]
    assert key_patterns("!!") == []


def test_a_cin_or_a_phone_in_the_search_is_not_read_as_a_name() -> None:
    assert key_patterns("ZZ012345") == []  # its letters alone would be "z": every Aziz
    assert key_patterns("AB 123456") == []  # a CIN typed with a space
    assert key_patterns("Ab 12 Benali") == ["% b %", "% bnl%"]
    assert key_patterns("Benali 0661") == ["% bnl %"]
    assert key_patterns("0661 Benal") == ["% bnl%"]


def test_name_similarity_is_full_for_variants_and_partial_for_one_word() -> None:
    assert names_similarity(name_tokens("Mohamed Benali"), name_tokens("بن علي محمد")) == 1.0
    assert names_similarity(name_tokens("Fatima Alami"), name_tokens("Fatima Alaoui")) == 0.5
    assert names_similarity([], name_tokens("Fatima")) == 0.0


@pytest.mark.parametrize(
    ("typed", "digits"),
    [
        ("0661234567", "661234567"),
        ("06 61 23 45 67", "661234567"),
        ("+212661234567", "661234567"),
        ("00212 661 23 45 67", "661234567"),
        ("0661", "661"),
        ("Fatima", None),
        ("AB123456", None),
        ("12", None),
    ],
)
def test_a_phone_number_typed_as_dialled_is_searched_without_its_prefix(
    typed: str, digits: str | None
) -> None:
    assert phone_search_digits(typed) == digits
