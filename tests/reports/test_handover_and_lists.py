"""Handover certificate and signature list, read back from the PDF."""

from __future__ import annotations

import pytest

from ksm_desktop.domain.enums import Sex
from ksm_desktop.domain.errors import ConflictError
from ksm_desktop.i18n import translate_in
from ksm_desktop.reports import render_handover, render_member_list
from ksm_desktop.reports.layout import Doc
from ksm_desktop.reports.signature_list import Participant, signature_list_pdf
from ksm_desktop.services import Services
from ksm_desktop.services.settings import OrganisationProfile
from tests.reports.conftest import chems_number, flat, logical_text, pages_text


def test_handover_of_a_delivered_grant(delivered: tuple[Services, str]) -> None:
    services, number = delivered
    text = flat(" ".join(pages_text(render_handover(services, number, "fr"))))
    for expected in (
        "PROCÈS-VERBAL DE REMISE",
        number,
        "Errachidia, siège de la coopérative",
        "Rachida Ait Baha",
        "ZZ100008",
        "Présidente",
        "Gros œuvre du local (fondations, murs, dalle)",
        translate_in("fr", "Received by"),
        "Remis par (KSM)",
    ):
        assert expected in text, expected


def test_arabic_handover(delivered: tuple[Services, str]) -> None:
    services, number = delivered
    text = logical_text(render_handover(services, number, "ar"))
    assert "محضر التسليم" in text and "تعاونية شمس المغرب" in text and "Rachida Ait Baha" in text


def test_no_handover_before_delivery(demo: Services) -> None:
    with pytest.raises(ConflictError, match="delivered"):
        render_handover(demo, chems_number(demo), "fr")


def test_member_list_of_malika(demo: Services) -> None:
    org = demo.organisations.get_by_code("MALIKA")
    members = demo.persons.members_of(org.id)
    pages = [flat(p) for p in pages_text(render_member_list(demo, org.id, "fr"))]
    text = " ".join(pages)
    assert "LISTE D'ÉMARGEMENT" in pages[0] and "Coopérative Malika" in pages[0]
    assert all(m.cin and m.cin in text for m in members)
    assert all(m.last_name in text for m in members)
    assert f"Nombre de personnes : {len(members)}" in text
    total = len(pages)
    assert total >= 2  # 22 members with room to sign
    for n, page in enumerate(pages, start=1):
        assert f"Page {n} / {total}" in page
        assert "Signature" in page  # the header row on every page


def test_member_list_in_arabic_has_arabic_names(demo: Services) -> None:
    org = demo.organisations.get_by_code("MALIKA")
    members = demo.persons.members_of(org.id)
    text = logical_text(render_member_list(demo, org.id, "ar"))
    assert "لائحة التوقيعات" in text and "تعاونية مليكة" in text
    assert all(m.full_name_ar and m.full_name_ar in text for m in members)
    assert all(label in text for label in (Sex.FEMALE.label_in("ar"), Sex.MALE.label_in("ar")))


def test_any_participants_with_title_and_date() -> None:
    import datetime as dt

    doc = Doc.create(OrganisationProfile(), "fr")
    pdf = signature_list_pdf(
        doc,
        [
            Participant("Ouhaddou Fatima", "فاطمة أوحدو", "ZZ000001", "F", "+212600000001"),
            Participant("Sans Cin"),
        ],
        subtitle="Atelier de restitution TAMKIN",
        reference="TAMKIN",
        title="Formation en gestion associative",
        date=dt.date(2026, 3, 14),
    )
    text = flat(pages_text(pdf)[0])
    assert "Objet : Formation en gestion associative" in text
    assert "Date : 14 mars 2026" in text
    assert "ZZ000001" in text and "Sans Cin" in text and "Page 1 / 1" in text
