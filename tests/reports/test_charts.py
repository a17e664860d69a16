"""Charts in a right-to-left report: the value axis on the right, its figures beside it, not across it."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from reportlab.graphics import renderPDF

from ksm_desktop.reports import charts, fonts


def test_arabic_value_axis_labels_stand_right_of_the_axis() -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    fonts.register_fonts()
    width = 260.0
    drawing = charts.grouped_bars(
        ["نساء", "رجال"],
        [("الهدف", [400, 300], charts.LIGHT), ("المحقق", [150, 20], charts.PALETTE[0])],
        width,
        150,
        True,
        lambda v: f"{int(v)}",
    )
    pdf = renderPDF.drawToString(drawing)
    out = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True, timeout=60
    ).stdout.decode("utf-8")
    axis_x = width - 34  # the chart ends where the value axis stands
    ticks = [
        float(x)
        for x, word in re.findall(r'xMin="([\d.]+)"[^>]*>(\d+)</word>', out)
        if word in {"100", "200"}
    ]
    assert ticks and all(x > axis_x for x in ticks), (ticks, axis_x)
