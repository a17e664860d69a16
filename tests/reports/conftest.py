"""Helpers to read generated PDFs back: text per page (pypdf), logical-order text (pdftotext)."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from ksm_desktop.services import ListQuery, Services
from ksm_desktop.services.dto import DeliveryInput, GrantInput, GrantItemInput


@pytest.fixture(autouse=True)
def _program_settings(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """The GUI tests here keep window settings and remembered folders as the program does."""
    if "qtbot" in request.fixturenames:
        from tests.ui.conftest import use_program_settings

        use_program_settings(request.getfixturevalue("qapp"), tmp_path)


def chems_number(services: Services) -> str:
    """The demo grant of Chems Almaghreb (numbers depend on the year the demo was loaded)."""
    rows = services.grants.search(ListQuery(text="Chems Almaghreb")).rows
    return next(r.number for r in rows if "Chems" in r.recipient)


def replace_first_item(services: Services, number: str, first: GrantItemInput) -> None:
    """Change a grant's first item, everything else kept as it is."""
    grant = services.grants.get_by_number(number)
    services.grants.update(
        grant.id,
        GrantInput(
            purpose=grant.purpose,
            kind=grant.kind,
            programme_id=grant.programme_id,
            organisation_id=grant.recipient.organisation_id,
            eur_mad_rate=grant.eur_mad_rate,
            grant_date=grant.grant_date,
            women=grant.women,
            men=grant.men,
            items=[first]
            + [GrantItemInput(i.designation, i.quantity, i.unit_price, unit=i.unit) for i in grant.items[1:]],
        ),
    )


def pages_text(pdf: bytes) -> list[str]:
    """NFKC-normalised text of each page (Arabic presentation forms become base letters)."""
    reader = PdfReader(io.BytesIO(pdf))
    return [unicodedata.normalize("NFKC", page.extract_text()) for page in reader.pages]


def flat(text: str) -> str:
    """Spaces of every kind (Babel's narrow no-break ones included) as plain single spaces."""
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


def logical_text(pdf: bytes) -> str:
    """pdftotext's reading (it puts right-to-left words back in logical order), NFKC-normalised."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True, timeout=300
    ).stdout
    text = re.sub("[\u202a-\u202e]", "", out.decode("utf-8"))  # the embedding marks it adds
    return flat(unicodedata.normalize("NFKC", text))


@pytest.fixture
def delivered(demo: Services) -> tuple[Services, str]:
    """The demo with Chems Almaghreb's grant validated and delivered."""
    number = chems_number(demo)
    grant = demo.grants.get_by_number(number)
    demo.grants.transition(grant.id, "validated")
    demo.grants.transition(
        grant.id,
        "delivered",
        delivery=DeliveryInput(
            dt.date.today(),
            "Errachidia, siège de la coopérative",
            "Rachida Ait Baha",
            "ZZ100008",
            "Présidente",
        ),
    )
    return demo, number
