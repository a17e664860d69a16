"""The donor report of a programme: figures a donor checks, in French and Arabic, from the CLI and GUI."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pytest

from ksm_desktop.cli import main
from ksm_desktop.domain.errors import NotFoundError
from ksm_desktop.reports.programme_report import render_programme_report
from ksm_desktop.services import Services
from tests.reports.conftest import chems_number, flat, logical_text, pages_text


def text_of(pdf: bytes) -> str:
    return flat(" ".join(pages_text(pdf)))


def test_aqua_noor_in_french_gives_budget_donors_and_field_figures(demo: Services) -> None:
    pdf = render_programme_report(demo, "AQUA-NOOR", "fr")
    text = text_of(pdf)
    assert "RAPPORT DE PROGRAMME" in text and "AQUA-NOOR" in text
    assert "Karama Solidarity Belgique" in text and "Islamic Relief Nederland" in text
    assert "600 000,00 EUR" in text  # the budget
    assert "440 450,00 EUR" in text and "73,4 %" in text  # granted, share of the budget consumed
    assert "175 ménages équipés sur 175." in text  # households equipped: 135 in 2021, 40 in Q1 2022
    assert "Maatarka, Figuig, L'Oriental" in text and "Tendrara, Figuig, L'Oriental" in text
    assert "Accordé en EUR (dotations validées, livrées, clôturées) 440 450,00" in text
    # Households equipped are direct beneficiaries: their members, sex not recorded.
    assert "Bénéficiaires directs" in text and "0 Bénéficiaires directs" not in text
    assert "cycle TAMKIN" not in text and "Formation" in text
    assert "Page 1 / " in text and "KSM Desktop" in text


def test_agr_err_grants_table_adds_up_the_four_cooperatives(demo: Services) -> None:
    text = text_of(render_programme_report(demo, "AGR-ERR", "fr"))
    for name in ("Chems Almaghreb", "Aghrum", "Malika", "WEAM"):
        assert name in text
    for amount in ("36 000,00 EUR", "7 000,00 EUR", "8 000,00 EUR", "14 200,00 EUR"):
        assert amount in text
    # Its four grants are drafts: nothing granted yet, 65 200 EUR in preparation.
    assert "Montant accordé (EUR) 0,00 EUR" in text and "100,0 %" not in text and "0,0 %" in text
    assert "En préparation, brouillons (EUR) 65 200,00 EUR" in text and "4 en préparation" in text
    assert "Veuve" in text  # Aghrum's 11 widows: vulnerability of members


def test_ensemble_avancons_targets_by_sex_and_indicators(demo: Services) -> None:
    text = text_of(render_programme_report(demo, "EA", "fr"))
    assert "Femmes 4 176" in text and "Hommes 4 224" in text and "Total 8 400" in text
    assert "Direction Générale Coopération au Développement" in text and "Congodorpen" in text
    assert "Oum Jniba – douar 5" in text  # the tenth douar of the zones
    assert "87,4 %" in text  # R1.1: 7,340 of 8,400 people
    # no grant: a valid report that says so
    assert "Aucune dotation n'a encore été accordée dans le cadre de ce programme." in text


def test_only_committed_grants_count_as_granted_and_reached(demo: Services) -> None:
    agr = demo.programmes.get_by_code("AGR-ERR")
    before = demo.figures.direct_beneficiaries(agr.id)
    assert before.total == 0  # four drafts reach no one yet
    demo.grants.transition(demo.grants.get_by_number(chems_number(demo)).id, "validated")
    after = demo.figures.direct_beneficiaries(agr.id)
    assert (after.women, after.men) == (150, 20)
    text = text_of(render_programme_report(demo, "AGR-ERR", "fr"))
    assert "Montant accordé (EUR) 36 000,00 EUR" in text and "55,2 %" in text
    assert "Sexe non précisé" in text


def test_households_count_as_direct_beneficiaries(demo: Services) -> None:
    aqua = demo.figures.direct_beneficiaries(demo.programmes.get_by_code("AQUA-NOOR").id)
    assert aqua.households == 175 and aqua.total > 175


def test_arabic_report_reads_in_logical_order(demo: Services) -> None:
    pdf = render_programme_report(demo, "AGR-ERR", "ar")
    text = logical_text(pdf)
    for label in (
        "تقرير البرنامج",
        "استهلاك الميزانية",
        "المنح حسب المستفيد",
        "الأنشطة المدرة للدخل والتعاونيات",
    ):
        assert unicodedata.normalize("NFKC", label) in text
    assert "تعاونية شمس المغرب" in text  # recipient names in Arabic
    assert "65.200,00" in text


def test_unknown_programme_is_refused(demo: Services) -> None:
    with pytest.raises(NotFoundError, match="NOPE"):
        render_programme_report(demo, "NOPE", "fr")


def test_programme_with_nothing_recorded_still_gives_a_report(services: Services) -> None:
    from ksm_desktop.services.dto import ProgrammeInput

    services.programmes.create(ProgrammeInput(code="NEW", name="Nouveau programme"))
    pages = pages_text(render_programme_report(services, "NEW", "en"))
    assert len(pages) == 1 and "Nouveau programme" in pages[0]
    assert "No grant has been made under this programme yet." in pages[0]


def test_cli_writes_the_report_and_refuses_an_unknown_code(
    db_args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*db_args, "demo"]) == 0
    out = tmp_path / "agr.pdf"
    assert main([*db_args, "print-report", "--programme", "AGR-ERR", "--lang", "fr", "--out", str(out)]) == 0
    assert "RAPPORT DE PROGRAMME" in pages_text(out.read_bytes())[0]
    capsys.readouterr()
    bad = tmp_path / "out" / "x.pdf"
    bad.parent.mkdir()
    assert main([*db_args, "print-report", "--programme", "NOPE", "--out", str(bad)]) == 1
    err = capsys.readouterr().err.strip()
    assert "NOPE" in err and len(err.splitlines()) == 1
    assert list(bad.parent.iterdir()) == []


def test_gui_opens_the_report(qtbot: Any, demo: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    from ksm_desktop.ui import printing

    opened: list[Path] = []
    monkeypatch.setattr(printing, "show_preview", lambda _parent, path, _name: opened.append(path))
    printing.print_programme_report(None, demo, "EA", "en")
    qtbot.waitUntil(lambda: bool(opened), timeout=20000)
    assert "PROGRAMME REPORT" in pages_text(opened[0].read_bytes())[0]


def test_programme_grants_convert_each_grant_at_its_own_rate(demo: Services) -> None:
    from decimal import Decimal

    from ksm_desktop.services.dto import GrantInput, GrantItemInput

    agr = demo.programmes.get_by_code("AGR-ERR").id
    malika = demo.organisations.get_by_code("MALIKA").id
    demo.grants.create(
        GrantInput(
            purpose="Tissus",
            programme_id=agr,
            organisation_id=malika,
            currency="MAD",
            eur_mad_rate=Decimal("10.0000"),
            items=[GrantItemInput("Tissu", Decimal("10"), Decimal("100.00"))],
        )
    )
    lines = demo.figures.programme_grants(agr)
    assert len(lines) == 5 and sum(g.total_eur for g in lines) == Decimal("65300.00")
    mad = next(g for g in lines if g.currency == "MAD")
    assert (mad.total, mad.total_eur, mad.recipient) == (
        Decimal("1000.00"),
        Decimal("100.00"),
        "Coopérative Malika",
    )
    text = text_of(render_programme_report(demo, "AGR-ERR", "fr"))
    assert "1 000,00 MAD" in text and "En préparation, brouillons (EUR) 65 300,00 EUR" in text


def test_the_report_names_no_font_it_does_not_embed(demo: Services) -> None:
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(render_programme_report(demo, "AGR-ERR", "ar")))
    names = {
        str(ref.get_object()["/BaseFont"])
        for page in reader.pages
        for ref in page["/Resources"]["/Font"].values()
    }
    assert names and not any("Helvetica" in name for name in names)
