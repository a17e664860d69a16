"""Signature and attendance lists stand alone: every page says what, who, when, where and which
list; the last page has the organiser's signature; the footer's parts never run into each other."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess

import pytest

from ksm_desktop.reports import render_activity_attendance, render_member_list
from ksm_desktop.services import ListQuery, Services
from tests.reports.conftest import flat, pages_text


def _largest_activity(services: Services) -> int:
    rows = services.activities.search(ListQuery(limit=None)).rows
    return max(rows, key=lambda r: r.participants).id


def test_every_page_of_an_attendance_list_names_its_activity(demo: Services) -> None:
    activity = demo.activities.get(_largest_activity(demo))
    pages = [flat(p) for p in pages_text(render_activity_attendance(demo, activity.id, "fr"))]
    assert len(pages) >= 2
    for page in pages:
        assert "LISTE D'ÉMARGEMENT" in page
        assert activity.topic in page
        assert f"Lieu : {activity.place}" in page
        assert f"Référence : ACT-{activity.id:05d}" in page
    assert "L'organisateur" in pages[-1] and "cachet" in pages[-1]
    assert not any("L'organisateur" in page for page in pages[:-1])


def test_member_list_with_place_and_date(demo: Services) -> None:
    import datetime as dt

    atdc = demo.organisations.get_by_code("ATDC")
    pdf = render_member_list(demo, atdc.id, "fr", date=dt.date(2026, 3, 14), place="Errachidia")
    text = flat(" ".join(pages_text(pdf)))
    assert "Lieu : Errachidia" in text and "EM-ATDC-20260314" in text


def _footer_words(pdf: bytes) -> list[list[tuple[float, float, str]]]:
    """Per page, the words of the footer line: (x min, x max, text)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True, timeout=60
    ).stdout.decode("utf-8")
    pages = []
    for page in out.split("<page ")[1:]:
        words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"[^>]*>([^<]*)</word>', page)
        bottom = max(float(y) for _x, y, _x2, _w in words)
        pages.append([(float(x), float(x2), w) for x, y, x2, w in words if float(y) > bottom - 3])
    return pages


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_footer_never_overlaps(demo: Services, lang: str) -> None:
    atdc = demo.organisations.get_by_code("ATDC")
    pdfs = [
        render_member_list(demo, atdc.id, lang, title="Assemblée générale " * 6),
        render_activity_attendance(demo, _largest_activity(demo), lang),
    ]
    for pdf in pdfs:
        for words in _footer_words(pdf):
            spans = sorted((x, x2) for x, x2, _w in words)
            assert all(a[1] <= b[0] + 0.5 for a, b in itertools.pairwise(spans)), words
