"""The bundled fonts, registered once with reportlab and embedded (subset) in every PDF.

Noto Sans carries Latin text, digits and punctuation; Noto Naskh Arabic carries Arabic, already
shaped into presentation forms by `arabic_reshaper` (hence `shapable=False`: reportlab must not
shape a second time).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from reportlab.graphics.shapes import STATE_DEFAULTS
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import SUBSETN, TTFont, TTFontFace, makeToUnicodeCMap

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


class _ReusedSubsetsFont(TTFont):  # type: ignore[misc]
    """An Arabic face whose subsets are made once per process: font program, widths and text map.

    reportlab makes them anew for every PDF, which costs each Arabic face a tenth of a one-page
    sheet's time. Every Arabic PDF starts the first subset with the whole alphabet
    (`start_arabic_pdf`), so that subset is the same in each of them; what they write is what
    reportlab would write."""

    def __init__(self, name: str, path: str) -> None:
        super().__init__(name, path, asciiReadable=False, shapable=False)
        # The face makes the program of each subset it embeds: the kept one.
        self.face.makeSubset = lambda subset: _program(self.face, tuple(subset))[0]

    def addObjects(self, doc: Any) -> None:
        subsets = [tuple(subset) for subset in self.state[doc].subsets]
        names = [self.getSubsetInternalName(n, doc)[1:] for n in range(len(subsets))]
        super().addObjects(doc)
        if not doc.compression:
            return
        fonts = doc.idToObject["BasicFonts"].dict
        for n, (name, subset) in enumerate(zip(names, subsets, strict=True)):
            made, font = _made(self.face, n, subset), fonts[name]
            font.Widths = _Formatted(made.widths)
            doc.idToObject[font.ToUnicode.name].filters = [_Compressed(made.text_map)]
            descriptor = doc.idToObject[font.FontDescriptor.name]
            doc.idToObject[descriptor.dict["FontFile2"].name].filters = [_Compressed(made.program_flate)]


@lru_cache(maxsize=32)
def _program(face: TTFontFace, subset: tuple[int, ...]) -> tuple[bytes, bytes]:
    """The font program of a subset, and the program compressed."""
    program = TTFontFace.makeSubset(face, list(subset))
    return program, zlib.compress(program)


@dataclass(frozen=True)
class _Subset:
    program_flate: bytes
    widths: bytes
    text_map: bytes  # compressed


@lru_cache(maxsize=32)
def _made(face: TTFontFace, n: int, subset: tuple[int, ...]) -> _Subset:
    """Subset number `n` of a face as reportlab writes it into a PDF (its streams compressed)."""
    name = (SUBSETN(n) + b"+" + face.name + face.subfontNameX).decode("pdfdoc")
    return _Subset(
        _program(face, subset)[1],
        pdfdoc.PDFArray([face.getCharWidth(code) for code in subset]).format(None),
        zlib.compress(makeToUnicodeCMap(name, list(subset)).encode()),
    )


class _Formatted(pdfdoc.PDFObject):  # type: ignore[misc]
    """A PDF value written beforehand."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def format(self, document: Any) -> bytes:
        return self.data


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
        # their first subset, a PDF embeds the glyphs it draws (or the alphabet: `start_arabic_pdf`).
        path = str(FONTS_DIR / filename)
        latin = name in (LATIN, LATIN_BOLD)
        pdfmetrics.registerFont(
            TTFont(name, path, asciiReadable=True, shapable=False)
            if latin
            else _ReusedSubsetsFont(name, path)
        )
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
