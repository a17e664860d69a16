"""One translation system (gettext catalogs managed with Babel) for the GUI, CLI, services and PDFs.

`_` translates now, in the current language; `N_` only marks a module-level label for extraction,
to be passed through `_` when shown; `ngettext` handles plurals. When one English word needs two
translations (French and Arabic agree in gender: a grant is "Clôturée", a programme "Clôturé"),
`pgettext(context, message)` and `npgettext` add a context, and `NC_(context, message)` marks one
for later. Catalog maintenance: `python -m ksm_desktop.i18n.catalogs` (update, compile, check).
"""

from __future__ import annotations

import contextlib
import gettext
import os
import re
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from ksm_desktop.paths import TRANSLATIONS_DIR

LANGUAGES: tuple[str, ...] = ("fr", "ar", "en")
DEFAULT_LANGUAGE = "fr"
RTL_LANGUAGES = frozenset({"ar"})
# The locale behind each language's numbers and dates (Babel's and Qt's): Moroccan French and Arabic.
LOCALES = {"fr": "fr_MA", "ar": "ar_MA", "en": "en_GB"}
DOMAIN = "messages"

_current = DEFAULT_LANGUAGE
_translations: gettext.NullTranslations = gettext.NullTranslations()


@cache
def load_catalog(lang: str, directory: Path = TRANSLATIONS_DIR) -> gettext.NullTranslations:
    """The compiled catalog for `lang`, or its .po compiled in memory when no up-to-date .mo exists
    (a source checkout where someone edited a .po without running `catalogs compile`)."""
    mo = directory / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    po = mo.with_suffix(".po")
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as fh:
            return gettext.GNUTranslations(fh)
    if po.is_file():
        from io import BytesIO

        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        with po.open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        buf = BytesIO()
        write_mo(buf, catalog, use_fuzzy=False)
        buf.seek(0)
        return gettext.GNUTranslations(buf)
    return gettext.NullTranslations()


_PSEUDO_ACCENTS = str.maketrans("aeiouyAEIOUYcnsCNS", "àéîöûýÀÉÎÖÛÝçñšÇÑŠ")
_PSEUDO_FIELD = re.compile(r"(\{[^{}]*\}|%\([^)]*\)[sdr]|%[sdr])")


def pseudo(text: str) -> str:
    """'Grant {number}' → '⟦Gràñt {number}····⟧': accented, a third longer, fields untouched."""
    parts = _PSEUDO_FIELD.split(text)
    body = "".join(part if n % 2 else part.translate(_PSEUDO_ACCENTS) for n, part in enumerate(parts))
    return f"⟦{body}{'·' * (len(text) // 3)}⟧"


class PseudoTranslations(gettext.NullTranslations):
    """KSM_PSEUDO_LOCALE=1: every translated text stands out, so a text that skipped `_()` shows
    plain in a screenshot, and a layout too tight for French (about a third longer) shows too."""

    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)

    def pgettext(self, context: str, message: str) -> str:
        return pseudo(message)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)


def set_language(lang: str) -> None:
    """Switch every later `_()` call to `lang` (one of LANGUAGES)."""
    global _current, _translations
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language: {lang!r}")
    _current = lang
    _translations = PseudoTranslations() if os.environ.get("KSM_PSEUDO_LOCALE") else load_catalog(lang)


def current_language() -> str:
    return _current


def is_rtl(lang: str | None = None) -> bool:
    return (lang or _current) in RTL_LANGUAGES


def _language_of(name: str) -> str | None:
    """'fr_MA.UTF-8' → 'fr'; Windows names too ('Arabic_Morocco' → 'ar'); None if not spoken here."""
    code = name.strip().lower()
    for lang, english_name in (("fr", "french"), ("ar", "arabic"), ("en", "english")):
        if (code[:2] == lang and (len(code) == 2 or not code[2].isalpha())) or code.startswith(english_name):
            return lang
    return None


def _windows_ui_locale() -> str:
    """The Windows display language ('fr_FR'), which is what a Windows user calls their language."""
    if sys.platform != "win32":
        return ""
    import ctypes
    import locale

    lcid = ctypes.windll.kernel32.GetUserDefaultUILanguage()  # type: ignore[attr-defined,unused-ignore]
    return str(locale.windows_locale.get(lcid, ""))


def _system_locale_names() -> Iterator[str]:
    """The names the system gives its language, most telling first; each asked only when the ones
    before it said nothing (Windows' and Python's locale modules are not imported for nothing)."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        yield os.environ.get(var, "")
    yield from os.environ.get("LANGUAGE", "").split(":")
    yield _windows_ui_locale()
    import locale

    with contextlib.suppress(ValueError):
        yield locale.getlocale()[0] or ""


def system_language() -> str:
    """The OS language if KSM Desktop speaks it, else French."""
    for name in _system_locale_names():
        if name.split(".")[0].upper() in ("C", "POSIX"):
            # No language chosen (a server, a fresh image): Python would call it en_US. French.
            return DEFAULT_LANGUAGE
        lang = _language_of(name) if name else None
        if lang:
            return lang
    return DEFAULT_LANGUAGE


def choose_language(requested: str | None = None) -> str:
    """The language to use: `--lang` if given, else the saved preference, else the system's, else French.

    The one place that decides it, for the command line and the GUI alike.
    """
    if requested in LANGUAGES:
        return str(requested)
    from ksm_desktop.config import Preferences

    saved = Preferences.load().language
    return saved if saved in LANGUAGES else system_language()


def _(message: str) -> str:
    return _translations.gettext(message)


def N_(message: str) -> str:
    return message


def NC_(context: str, message: str) -> tuple[str, str]:
    """Mark a label with a context for extraction; show it with `pgettext(*label)`."""
    return context, message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _translations.pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return _translations.npgettext(context, singular, plural, n)


def translate_in(lang: str, message: str, context: str | None = None) -> str:
    """Translate into a given language without changing the current one (PDFs in another language)."""
    catalog = load_catalog(lang)
    return catalog.pgettext(context, message) if context else catalog.gettext(message)


__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "LOCALES",
    "NC_",
    "N_",
    "_",
    "choose_language",
    "current_language",
    "is_rtl",
    "ngettext",
    "npgettext",
    "pgettext",
    "set_language",
    "system_language",
    "translate_in",
]
