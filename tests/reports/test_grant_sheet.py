"""The grant sheet read back from the PDF: what a donor or an auditor checks on paper."""

from __future__ import annotations

import dataclasses
import io
import struct
import zlib
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from ksm_desktop.i18n import current_language, set_language
from ksm_desktop.i18n.formatting import format_amount, format_decimal
from ksm_desktop.reports import render_grant_sheet, render_programme_sheets
from ksm_desktop.reports.grant_sheet import grant_sheets_pdf
from ksm_desktop.reports.layout import Doc
from ksm_desktop.services import Services
from ksm_desktop.services.dto import GrantInput, GrantItemInput
from ksm_desktop.services.settings import OrganisationProfile
from tests.reports.conftest import chems_number, flat, logical_text, pages_text

BASE14 = {
    "/Courier",
    "/Helvetica",
    "/Times-Roman",
    "/Symbol",
    "/ZapfDingbats",
    "/Helvetica-Bold",
    "/Times-Bold",
}


def test_french_sheet_of_chems_almaghreb(demo: Services) -> None:
    number = chems_number(demo)
    grant = demo.grants.transition(demo.grants.get_by_number(number).id, "validated")
    pages = pages_text(render_grant_sheet(demo, number, "fr"))
    assert len(pages) == 1
    text = flat(pages[0])
    for expected in (
        "FICHE DE DOTATION",
        f"N° {number}",
        "Coopérative Chems Almaghreb",
        "ODCO-CHEMS-DEMO",
        "AGR-ERR",
        "Gros œuvre du local (fondations, murs, dalle)",
        "21 000,00",
        "36 000,00",  # total in EUR
        flat(format_amount(grant.equivalent, "fr")),  # the MAD equivalent at the grant's rate
        "Taux de change : 1 EUR = " + format_decimal(grant.eur_mad_rate, "fr", places=4) + " MAD",
        "Arrêtée la présente fiche à la somme de : trente-six mille euros.",
        "Femmes : 150",
        "Hommes : 20",
        "Total : 170",
        "Le bénéficiaire s'engage à :",
        "Visa de l'autorité locale",
        "Page 1 / 1",
        "KSM Desktop",
        "Code de vérification",
    ):
        assert expected in text, expected
    # The Arabic equivalent of the amount in words, letters in logical order within each word.
    for word in ("ستة", "وثلاثون", "ألف", "يورو"):
        assert word in text


def test_the_arabic_amount_in_words_reads_in_logical_order(demo: Services) -> None:
    text = logical_text(render_grant_sheet(demo, chems_number(demo), "fr"))
    assert "ستة وثلاثون ألف يورو" in text


def test_english_sheet(demo: Services) -> None:
    text = flat(pages_text(render_grant_sheet(demo, chems_number(demo), "en"))[0])
    assert "GRANT SHEET" in text
    assert "This sheet is closed at the sum of: thirty-six thousand euros." in text


def test_arabic_sheet_is_arabic_with_names_in_logical_order(demo: Services) -> None:
    pdf = render_grant_sheet(demo, chems_number(demo), "ar")
    text = logical_text(pdf)
    for expected in (
        "بطاقة المنحة",
        "تعاونية شمس المغرب",
        "المستفيد",
        "حُصرت هذه البطاقة في مبلغ",
        "ستة وثلاثون ألف يورو",
    ):
        assert expected in text, expected
    assert "Coopérative Chems Almaghreb" in text  # the French name stays readable, left to right
    assert "trente-six mille euros" in text  # and the French amount in words as the equivalent


def test_document_language_does_not_change_the_apps(demo: Services) -> None:
    set_language("en")
    text = flat(pages_text(render_grant_sheet(demo, chems_number(demo), "fr"))[0])
    assert "Bénéficiaire" in text and current_language() == "en"
    default = flat(pages_text(render_grant_sheet(demo, chems_number(demo)))[0])
    assert "Recipient" in default  # no language given: the app's


def test_fonts_are_embedded_never_base14(demo: Services) -> None:
    for lang in ("fr", "ar"):
        reader = PdfReader(io.BytesIO(render_grant_sheet(demo, chems_number(demo), lang)))
        fonts = reader.pages[0]["/Resources"]["/Font"]
        assert len(fonts) >= 3
        for ref in fonts.values():
            font = ref.get_object()
            assert font["/BaseFont"] not in BASE14
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            assert "/FontFile2" in descendant["/FontDescriptor"].get_object(), font["/BaseFont"]


