"""The GUI's language: our catalogs, Qt's own dialogs, right-to-left for Arabic, a font with good Arabic.

Called once at start-up, before the main window is built: `apply_language(app, current_language())`.
A language chosen in Settings applies at the next start, which the dialog offers to do at once
(`relaunch_command`).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication

from ksm_desktop.i18n import LOCALES, is_rtl, set_language
from ksm_desktop.paths import FONTS_DIR

log = logging.getLogger(__name__)

# Screen fonts with complete, well-hinted Arabic, best first (all under the SIL Open Font Licence).
ARABIC_FAMILIES = (
    "Noto Sans Arabic UI",
    "Noto Sans Arabic",
    "Noto Naskh Arabic UI",
    "Noto Naskh Arabic",
    "Amiri",
)
_FONT_SUFFIXES = {".ttf", ".otf", ".ttc"}


def register_bundled_fonts(directory: Path = FONTS_DIR) -> list[str]:
    """Make the fonts shipped in resources/fonts available to Qt; returns their family names."""
    from PySide6.QtGui import QFontDatabase  # for Arabic only: not before a French window

    families: list[str] = []
    if not directory.is_dir():
        return families
    for path in sorted(directory.rglob("*")):
        if path.suffix.lower() not in _FONT_SUFFIXES:
            continue
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("font not loaded: %s", path)
            continue
        families += [f for f in QFontDatabase.applicationFontFamilies(font_id) if f not in families]
    return families


def arabic_family(bundled: list[str]) -> str | None:
    """The best font for Arabic: a preferred bundled one, a preferred installed one, any with Arabic."""
    from PySide6.QtGui import QFontDatabase

    installed = set(QFontDatabase.families())
    for pool in (bundled, installed):
        for family in ARABIC_FAMILIES:
            if family in pool:
                return family
    for family in bundled:
        if QFontDatabase.WritingSystem.Arabic in QFontDatabase.writingSystems(family):
            return family
    return None


def _install_qt_translator(app: QApplication, lang: str) -> None:
    """Qt's own strings (OK/Cancel, file dialogs, context menus) in `lang`; English needs none."""
    previous = getattr(app, "_ksm_qt_translator", None)
    if previous is not None:
        app.removeTranslator(previous)
        app._ksm_qt_translator = None  # type: ignore[attr-defined]
    if lang == "en":
        return
    from PySide6.QtCore import QLibraryInfo, QTranslator

    translator = QTranslator(app)
    directory = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{lang}", directory):
        app.installTranslator(translator)
        app._ksm_qt_translator = translator  # type: ignore[attr-defined]  # kept alive with the app
    else:
        log.warning("Qt translations qtbase_%s not found in %s", lang, directory)


def _apply_font(app: QApplication, lang: str) -> None:
    """Arabic first in the application font for Arabic, falling back to the usual font for Latin."""
    original = getattr(app, "_ksm_original_font", None)
    if not is_rtl(lang):
        if original is not None:
            app.setFont(original)
        return
    from PySide6.QtGui import QFont

    if original is None:
        original = QFont(app.font())
        app._ksm_original_font = original  # type: ignore[attr-defined]
    family = arabic_family(register_bundled_fonts())
    if family is None:
        log.warning("no font with Arabic glyphs found in %s or on the system", FONTS_DIR)
        app.setFont(original)
        return
    font = QFont(original)
    font.setFamilies([family, *original.families()])
    app.setFont(font)


def apply_language(app: QApplication, lang: str) -> None:
    """Everything that depends on the language: messages, Qt dialogs, locale, direction, font."""
    set_language(lang)
    QLocale.setDefault(QLocale(LOCALES[lang]))
    _install_qt_translator(app, lang)
    if app.isRightToLeft() != is_rtl(lang):  # left to right by default: PySide's `Qt` enums cost 80 ms
        from PySide6.QtCore import Qt

        app.setLayoutDirection(
            Qt.LayoutDirection.RightToLeft if is_rtl(lang) else Qt.LayoutDirection.LeftToRight
        )
    _apply_font(app, lang)


def relaunch_command(argv: list[str] | None = None, *, frozen: bool | None = None) -> list[str]:
    """The command that started this program, to start it again once it has closed (and released
    its database), without a `--lang` that would override the language just chosen."""
    frozen = getattr(sys, "frozen", False) if frozen is None else frozen
    args = list(argv if argv is not None else (sys.argv[1:] if frozen else sys.orig_argv[1:]))
    kept: list[str] = []
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg == "--lang":
            skip = True
        elif not arg.startswith("--lang="):
            kept.append(arg)
    return [sys.executable, *kept]
