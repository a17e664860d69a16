"""In an Arabic document every value with Arabic in it reads right to left, whatever its first
letter: the words' positions on the page (pdftotext -bbox) follow the right-to-left order."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from decimal import Decimal

import pytest

from ksm_desktop.reports import render_grant_sheet
from ksm_desktop.services import Services
from ksm_desktop.services.dto import GrantItemInput
from tests.reports.conftest import chems_number, replace_first_item

Word = tuple[str, float, float]  # logical text, x of its left edge, y of its top


def words(pdf: bytes) -> list[Word]:
    """Every word of the first page with its position; Arabic words (drawn in visual order as
    presentation forms) back to base letters in logical order."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = subprocess.run(
        ["pdftotext", "-bbox", "-l", "1", "-", "-"], input=pdf, capture_output=True, check=True, timeout=60
    ).stdout.decode("utf-8")
    found = []
    for x, y, raw in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', out):
        if re.search("[\ufb50-\ufdff\ufe70-\ufefc]", raw):  # Arabic letters, not just its comma
            raw = raw[::-1]
        text = unicodedata.normalize("NFKC", raw.replace("&apos;", "'"))
        found.append((text.strip("،:()"), float(x), float(y)))
    return found


def order_on_line(found: list[Word], expected_right_to_left: list[str]) -> list[str]:
    """The expected words as they stand on the line holding most of them, from right to left."""
    lines: dict[int, list[Word]] = {}
    for w in found:
        if w[0] in expected_right_to_left:
            lines.setdefault(round(w[2]), []).append(w)
    line = max(lines.values(), key=len)
    return [w[0] for w in sorted(line, key=lambda w: -w[1])]


def test_latin_first_digit_first_and_mixed_values_read_right_to_left(demo: Services) -> None:
    number = chems_number(demo)
    replace_first_item(
        demo, number, GrantItemInput("2 pompes Lorentz PS2 مع التركيب", Decimal(1), Decimal(100))
    )
    found = words(render_grant_sheet(demo, number, "ar"))
    # Latin first: the commune on the right, the region on the left.
    location = ["Errachidia", "الرشيدية", "درعة", "تافيلالت"]
    assert order_on_line(found, location) == location
    # The president's name, then the label of the CIN, then the number.
    president = ["Rachida", "ب.ت.و", "ZZ100008"]
    assert order_on_line(found, ["Baha", *president]) == ["Baha", "Rachida", "ب.ت.و", "ZZ100008"]
    # Digit first: the count on the right, the Latin words in their own order, the Arabic after them.
    assert order_on_line(found, ["2", "Lorentz", "pompes", "مع", "التركيب"]) == [
        "2",
        "Lorentz",
        "pompes",
        "مع",
        "التركيب",
    ]


def test_a_french_designation_keeps_its_brackets_in_an_arabic_sheet(demo: Services) -> None:
    found = words(render_grant_sheet(demo, chems_number(demo), "ar"))
    texts = [w[0] for w in found]
    i = texts.index("Gros")
    assert texts[i : i + 7] == ["Gros", "œuvre", "du", "local", "fondations,", "murs,", "dalle"]
    xs = [w[1] for w in found[i : i + 7]]
    assert xs == sorted(xs)
