"""Mixed Latin/Arabic text for reportlab: shaping, right-to-left order, font runs, line breaking.

reportlab lays glyphs out left to right and has no bidi of its own, so Arabic is shaped with
`arabic_reshaper` and put in visual order with python-bidi. `get_display` works on one line only:
a paragraph is therefore broken into lines in logical order first (each word measured in its
shaped form), then each line is reordered. The visual line is cut into runs of Arabic and of
other characters, each drawn in the font that has its glyphs. pdftotext reads the result back in
logical order (Arabic as presentation forms; NFKC gives the base letters).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import arabic_reshaper
from bidi.algorithm import get_display
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Flowable

from ksm_desktop.reports import fonts

_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_RUNS = re.compile("([\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]+)")
_CONTROLS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
# A phone number, '+212 6…' or '0535 00 00 00': its groups stay in order in a right-to-left line.
_SPACED_NUMBER = re.compile(r"\+\d[\d \xa0\u202f]*\d|\d+(?:[ \xa0\u202f]\d+)+")
# Only the obligatory lam-alef ligatures (the reshaper's default also joins "Allah" into one sign).
# Harakat kept (the reshaper deletes them by default): "حُصرت" is printed as written.
_RESHAPER = arabic_reshaper.ArabicReshaper(
    configuration={"ARABIC LIGATURE ALLAH": False, "delete_harakat": False}
)


@lru_cache(maxsize=8192)
def shape(text: str) -> str:
    """Arabic letters in their joined presentation forms (cached: the reshaper is slow and a
    document repeats the same words)."""
    return str(_RESHAPER.reshape(text)) if has_arabic(text) else text


def has_arabic(text: str) -> bool:
    return _ARABIC.search(text) is not None


def starts_rtl(text: str, default: bool) -> bool:
    """The direction of a paragraph by its first strong letter (Unicode rule P2), else `default`:
    a French designation in an Arabic table still reads left to right."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return default


def base_rtl(text: str, document_rtl: bool) -> bool:
    """The base direction of a paragraph. In a right-to-left document, right to left whenever it
    holds an Arabic letter, whatever its first letter ('Errachidia، الرشيدية' puts Errachidia on the
    right, as Qt lays it out with Qt.RightToLeft); a value with no Arabic at all stays left to right
    as if isolated (else 'Total (EUR)' would come out as '(Total (EUR'). In a left-to-right
    document, the first strong letter decides (an Arabic name reads right to left)."""
    return has_arabic(text) if document_rtl else starts_rtl(text, False)


def clean(text: str) -> str:
    """Drop bidi control marks (Babel adds them; the fonts have no glyph for them)."""
    return _CONTROLS.sub("", text)


@lru_cache(maxsize=8192)
def visual(text: str, rtl: bool) -> str:
    """One line in drawing order: Arabic shaped, runs ordered for a line of base direction `rtl`.

    python-bidi's pure-Python algorithm is used: its faster default does not mirror brackets,
    so 'المجموع (EUR)' came out as ')EUR('."""
    text = shape(clean(text))
    if not rtl and not has_arabic(text):
        return text
    if rtl:  # keep '+212 6…' and '0535 00 00' in order (an embedding, dropped by get_display)
        text = _SPACED_NUMBER.sub(lambda m: f"\u202a{m.group()}\u202c", text)
    return str(get_display(text, base_dir="R" if rtl else "L"))


def runs(line: str, bold: bool = False) -> list[tuple[str, str]]:
    """(font name, text) pieces of a line: Arabic runs in the Arabic font, the rest in Latin."""
    if not has_arabic(line):
        return [(fonts.latin(bold), line)]
    return [
        (fonts.arabic(bold) if n % 2 else fonts.latin(bold), piece)
        for n, piece in enumerate(_RUNS.split(line))
        if piece
    ]


@lru_cache(maxsize=16384)
def width(text: str, size: float, bold: bool = False) -> float:
    """Width of a line in points (the same in logical and visual order); cached, since lines are
    broken word by word and the same words come back on every sheet."""
    return float(sum(stringWidth(piece, font, size) for font, piece in runs(shape(text), bold)))


def break_lines(text: str, max_width: float, size: float, bold: bool = False) -> list[str]:
    """Greedy line breaking in logical order; explicit newlines are kept. Lines come back shaped."""
    lines: list[str] = []
    space = stringWidth(" ", fonts.latin(bold), size)
    for paragraph in shape(clean(text)).split("\n"):
        current: list[str] = []
        used = 0.0
        for word in paragraph.split():
            w = width(word, size, bold)
            if current and used + space + w > max_width:
                lines.append(" ".join(current))
                current, used = [], 0.0
            used += (space if current else 0.0) + w
            current.append(word)
        lines.append(" ".join(current))
    return lines


