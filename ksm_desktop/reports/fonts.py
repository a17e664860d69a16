"""The bundled fonts, registered once with reportlab and embedded (subset) in every PDF.

Noto Sans carries Latin text, digits and punctuation; Noto Naskh Arabic carries Arabic, already
shaped into presentation forms by `arabic_reshaper` (hence `shapable=False`: reportlab must not
shape a second time).
"""

from __future__ import annotations

import zlib
from functools import cache, lru_cache
from typing import Any

from reportlab.graphics.shapes import STATE_DEFAULTS
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

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

# What the Arabic faces draw: every letter form `arabic_reshaper` gives Arabic (lam-alef included),
# the marks and letters it leaves as they are, Arabic punctuation. 141 glyphs, one subset.
ARABIC_ALPHABET = "".join(
    chr(c) for c in (*range(0xFE80, 0xFEFD), *range(0x064B, 0x0653), 0x0670, 0x060C, 0x061B, 0x061F, 0x0640)
)


class _ReusedProgramFace(TTFontFace):  # type: ignore[misc]
    """A face whose font program for a given subset is made and compressed once per process.

    reportlab subsets a face anew for every PDF: for each Arabic face, 8 % of a one-page sheet's
    time. Every Arabic PDF starts the Arabic faces' first subset with the whole alphabet
    (`start_arabic_pdf`), so that subset, and its program, are the same in every one."""

    def makeSubset(self, subset: list[int]) -> bytes:
        return _program(self, tuple(subset))[0]

    def addSubsetObjects(self, doc: Any, fontname: str, subset: list[int]) -> Any:
        reference = super().addSubsetObjects(doc, fontname, subset)
        if doc.compression:  # the program's stream takes the compressed bytes kept with it
            descriptor = doc.idToObject[reference.name]
            stream = doc.idToObject[descriptor.dict["FontFile2"].name]
            stream.filters = [_Compressed(_program(self, tuple(subset))[1])]
        return reference


@lru_cache(maxsize=32)
def _program(face: TTFontFace, subset: tuple[int, ...]) -> tuple[bytes, bytes]:
    """A subset's font program, and the program compressed as reportlab compresses it."""
    program = TTFontFace.makeSubset(face, list(subset))
    return program, zlib.compress(program)


class _Compressed(pdfdoc.PDFStreamFilterZCompress):  # type: ignore[misc]
    """The Flate filter of a stream whose content was compressed beforehand."""

    def __init__(self, compressed: bytes) -> None:
        self.compressed = compressed

    def encode(self, text: bytes) -> bytes:
        return self.compressed


@cache
def register_fonts() -> None:
    """Register the four faces (idempotent; reportlab keeps them for the whole process)."""
    for name, filename in _FILES.items():
        # The Arabic faces only ever draw Arabic runs: without reportlab's ASCII block reserved in
        # their first subset, each PDF embeds just the glyphs it uses (`start_arabic_pdf`: or the alphabet).
        latin = name in (LATIN, LATIN_BOLD)
        font = TTFont(name, str(FONTS_DIR / filename), asciiReadable=latin, shapable=False)
        if not latin:
            font.face.__class__ = _ReusedProgramFace
        pdfmetrics.registerFont(font)
    pdfmetrics.registerFontFamily(LATIN, normal=LATIN, bold=LATIN_BOLD, italic=LATIN, boldItalic=LATIN_BOLD)
    pdfmetrics.registerFontFamily(
        ARABIC, normal=ARABIC, bold=ARABIC_BOLD, italic=ARABIC, boldItalic=ARABIC_BOLD
    )
    # A chart starts from reportlab's default state, Helvetica: the page would name a font it
    # never uses and does not embed. Charts start in the bundled font instead.
    STATE_DEFAULTS["fontName"] = LATIN


def start_arabic_pdf(pdf: Any) -> None:
    """Give the Arabic alphabet the first codes of the Arabic faces in the PDF `pdf` (a reportlab
    PDFDocument) of a document in Arabic, which draws most of it anyway: a face the PDF draws
    embeds the whole alphabet, in a program made once. A document in another language, which
    draws a line of Arabic or two, embeds only the letters it draws (a program of its own)."""
    for name in (ARABIC, ARABIC_BOLD):
        pdfmetrics.getFont(name).splitString(ARABIC_ALPHABET, pdf)


def latin(bold: bool = False) -> str:
    return LATIN_BOLD if bold else LATIN


def arabic(bold: bool = False) -> str:
    return ARABIC_BOLD if bold else ARABIC
