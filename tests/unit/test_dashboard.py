"""Dashboard figures against sums computed by hand from the seed portfolio (PRODUCT.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from ksm_desktop.domain.dashboard import DashboardFilter, GroupTotal, SexCount
from ksm_desktop.domain.errors import ValidationError
from ksm_desktop.services import ListQuery, Services
from ksm_desktop.services.dto import GrantInput, GrantItemInput

# AGR-ERR drafts: Chems 36,000 + Aghrum 7,000 + Malika 8,000 + WEAM 14,200 €, each at the demo rate 10.85.
FAMILIES = 1072  # members of the 175 AQUA-NOOR households (demo)
AGR_EUR = D("65200.00")
AGR_MAD = D("390600.00") + D("75950.00") + D("86800.00") + D("154070.00")
# AQUA-NOOR, delivered: 175 latrines (780 €) + 175 solar kits (540 + 4 × 12.50 = 590 €) in 2021,
# 9 water towers (14,500 + 7,800 = 22,300 €) in 2022; MAD per grant: 8,463.00, 6,401.50, 241,955.00.
AQUA_2021, AQUA_2022 = 175 * D("1370.00"), 9 * D("22300.00")
AQUA_EUR = AQUA_2021 + AQUA_2022
AQUA_MAD = 175 * D("8463.00") + 175 * D("6401.50") + 9 * D("241955.00")
EUR_TOTAL, MAD_TOTAL = AGR_EUR + AQUA_EUR, AGR_MAD + AQUA_MAD


def test_demo_portfolio_figures(demo: Services) -> None:
    d = demo.dashboard.figures()
    assert {k.kind: k.count for k in d.organisations_by_kind} == {
        "association": 4 + 9 + 11,  # ATDC, AMANE, ATTAWASSOL, KARAMA-FEMME; AQUA-NOOR's 9; TAMKIN's 11
        "cooperative": 4,
        "donor": 3,  # DGD, IRNL, KSB
        "partner": 2,  # KIYO, Congodorpen
    }
    assert d.organisations == 33
    # cooperatives' members, then TAMKIN's 22 representatives (one woman, one man per association)
    assert d.members == SexCount(women=14 + 11 + 12 + 9 + 11, men=4 + 0 + 10 + 6 + 11)
    # AQUA-NOOR's 175 families (1,072 people, two grants each, counted once) are direct beneficiaries
    assert d.beneficiaries == SexCount(women=150 + 11 + 172, men=20 + 168, unspecified=400 + FAMILIES)
    by_status = {s.status: s for s in d.grants_by_status}
    draft, delivered = by_status["draft"], by_status["delivered"]
    assert (draft.count, draft.total_eur, draft.total_mad) == (4, AGR_EUR, AGR_MAD)
    assert (delivered.count, delivered.total_eur, delivered.total_mad) == (175 * 2 + 9, AQUA_EUR, AQUA_MAD)
    assert d.granted("EUR") == EUR_TOTAL == D("505650.00")
    assert d.granted("MAD") == MAD_TOTAL == D("5486302.50")
    programmes = {p.code: p for p in d.programmes}
    assert (programmes["AGR-ERR"].budget, programmes["AGR-ERR"].granted) == (D("65200.00"), AGR_EUR)
    assert programmes["AGR-ERR"].beneficiaries.total == d.beneficiaries.total - FAMILIES
    assert programmes["AQUA-NOOR"].beneficiaries == SexCount(0, 0, FAMILIES)
    assert (programmes["AQUA-NOOR"].budget, programmes["AQUA-NOOR"].granted) == (D("600000.00"), AQUA_EUR)
    assert set(programmes) == {"TED", "EA", "AQUA-NOOR", "TAMKIN", "AGR-ERR"}
    assert d.by_sector == (
        GroupTotal("Couscous", 1, D("36000.00")),
        GroupTotal("Couture et broderie", 1, D("8000.00")),
        GroupTotal("Pain et produits du terroir", 1, D("7000.00")),
        GroupTotal("Pain traditionnel", 1, D("14200.00")),
        GroupTotal(None, 359, AQUA_EUR),  # households and new associations have no sector
    )
    # AQUA-NOOR's households and associations are placed by their tribe, in Figuig
    province = {name: demo.locations.find(name, "province").id for name in ("Errachidia", "Figuig")}  # type: ignore[union-attr]
    assert d.by_province == (
        GroupTotal("Errachidia", 4, AGR_EUR, province["Errachidia"]),  # its id, for the grants list
        GroupTotal("Figuig", 359, AQUA_EUR, province["Figuig"]),
    )
    assert d.by_year == (
        GroupTotal("2021", 350, AQUA_2021),
        GroupTotal("2022", 9, AQUA_2022),
        GroupTotal("2023", 2, D("43000.00")),  # the demo's cooperative grants, in their programme's years
        GroupTotal("2024", 2, D("22200.00")),
    )


def test_each_grant_is_converted_with_its_own_rate(demo: Services) -> None:
    weam = demo.organisations.get_by_code("WEAM").id
    agr = demo.programmes.get_by_code("AGR-ERR").id
    for amount, rate in (("10850.00", "10.8500"), ("100.00", "10.8000")):
        demo.grants.create(
            GrantInput(
                purpose="Fournitures",
                programme_id=agr,
                organisation_id=weam,
                currency="MAD",
                eur_mad_rate=D(rate),
                items=[GrantItemInput("Lot", D("1"), D(amount))],
            )
        )
    d = demo.dashboard.figures()
    # 10,850 MAD / 10.85 = 1,000.00 €; 100 MAD / 10.80 = 9.259… → 9.26 € (half up, like the grant sheet)
    assert d.granted("EUR") == EUR_TOTAL + D("1000.00") + D("9.26")
    assert d.granted("MAD") == MAD_TOTAL + D("10950.00")
    programme = next(p for p in d.programmes if p.code == "AGR-ERR")
    assert programme.granted == AGR_EUR + D("1009.26")


def test_cancelled_grants_count_in_their_status_only(demo: Services) -> None:
    agr = demo.programmes.get_by_code("AGR-ERR").id
    chems = demo.grants.search(ListQuery(filters={"programme_id": agr}, sort="number")).rows[0]
    demo.grants.transition(chems.id, "cancelled", note="Projet abandonné")
    d = demo.dashboard.figures()
    cancelled = next(s for s in d.grants_by_status if s.status == "cancelled")
    assert (cancelled.count, cancelled.total_eur) == (1, D("36000.00"))
    assert d.granted("EUR") == EUR_TOTAL - D("36000.00")
    assert d.grant_count == 3 + 359
    assert d.beneficiaries == SexCount(women=11 + 172, men=168, unspecified=400 + FAMILIES)
    assert all(g.key != "Couscous" for g in d.by_sector)


def test_programme_filter(demo: Services) -> None:
    aqua = demo.programmes.get_by_code("AQUA-NOOR").id
    d = demo.dashboard.figures(DashboardFilter(programme_id=aqua))
    # KSB and IRNL, and the 9 associations that received the water towers
    assert {k.kind: k.count for k in d.organisations_by_kind} == {"donor": 2, "association": 9}
    assert d.members == SexCount(0, 0)
    assert d.grant_count == 359 and d.granted("EUR") == AQUA_EUR
    assert [p.code for p in d.programmes] == ["AQUA-NOOR"]
    agr = demo.dashboard.figures(DashboardFilter(programme_id=demo.programmes.get_by_code("AGR-ERR").id))
    assert agr.members == SexCount(46, 20) and agr.granted("EUR") == AGR_EUR


def test_period_filter(demo: Services) -> None:
    today = dt.date.today()
    before = demo.dashboard.figures(DashboardFilter(date_to=dt.date(2022, 12, 31)))
    assert before.grant_count == 359 and before.granted("EUR") == AQUA_EUR
    assert before.beneficiaries.total == FAMILIES  # the families equipped by the end of AQUA-NOOR
    during = demo.dashboard.figures(DashboardFilter(date_from=dt.date(2023, 1, 1), date_to=today))
    assert during.granted("EUR") == AGR_EUR and during.beneficiaries.total == 921
    year_2021 = demo.dashboard.figures(
        DashboardFilter(date_from=dt.date(2021, 1, 1), date_to=dt.date(2021, 12, 31))
    )
    assert (year_2021.grant_count, year_2021.granted("EUR")) == (350, AQUA_2021)
    with pytest.raises(ValidationError):
        demo.dashboard.figures(DashboardFilter(date_from=today, date_to=today - dt.timedelta(days=1)))


def test_empty_database(services: Services) -> None:
    d = services.dashboard.figures()
    assert d.organisations == 0 and d.members.total == 0 and d.granted("MAD") == 0
    assert d.programmes == () and d.by_year == ()