class Text(Flowable):  # type: ignore[misc]
    """A paragraph of plain text in either direction, broken into lines at the width it gets and
    drawn run by run (no markup parsing: much faster than a Paragraph for table cells)."""

    def __init__(
        self, text: str, style: ParagraphStyle, rtl: bool, bold: bool = False, lines: list[str] | None = None
    ) -> None:
        super().__init__()
        self.text = text
        self.style = style
        self.rtl = rtl
        self.bold = bold or style.fontName.endswith("Bold")
        self.base = base_rtl(text, rtl)
        self._lines = lines
        self._for_width = -1.0

    def _layout(self, avail_width: float) -> list[str]:
        if self._lines is None or (self._for_width != avail_width and self._for_width >= 0):
            self._lines = break_lines(self.text, avail_width, self.style.fontSize, self.bold)
        self._for_width = avail_width
        return self._lines

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        lines = self._layout(avail_width)
        self.width = avail_width
        self.height = len(lines) * self.style.leading
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        lines = self._layout(avail_width)
        fit = int(avail_height // self.style.leading)
        if fit <= 0 or fit >= len(lines):
            return []
        return [
            Text(self.text, self.style, self.rtl, self.bold, lines[:fit]),
            Text(self.text, self.style, self.rtl, self.bold, lines[fit:]),
        ]

    def draw(self) -> None:
        size, leading = self.style.fontSize, self.style.leading
        align = self.style.alignment
        if self.rtl and align == TA_LEFT:
            align = TA_RIGHT
        self.canv.setFillColor(self.style.textColor)
        obj = self.canv.beginText()  # one text object for all lines: far less PDF to write
        y = self.height - size
        writer = PhraseWriter(obj, size)
        for line in self._lines or []:
            drawn, used = phrases(line, self.base, size, self.bold)
            x = 0.0
            if align != TA_LEFT:
                x = self.width - used if align == TA_RIGHT else (self.width - used) / 2
            obj.setTextOrigin(x, y)
            writer.write(drawn)
            y -= leading
        writer.close()
        self.canv.drawText(obj)


@lru_cache(maxsize=8192)
def placed(line: str, base: bool, size: float, bold: bool) -> tuple[tuple[tuple[str, str], ...], float]:
    """A line of base direction `base` as (font, text) runs in drawing order, and its width
    (cached: a document's labels and figures come back on every page and every sheet)."""
    pieces = tuple(runs(visual(line, base), bold))
    return pieces, float(sum(stringWidth(piece, font, size) for font, piece in pieces))


# (font, text, word spacing): a run as written into a PDF text object.
Phrase = tuple[str, str, float]


@lru_cache(maxsize=8192)
def phrases(line: str, base: bool, size: float, bold: bool) -> tuple[tuple[Phrase, ...], float]:
    """`placed`'s runs as drawn: a run of spaces between two Arabic words joins them in the
    Arabic font, its spaces widened by word spacing (PDF's Tw) to the Latin space the line was
    measured with. The same glyphs at the same places, with one text operator per Arabic phrase
    instead of three per word: writing text is what an Arabic sheet spends most on."""
    pieces, used = placed(line, base, size, bold)
    arabic, latin = fonts.arabic(bold), fonts.latin(bold)
    widen = stringWidth(" ", latin, size) - stringWidth(" ", arabic, size)
    drawn: list[Phrase] = []
    joining = False
    for n, (font, text) in enumerate(pieces):
        between = 0 < n < len(pieces) - 1 and pieces[n - 1][0] == pieces[n + 1][0] == arabic
        if font == latin and between and not text.strip(" "):
            drawn[-1] = (arabic, drawn[-1][1] + text, widen)
            joining = True
        elif joining:
            drawn[-1] = (arabic, drawn[-1][1] + text, widen)
            joining = False
        else:
            drawn.append((font, text, 0.0))
    return tuple(drawn), used


class PhraseWriter:
    """Writes phrases into one text object, setting the font and word spacing only when they
    change; `close` puts the word spacing back to 0, since it outlives the text object."""

    def __init__(self, obj: PDFTextObject, size: float) -> None:
        self.obj = obj
        self.size = size
        self.font = ""
        self.spacing = 0.0

    def write(self, drawn: Sequence[Phrase]) -> None:
        for font, text, spacing in drawn:
            if spacing != self.spacing:
                self.obj.setWordSpace(spacing)
                self.spacing = spacing
            if font != self.font:
                self.obj.setFont(font, self.size)
                self.font = font
            self.obj.textOut(text)

    def close(self) -> None:
        if self.spacing:
            self.obj.setWordSpace(0)
            self.spacing = 0.0


def line_runs(
    text: str, size: float, bold: bool = False, rtl: bool = False
) -> tuple[list[tuple[str, str]], float]:
    """One line as (font, text) runs in drawing order (directions as `base_rtl` sets them), and its width."""
    pieces, used = placed(text, base_rtl(text, rtl), size, bold)
    return list(pieces), used


def fit(text: str, size: float, width: float, bold: bool = False, rtl: bool = False) -> str:
    """The text, shortened with an ellipsis when it would be wider than `width`."""
    if line_runs(text, size, bold, rtl)[1] <= width:
        return text
    while text and line_runs(text + "…", size, bold, rtl)[1] > width:
        text = text[:-1]
    return text.rstrip() + "…"


def draw_line(
    canvas: Canvas,
    x: float,
    y: float,
    text: str,
    size: float,
    *,
    bold: bool = False,
    align: str = "left",
    rtl: bool = False,
) -> float:
    """Draw one line on a canvas (headers, footers) at x aligned left/right/centre; returns its width.

    The line is ordered as `line_runs` orders it."""
    drawn, total = phrases(text, base_rtl(text, rtl), size, bold)
    start = {"left": x, "right": x - total, "centre": x - total / 2}[align]
    obj = canvas.beginText(start, y)
    writer = PhraseWriter(obj, size)
    writer.write(drawn)
    writer.close()
    canvas.drawText(obj)
    return total