def _long_grant(services: Services, items: int) -> str:
    org = services.organisations.get_by_code("MALIKA").id
    grant = services.grants.create(
        GrantInput(
            purpose="Équipement complet d'un atelier de couture",
            organisation_id=org,
            items=[
                GrantItemInput(
                    f"Article {n} — machine ou fourniture d'atelier", Decimal(n % 4 + 1), Decimal("12.50")
                )
                for n in range(1, items + 1)
            ],
        )
    )
    return grant.number


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_sixty_items_span_pages_with_the_header_row_repeated(demo: Services, lang: str) -> None:
    number = _long_grant(demo, 60)
    pages = pages_text(render_grant_sheet(demo, number, lang))
    assert len(pages) >= 2
    heading = "Désignation" if lang == "fr" else "البيان"
    for n, page in enumerate(pages, start=1):
        if "Article" in page:
            assert heading in page, f"page {n} has items but no header row"
    assert "Article 60" in flat(" ".join(pages))
    if lang == "fr":
        assert f"Page 1 / {len(pages)}" in flat(pages[0]) and f"Page {len(pages)} / {len(pages)}" in flat(
            pages[-1]
        )


def test_missing_logo_or_empty_profile_still_prints(demo: Services) -> None:
    grant = demo.grants.get_by_number(chems_number(demo))
    for profile in (
        OrganisationProfile(logo_path="/no/such/logo.png"),
        OrganisationProfile(name="", name_ar="", address="", phone="", email="", logo_path=""),
    ):
        pages = pages_text(grant_sheets_pdf(Doc.create(profile, "fr"), [grant]))
        assert "FICHE DE DOTATION" in pages[0]


def _png(path: Path) -> Path:
    """A 2×2 blue PNG written by hand."""
    raw = b"".join(b"\x00" + b"\x1f\x4e\x79" * 2 for _ in range(2))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    return path


def test_logo_and_contacts_in_the_header(demo: Services, tmp_path: Path) -> None:
    profile = OrganisationProfile(
        address="12 rue Al Massira, Errachidia",
        phone="+212535000000",
        logo_path=str(_png(tmp_path / "logo.png")),
    )
    pdf = grant_sheets_pdf(Doc.create(profile, "fr"), [demo.grants.get_by_number(chems_number(demo))])
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert any(x.get_object()["/Subtype"] == "/Image" for x in page["/Resources"]["/XObject"].values())
    text = flat(pages_text(pdf)[0])
    assert "12 rue Al Massira, Errachidia" in text and "Tél. : +212535000000" in text


def test_a_programme_prints_every_sheet_numbered_on_its_own(demo: Services) -> None:
    pages = [flat(p) for p in pages_text(render_programme_sheets(demo, "AGR-ERR", "fr"))]
    assert len(pages) == 4
    assert all("Page 1 / 1" in page for page in pages)
    assert {"Chems Almaghreb", "Aghrum", "Malika", "WEAM"} <= {
        name for name in ("Chems Almaghreb", "Aghrum", "Malika", "WEAM") if any(name in p for p in pages)
    }


def test_draft_status_is_printed(demo: Services) -> None:
    text = flat(pages_text(render_grant_sheet(demo, chems_number(demo), "fr"))[0])
    assert "Statut : Brouillon" in text


def test_letterhead_has_the_legal_identifiers_and_long_sheets_an_initials_box(demo: Services) -> None:
    doc = Doc.create(
        OrganisationProfile(legal_receipt="2019/45", tax_id="40212345", ice="001234567000089"), "fr"
    )
    long_grant = demo.grants.get_by_number(_long_grant(demo, 60))
    pages = [flat(p) for p in pages_text(grant_sheets_pdf(doc, [long_grant]))]
    assert len(pages) >= 2
    for page in pages:
        assert "Récépissé n° 2019/45 · IF 40212345 · ICE 001234567000089" in page
        assert "Paraphes" in page
    one_page = flat(pages_text(grant_sheets_pdf(doc, [demo.grants.get_by_number(chems_number(demo))]))[0])
    assert "Paraphes" not in one_page


def _arabic_font_programs(pdf: bytes) -> list[bytes]:
    """The embedded programs of the Arabic faces, in the order of their names."""
    fonts = PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"]
    arabic = sorted((f.get_object() for f in fonts.values()), key=lambda f: str(f["/BaseFont"]))
    return [
        f["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()
        for f in arabic
        if "NotoNaskhArabic" in f["/BaseFont"]
    ]


def test_arabic_sheets_embed_the_same_arabic_fonts_and_any_letter_beyond(demo: Services) -> None:
    """Every Arabic sheet carries the whole Arabic alphabet in the same font programs (made once
    for all the sheets printed), whatever its names and words; a letter beyond it, such as the
    Moroccan gaf of a douar's name, is embedded too and reads back."""
    grants = [demo.grants.get(r.id) for r in demo.grants.search().rows[:2]]
    doc = Doc.create(demo.settings.profile(), "ar")
    first, second = (_arabic_font_programs(grant_sheets_pdf(doc, [g])) for g in grants)
    assert len(first) == 2 and first == second
    recipient = dataclasses.replace(grants[0].recipient, name_ar="تعاونية أݣادير")
    pdf = grant_sheets_pdf(doc, [dataclasses.replace(grants[0], recipient=recipient)])
    assert "تعاونية أݣادير" in logical_text(pdf)
    assert _arabic_font_programs(pdf) != first
