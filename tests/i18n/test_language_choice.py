"""Which language the program speaks: --lang, else the saved preference, else the system's, else French."""

from __future__ import annotations

import locale
from collections.abc import Callable

import pytest

from ksm_desktop import i18n
from ksm_desktop.config import Preferences
from ksm_desktop.i18n import choose_language, system_language


@pytest.fixture
def system(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Set the OS language through the environment only: on Windows, no display language either."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(locale, "getlocale", lambda *a: (None, None))
    monkeypatch.setattr(i18n, "_windows_ui_locale", lambda: "")

    def set_system(value: str) -> None:
        monkeypatch.setenv("LANG", value)

    return set_system


def save(language: str) -> None:
    Preferences(language=language).save()


def test_command_line_beats_preference_and_system(system: Callable[[str], None]) -> None:
    system("en_GB.UTF-8")
    save("fr")
    assert choose_language("ar") == "ar"


def test_preference_beats_system(system: Callable[[str], None]) -> None:
    system("ar_MA.UTF-8")
    save("en")
    assert choose_language(None) == "en"


@pytest.mark.parametrize(
    ("system_locale", "expected"),
    [("ar_MA.UTF-8", "ar"), ("en_US.UTF-8", "en"), ("fr_BE", "fr"), ("de_DE.UTF-8", "fr"), ("C.UTF-8", "fr")],
)
def test_system_language_when_nothing_is_saved(
    system: Callable[[str], None], system_locale: str, expected: str
) -> None:
    system(system_locale)
    assert choose_language(None) == expected


def test_unknown_saved_or_requested_language_falls_through(system: Callable[[str], None]) -> None:
    system("ar_MA.UTF-8")
    save("de")
    assert choose_language("xx") == "ar"


def test_windows_locale_names_are_understood(
    system: Callable[[str], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(locale, "getlocale", lambda *a: ("Arabic_Morocco", "1256"))
    assert system_language() == "ar"
    monkeypatch.setattr(locale, "getlocale", lambda *a: ("English_United States", "1252"))
    assert system_language() == "en"
    monkeypatch.setattr(locale, "getlocale", lambda *a: ("German_Germany", "1252"))
    assert system_language() == "fr"


def test_a_language_named_by_the_environment_is_enough(
    system: Callable[[str], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows' display language and Python's locale are not asked when the environment said it
    (asking costs Windows' ctypes and the locale module at every start)."""

    def asked(*_args: object) -> str:
        raise AssertionError("asked although the environment named the language")

    system("ar_MA.UTF-8")
    monkeypatch.setattr(i18n, "_windows_ui_locale", asked)
    monkeypatch.setattr(locale, "getlocale", asked)
    assert system_language() == "ar"


def test_lc_all_beats_lang(system: Callable[[str], None], monkeypatch: pytest.MonkeyPatch) -> None:
    system("fr_FR.UTF-8")
    monkeypatch.setenv("LC_ALL", "ar_MA.UTF-8")
    assert system_language() == "ar"


@pytest.mark.parametrize("posix", ["C", "C.UTF-8", "POSIX"])
def test_a_c_or_posix_system_starts_in_french_although_python_calls_it_english(
    system: Callable[[str], None], monkeypatch: pytest.MonkeyPatch, posix: str
) -> None:
    system(posix)
    monkeypatch.setattr(locale, "getlocale", lambda *a: ("en_US", "UTF-8"))  # what Python answers
    assert system_language() == "fr"
