"""Printed records: 200 grant sheets in one process, each compared with a bare reportlab document
holding the same items table, measured in the same run.

Baseline: reportlab's SimpleDocTemplate on A4 with the same bundled TrueType fonts (Noto Sans
regular and bold, embedded as subsets), a title and the same table: header row, one row per item
(designation as a Paragraph, the five figures as plain cells) and the two total rows, with a grid.
No organisation header, footer, QR code, recipient block, amount in words, signatures or Arabic.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from benchmarks.common import Result
from ksm_desktop.db.storage import open_database
from ksm_desktop.reports import fonts
from ksm_desktop.reports.grant_sheet import grant_sheets_pdf
from ksm_desktop.reports.layout import Doc
from ksm_desktop.services import Services
from ksm_desktop.services.demo import load_demo
from ksm_desktop.services.dto import GrantDTO

SHEETS = 200


def _bare(grant: GrantDTO) -> bytes:
    style = ParagraphStyle("b", fontName=fonts.LATIN, fontSize=8.5, leading=11)
    title = ParagraphStyle("t", fontName=fonts.LATIN_BOLD, fontSize=16, leading=20)
    rows: list[list[object]] = [["No.", "Designation", "Quantity", "Unit", "Unit price", "Total"]]
    rows += [
        [
            str(i.position),
            Paragraph(i.designation, style),
            str(i.quantity),
            i.unit or "",
            f"{i.unit_price:,.2f}",
            f"{i.total:,.2f}",
        ]
        for i in grant.items
    ]
    rows += [
        ["Total", "", "", "", "", f"{grant.total:,.2f}"],
        ["Equivalent", "", "", "", "", f"{grant.equivalent:,.2f}"],
    ]
    table = Table(rows, repeatRows=1, colWidths=[25, 225, 51, 51, 71, 79])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), fonts.LATIN, 8.5),
                ("FONT", (0, 0), (-1, 0), fonts.LATIN_BOLD, 8.5),
                ("GRID", (0, 0), (-1, -1), 0.4, "grey"),
                ("SPAN", (0, -1), (4, -1)),
                ("SPAN", (0, -2), (4, -2)),
            ]
        )
    )
    buffer = BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, initialFontName=fonts.LATIN).build(
        [Paragraph(f"Grant sheet {grant.number}", title), table]
    )
    return buffer.getvalue()


def _per_sheet_ms(render: Callable[[GrantDTO], bytes], grants: list[GrantDTO]) -> float:
    samples = []
    for n in range(SHEETS):
        start = time.perf_counter()
        render(grants[n % len(grants)])
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def grant_sheets() -> list[Result]:
    with tempfile.TemporaryDirectory() as tmp:
        services = Services(open_database(path=Path(tmp) / "bench.sqlite3"))
        load_demo(services)
        grants = [services.grants.get(r.id) for r in services.grants.search().rows]
        profile = services.settings.profile()
        services.db.dispose()
    results = []
    fonts.register_fonts()
    for lang in ("fr", "ar"):
        doc = Doc.create(profile, lang)
        grant_sheets_pdf(doc, grants[:1])  # warm-up: font files parsed once per process
        _bare(grants[0])
        # Interleave the two measurements so a noisy neighbour slows both alike.
        ours, bare = [], []
        for _ in range(4):
            ours.append(_per_sheet_ms(lambda g, d=doc: grant_sheets_pdf(d, [g]), grants))
            bare.append(_per_sheet_ms(_bare, grants))
        ours_ms, bare_ms = min(ours), min(bare)
        results.append(
            Result(
                f"grant sheet ({lang}), median of {SHEETS} in one process",
                ours_ms,
                "<= 50 ms and <= 1.5x bare reportlab",
                ours_ms <= 50 and ours_ms <= 1.5 * bare_ms,
                "bare SimpleDocTemplate, same fonts and items table",
                bare_ms,
            )
        )
    return results


BENCHMARKS = [grant_sheets]
