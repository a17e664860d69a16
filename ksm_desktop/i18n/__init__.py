"""One translation system (gettext catalogs managed with Babel) for the GUI, CLI, services and PDFs.

`_` translates now, in the current language; `N_` only marks a module-level label for extraction,
to be passed through `_` when shown; `ngettext` handles plurals.
"""

from __future__ import annotations

import gettext
import locale
import os
from functools import cache
from pathlib import Path

from ksm_desktop.paths import TRANSLATIONS_DIR

LANGUAGES: tuple[str, ...] = ("fr", "ar", "en")
DEFAULT_LANGUAGE = "fr"
RTL_LANGUAGES = frozenset({"ar"})
DOMAIN = "messages"

_current = DEFAULT_LANGUAGE
_translations: gettext.NullTranslations = gettext.NullTranslations()


@cache
def load_catalog(lang: str, directory: Path = TRANSLATIONS_DIR) -> gettext.NullTranslations:
    """The compiled catalog for `lang`; compiles the .po in memory if no .mo was built."""
    mo = directory / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if mo.is_file():
        with mo.open("rb") as fh:
            return gettext.GNUTranslations(fh)
    po = directory / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if po.is_file():
        from io import BytesIO

        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        with po.open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        buf = BytesIO()
        write_mo(buf, catalog)
        buf.seek(0)
        return gettext.GNUTranslations(buf)
    return gettext.NullTranslations()


def set_language(lang: str) -> None:
    """Switch every later `_()` call to `lang` (one of LANGUAGES)."""
    global _current, _translations
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language: {lang!r}")
    _current = lang
    _translations = load_catalog(lang)


def current_language() -> str:
    return _current


def is_rtl(lang: str | None = None) -> bool:
    return (lang or _current) in RTL_LANGUAGES


def system_language() -> str:
    """The OS language if KSM Desktop speaks it, else French."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value and value[:2] in LANGUAGES:
            return value[:2]
    try:
        code = locale.getlocale()[0] or ""
    except ValueError:
        code = ""
    return code[:2] if code[:2] in LANGUAGES else DEFAULT_LANGUAGE


def _(message: str) -> str:
    return _translations.gettext(message)


def N_(message: str) -> str:
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)


def translate_in(lang: str, message: str) -> str:
    """Translate into a given language without changing the current one (PDFs in another language)."""
    return load_catalog(lang).gettext(message)


__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "N_",
    "_",
    "current_language",
    "is_rtl",
    "ngettext",
    "set_language",
    "system_language",
    "translate_in",
]
