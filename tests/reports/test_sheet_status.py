"""A draft or cancelled grant sheet cannot pass for a valid one: a large word across every page,
no signature boxes, and a cancelled sheet says when and why."""

from __future__ import annotations

import datetime as dt

import pytest

from ksm_desktop.reports import render_grant_sheet
from ksm_desktop.services import Services
from tests.reports.conftest import chems_number, flat, pages_text
from tests.reports.test_grant_sheet import _long_grant

MARKS = {"fr": ("BROUILLON", "ANNULÉE"), "ar": ("مسودة", "ملغاة"), "en": ("DRAFT", "CANCELLED")}
SIGNATURE_BOX = {
    "fr": "Visa de l'autorité locale",
    "ar": "تأشيرة السلطة المحلية",
    "en": "Visa of the local authority",
}


@pytest.mark.parametrize("lang", ["fr", "ar", "en"])
def test_every_page_of_a_long_draft_is_marked_and_has_nothing_to_sign(demo: Services, lang: str) -> None:
    pages = [flat(p) for p in pages_text(render_grant_sheet(demo, _long_grant(demo, 60), lang))]
    assert len(pages) >= 2
    draft = MARKS[lang][0]
    assert all(draft in page for page in pages)
    assert not any(SIGNATURE_BOX[lang] in page for page in pages)


@pytest.mark.parametrize("lang", ["fr", "ar", "en"])
def test_a_cancelled_sheet_says_so_with_its_reason_and_date(demo: Services, lang: str) -> None:
    number = chems_number(demo)
    grant = demo.grants.get_by_number(number)
    demo.grants.transition(grant.id, "cancelled", note="Doublon de la fiche KSM-2026-0002")
    text = " ".join(flat(p) for p in pages_text(render_grant_sheet(demo, number, lang)))
    assert MARKS[lang][1] in text and MARKS[lang][0] not in text
    assert "KSM-2026-0002" in text
    if lang == "fr":
        assert "Dotation annulée le" in text and str(dt.date.today().year) in text
    assert SIGNATURE_BOX[lang] not in text


def test_a_validated_sheet_has_signatures_and_no_mark(demo: Services) -> None:
    number = chems_number(demo)
    demo.grants.transition(demo.grants.get_by_number(number).id, "validated")
    text = flat(pages_text(render_grant_sheet(demo, number, "fr"))[0])
    assert SIGNATURE_BOX["fr"] in text
    assert "BROUILLON" not in text and "ANNULÉE" not in text
