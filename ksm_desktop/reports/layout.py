"""What every printed record shares: the document's language, styles, mirrored tables and
key/value blocks, the page with the organisation's header and a numbered footer.

A document is written in ITS language (`Doc.lang`), whatever the application's language is.
Arabic mirrors the layout: labels on the right, table columns from right to left.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from ksm_desktop import __version__
from ksm_desktop.i18n import N_, current_language, is_rtl, translate_in
from ksm_desktop.i18n.formatting import format_amount, format_date, format_decimal, format_percent
from ksm_desktop.reports import fonts
from ksm_desktop.reports.text import Text, clean, draw_line, fit, has_arabic, line_runs
from ksm_desktop.services.settings import OrganisationProfile

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 16 * mm
HEADER_TOP = 11 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
GRID = colors.HexColor("#9aa3ad")
SHADE = colors.HexColor("#e8edf2")
ACCENT = colors.HexColor("#1f4e79")
WATERMARK = colors.HexColor("#b22222")
HALF = (CONTENT_WIDTH - 6 * mm) / 2  # one of two columns side by side
Cell = Any  # a table cell: a flowable, a list of them, or text


def table(
    data: list[list[Any]], widths: Sequence[float], commands: list[tuple[Any, ...]], **kwargs: Any
) -> Table:
    """A Table whose cells default to the bundled font (reportlab's default, Helvetica, would be
    referenced in the PDF without being embedded)."""
    result = Table(data, colWidths=list(widths), **kwargs)
    result.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), fonts.LATIN, 8.5, 11), *commands]))
    return result


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=fonts.LATIN, fontSize=9, leading=12.5, alignment=TA_LEFT)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=10),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11),
        "head": ParagraphStyle("head", parent=base, fontSize=8.5, leading=11, fontName=fonts.LATIN_BOLD),
        "section": ParagraphStyle(
            "section", parent=base, fontSize=10, leading=13, fontName=fonts.LATIN_BOLD, textColor=ACCENT
        ),
        "title": ParagraphStyle(
            "title", parent=base, fontSize=16, leading=20, fontName=fonts.LATIN_BOLD, textColor=ACCENT
        ),
        "centre": ParagraphStyle("centre", parent=base, alignment=TA_CENTER),
    }


@dataclass
class Doc:
    """One document's language and the helpers that write in it."""

    lang: str
    profile: OrganisationProfile
    generated: dt.date = field(default_factory=dt.date.today)
    styles: dict[str, ParagraphStyle] = field(default_factory=_styles)

    @classmethod
    def create(cls, profile: OrganisationProfile, lang: str | None = None) -> Doc:
        fonts.register_fonts()
        return cls(lang or current_language(), profile)

    @property
    def rtl(self) -> bool:
        return is_rtl(self.lang)

    def t(self, msgid: str) -> str:
        return translate_in(self.lang, msgid)

    # --- figures, written the way the document's language writes them --------------------------

    def amount(self, value: Decimal) -> str:
        return clean(format_amount(value, self.lang))

    def money(self, value: Decimal, currency: str) -> str:
        return f"{self.amount(value)}\xa0{currency}"

    def number(self, value: Decimal | int) -> str:
        if isinstance(value, Decimal) and value == value.to_integral_value():
            value = int(value)
        return clean(format_decimal(value, self.lang))

    def rate(self, value: Decimal) -> str:
        return clean(format_decimal(value, self.lang, places=4))

    def percent(self, ratio: Decimal) -> str:
        return clean(format_percent(ratio, self.lang, places=1))

    def date(self, value: dt.date | None) -> str:
        return clean(format_date(value, self.lang, "long")) if value else "—"

    # --- flowables -----------------------------------------------------------------------------

    def p(self, text: str, style: str = "body", bold: bool = False) -> Flowable:
        return Text(text, self.styles[style], self.rtl, bold)

    def section(self, title: str) -> list[Flowable]:
        return [Spacer(1, 2.5 * mm), self.p(title, "section"), Spacer(1, 0.5 * mm)]

    def row(self, cells: Sequence[Any]) -> list[Any]:
        """Cells in drawing order: reversed for a right-to-left document."""
        return list(reversed(cells)) if self.rtl else list(cells)

    def fields(self, pairs: Sequence[tuple[str, str]], label_width: float = 42 * mm) -> Table:
        """A label/value block, labels on the reading side."""
        rows = [
            self.row([self.p(label, "cell", bold=True), self.p(value or "—", "cell")])
            for label, value in pairs
        ]
        return table(
            rows,
            self.row([label_width, CONTENT_WIDTH - label_width]),
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 0.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, SHADE),
            ],
        )

    def grid(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[Any]],
        widths: Sequence[float],
        numeric: Sequence[int] = (),
        totals: Sequence[tuple[Any, str]] = (),
        row_height: float | None = None,
        banner: Sequence[Flowable] | None = None,
    ) -> Table:
        """A ruled table whose header row repeats on every page; `numeric` columns align right;
        `totals` rows put a label across all columns but the last, which holds the figure;
        `banner` (a list's title block) stands above the header, repeated with it on every page.

        Plain strings stay plain cells (fast); longer text is given as flowables by the caller."""
        n = len(header)
        data = [self.row([self.p(h, "head") for h in header]), *(self.row(self._cells(r)) for r in rows)]
        top = 0 if banner is None else 1
        if banner is not None:
            data.insert(0, [list(banner), *[""] * (n - 1)])
        for label, value in totals:
            data.append([value, label, *[""] * (n - 2)] if self.rtl else [label, *[""] * (n - 2), value])

        def col(i: int) -> int:
            return n - 1 - i if self.rtl else i

        style: list[tuple[Any, ...]] = [
            ("GRID", (0, top), (-1, -1), 0.4, GRID),
            ("BACKGROUND", (0, top), (-1, top), SHADE),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (0, 0), (-1, -1), "RIGHT" if self.rtl else "LEFT"),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ]
        if banner is not None:
            style += [("SPAN", (0, 0), (-1, 0)), ("LEFTPADDING", (0, 0), (-1, 0), 0)]
            style += [("RIGHTPADDING", (0, 0), (-1, 0), 0), ("BOTTOMPADDING", (0, 0), (-1, 0), 6)]
        for i in numeric:
            style.append(("ALIGN", (col(i), top + 1), (col(i), -1), "RIGHT"))
        first, last = (1, n - 1) if self.rtl else (0, n - 2)
        for k in range(1, len(totals) + 1):
            style += [
                ("SPAN", (first, -k), (last, -k)),
                ("BACKGROUND", (0, -k), (-1, -k), SHADE),
                ("FONT", (0, -k), (-1, -k), fonts.LATIN_BOLD, 8.5, 11),
                ("ALIGN", (col(n - 1), -k), (col(n - 1), -k), "RIGHT"),
            ]
        heights = None if row_height is None else [None] * (top + 1) + [row_height] * (len(data) - top - 1)
        return table(data, self.row(list(widths)), style, repeatRows=top + 1, rowHeights=heights)

    def _cells(self, cells: Sequence[Any]) -> list[Any]:
        """Strings with Arabic need the Arabic font and shaping: a plain table cell has neither."""
        return [self.p(c, "cell") if isinstance(c, str) and has_arabic(c) else c for c in cells]

    def signatures(
        self, blocks: Sequence[tuple[str, str]], height: float = 20 * mm, width: float | None = None
    ) -> Table:
        """Signature boxes side by side: a title, a name or hint line, then room to sign. Boxes
        share the page's width, or have `width` each and stand on the closing side."""
        fill = width is None
        width = CONTENT_WIDTH / len(blocks) if width is None else width
        cells = [
            [self.p(title, "cell", bold=True), self.p(hint, "small"), Spacer(1, height)]
            for title, hint in blocks
        ]
        boxes = table(
            [self.row(cells)],
            [width] * len(blocks),
            [
                ("BOX", (0, 0), (-1, -1), 0.5, GRID),
                ("INNERGRID", (0, 0), (-1, -1), 0.5, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ],
        )
        if not fill:
            boxes.hAlign = "LEFT" if self.rtl else "RIGHT"
        return boxes


class SheetStart(Flowable):  # type: ignore[misc]
    """An invisible mark at the start of each document in a PDF, so pages are numbered per document
    and each page of a draft or cancelled one carries its `watermark`."""

    def __init__(self, reference: str, watermark: str = "") -> None:
        super().__init__()
        self.reference = reference
        self.watermark = watermark

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv.ksm_sheet = getattr(self.canv, "ksm_sheet", 0) + 1
        self.canv.ksm_reference = self.reference
        self.canv.ksm_watermark = self.watermark


def _numbered_canvas(footer: Callable[[Canvas, str, int, int, str], None], arabic: bool) -> type[Canvas]:
    """A canvas that holds its pages until the end, to write 'page X / Y' per document; in an
    `arabic` document, the Arabic faces embed their whole alphabet (`fonts.start_arabic_pdf`)."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            if arabic:
                fonts.start_arabic_pdf(self._doc)
            self.ksm_sheet = 0
            self.ksm_reference = ""
            self.ksm_watermark = ""
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            sheets = [page["ksm_sheet"] for page in self._held]
            for index, page in enumerate(self._held):
                self.__dict__.update(page)
                sheet = sheets[index]
                footer(
                    self,
                    page["ksm_reference"],
                    sheets[: index + 1].count(sheet),
                    sheets.count(sheet),
                    page["ksm_watermark"],
                )
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


def _logo(path: str) -> ImageReader | None:
    """The logo if the configured file exists and is an image; a missing logo is not an error."""
    if not path or not Path(path).is_file():
        return None
    try:
        reader = ImageReader(path)
        reader.getSize()
    except Exception:  # any unreadable image: print without it
        return None
    return reader


def _contact_lines(doc: Doc) -> list[str]:
    profile = doc.profile
    contacts = [
        doc.t(N_("Tel.: {phone}")).format(phone=profile.phone) if profile.phone else "",
        doc.t(N_("Email: {email}")).format(email=profile.email) if profile.email else "",
    ]
    legal = [
        doc.t(N_("Receipt No. {number}")).format(number=profile.legal_receipt)
        if profile.legal_receipt
        else "",
        doc.t(N_("IF {number}")).format(number=profile.tax_id) if profile.tax_id else "",
        doc.t(N_("ICE {number}")).format(number=profile.ice) if profile.ice else "",
    ]
    lines = (profile.address, "   ".join(c for c in contacts if c), " · ".join(x for x in legal if x))
    return [line for line in lines if line]


def _header_height(doc: Doc, logo: ImageReader | None) -> float:
    """Room for the names and contact lines (or the logo), so an empty profile wastes no paper."""
    text = 9 * mm + 4 * mm * len(_contact_lines(doc))
    return float(max(21 * mm if logo is not None else 0.0, text) + 3 * mm)


def _draw_header(doc: Doc, canvas: Canvas, logo: ImageReader | None, height: float) -> None:
    profile = doc.profile
    top = PAGE_HEIGHT - HEADER_TOP
    start, end = (PAGE_WIDTH - MARGIN, MARGIN) if doc.rtl else (MARGIN, PAGE_WIDTH - MARGIN)
    align, other = ("right", "left") if doc.rtl else ("left", "right")
    text_x = start
    if logo is not None:
        size = 19 * mm
        x = start - size if doc.rtl else start
        canvas.drawImage(logo, x, top - size, size, size, preserveAspectRatio=True, mask="auto")
        text_x = start - size - 4 * mm if doc.rtl else start + size + 4 * mm
    primary, secondary = (
        (profile.name_ar or profile.name, profile.name) if doc.rtl else (profile.name, profile.name_ar)
    )
    canvas.setFillColor(ACCENT)
    draw_line(canvas, text_x, top - 5 * mm, primary, 12, bold=True, align=align, rtl=doc.rtl)
    if secondary and secondary != primary:
        draw_line(canvas, end, top - 5 * mm, secondary, 12, align=other, rtl=doc.rtl)
    canvas.setFillColor(colors.black)
    y = top - 10 * mm
    for line in _contact_lines(doc):
        draw_line(canvas, text_x, y, line, 8, align=align, rtl=doc.rtl)
        y -= 4 * mm
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(0.8)
    rule = top - height + 1 * mm
    canvas.line(MARGIN, rule, PAGE_WIDTH - MARGIN, rule)


def _draw_footer(doc: Doc, canvas: Canvas, reference: str, page: int, pages: int) -> None:
    y = 9 * mm
    canvas.setStrokeColor(GRID)
    canvas.setLineWidth(0.4)
    canvas.line(MARGIN, y + 4 * mm, PAGE_WIDTH - MARGIN, y + 4 * mm)
    canvas.setFillColor(colors.HexColor("#444444"))
    start, end = (PAGE_WIDTH - MARGIN, MARGIN) if doc.rtl else (MARGIN, PAGE_WIDTH - MARGIN)
    align, other = ("right", "left") if doc.rtl else ("left", "right")
    # Three parts side by side, each kept to its own share of the line: a long reference is
    # shortened rather than run over the page number.
    numbering = doc.t(N_("Page {page} / {pages}")).format(page=page, pages=pages)
    middle = draw_line(canvas, PAGE_WIDTH / 2, y, numbering, 7.5, align="centre", rtl=doc.rtl)
    stamp = doc.t(N_("Printed on {date} · KSM Desktop {version}")).format(
        date=doc.date(doc.generated), version=__version__
    )
    side = (CONTENT_WIDTH - middle) / 2 - 4 * mm
    draw_line(canvas, end, y, fit(stamp, 7.5, side, rtl=doc.rtl), 7.5, align=other, rtl=doc.rtl)
    draw_line(canvas, start, y, fit(reference, 7.5, side, rtl=doc.rtl), 7.5, align=align, rtl=doc.rtl)


def _draw_watermark(canvas: Canvas, text: str) -> None:
    """A large grey word across the page (drawn last, translucent, so it covers without hiding)."""
    size = 84.0
    _pieces, used = line_runs(text, size, bold=True)
    size = min(size, size * 0.8 * (PAGE_WIDTH**2 + PAGE_HEIGHT**2) ** 0.5 / used)
    canvas.saveState()
    canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
    canvas.rotate(55)
    canvas.setFillColor(WATERMARK)
    canvas.setFillAlpha(0.22)
    draw_line(canvas, 0, -size / 3, text, size, bold=True, align="centre")
    canvas.restoreState()


def _draw_initials(doc: Doc, canvas: Canvas) -> None:
    """A box in the outer margin, at the foot of each page of a sheet longer than one page, for
    both parties' initials: no page can be swapped unnoticed."""
    width, height = 12 * mm, 22 * mm
    x = PAGE_WIDTH - MARGIN + 2 * mm if not doc.rtl else MARGIN - 2 * mm - width
    y = 17 * mm
    canvas.saveState()
    canvas.setStrokeColor(GRID)
    canvas.setLineWidth(0.5)
    canvas.rect(x, y, width, height, stroke=1, fill=0)
    canvas.setFillColor(colors.HexColor("#444444"))
    label = fit(doc.t(N_("Initials")), 6, width - 1 * mm, rtl=doc.rtl)
    draw_line(canvas, x + width / 2, y + height - 3 * mm, label, 6, align="centre", rtl=doc.rtl)
    canvas.restoreState()


def render(
    doc: Doc, sheets: Sequence[tuple[str, list[Flowable], str]], title: str, *, initials: bool = False
) -> bytes:
    """The PDF of one or more documents: (footer reference, story, watermark or "") each, each
    numbered on its own; with `initials`, each page of a document longer than a page has a box
    for the parties' initials."""
    buffer = BytesIO()
    logo = _logo(doc.profile.logo_path)
    header = _header_height(doc, logo)
    frame_top = PAGE_HEIGHT - HEADER_TOP - header - 2 * mm
    frame = Frame(MARGIN, 17 * mm, CONTENT_WIDTH, frame_top - 17 * mm, 0, 0, 0, 0, id="body")
    template = BaseDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author=doc.profile.name or "KSM Desktop",
        creator=f"KSM Desktop {__version__}",
        lang=doc.lang,
        initialFontName=fonts.LATIN,  # else the page streams name Helvetica, a font not embedded
        pageTemplates=[
            PageTemplate("page", [frame], onPage=lambda c, _d: _draw_header(doc, c, logo, header))
        ],
    )
    story: list[Flowable] = []
    for n, (reference, flowables, mark) in enumerate(sheets):
        if n:
            story.append(PageBreak())
        story += [SheetStart(reference, mark), *flowables]

    def finish(canvas: Canvas, reference: str, page: int, pages: int, watermark: str) -> None:
        _draw_footer(doc, canvas, reference, page, pages)
        if initials and pages > 1:
            _draw_initials(doc, canvas)
        if watermark:
            _draw_watermark(canvas, watermark)

    template.build(story, canvasmaker=_numbered_canvas(finish, doc.rtl))
    return buffer.getvalue()


def side_by_side(doc: Doc, left: Cell, right: Cell) -> Table:
    """Two charts on one row, the first on the reading side."""
    return table(
        [doc.row([left, right])],
        [HALF + 3 * mm, HALF + 3 * mm],
        [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)],
    )


def labelled(doc: Doc, totals: Sequence[tuple[str, str]]) -> list[tuple[Flowable, str]]:
    """Total rows whose labels are shaped text (a plain cell has no Arabic font)."""
    return [(doc.p(label, "cell", bold=True), value) for label, value in totals]
