"""The bundled fonts, registered once with reportlab and embedded (subset) in every PDF.

Noto Sans carries Latin text, digits and punctuation; Noto Naskh Arabic carries Arabic, already
shaped into presentation forms by `arabic_reshaper` (hence `shapable=False`: reportlab must not
shape a second time).
"""

from __future__ import annotations

from functools import cache

from reportlab.graphics.shapes import STATE_DEFAULTS
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ksm_desktop.paths import FONTS_DIR

LATIN = "KSM-Sans"
LATIN_BOLD = "KSM-Sans-Bold"
ARABIC = "KSM-Arabic"
ARABIC_BOLD = "KSM-Arabic-Bold"

_FILES = {
    LATIN: "NotoSans-Regular.ttf",
    LATIN_BOLD: "NotoSans-Bold.ttf",
    ARABIC: "NotoNaskhArabic-Regular.ttf",
    ARABIC_BOLD: "NotoNaskhArabic-Bold.ttf",
}


@cache
def register_fonts() -> None:
    """Register the four faces (idempotent; reportlab keeps them for the whole process)."""
    for name, filename in _FILES.items():
        # The Arabic faces only ever draw Arabic runs: without reportlab's ASCII block reserved in
        # their first subset, each PDF embeds just the glyphs it uses (a smaller, faster subset).
        latin = name in (LATIN, LATIN_BOLD)
        pdfmetrics.registerFont(TTFont(name, str(FONTS_DIR / filename), asciiReadable=latin, shapable=False))
    pdfmetrics.registerFontFamily(LATIN, normal=LATIN, bold=LATIN_BOLD, italic=LATIN, boldItalic=LATIN_BOLD)
    pdfmetrics.registerFontFamily(
        ARABIC, normal=ARABIC, bold=ARABIC_BOLD, italic=ARABIC, boldItalic=ARABIC_BOLD
    )
    # A chart starts from reportlab's default state, Helvetica: the page would name a font it
    # never uses and does not embed. Charts start in the bundled font instead.
    STATE_DEFAULTS["fontName"] = LATIN


def latin(bold: bool = False) -> str:
    return LATIN_BOLD if bold else LATIN


def arabic(bold: bool = False) -> str:
    return ARABIC_BOLD if bold else ARABIC
