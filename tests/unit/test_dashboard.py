"""Dashboard figures against sums computed by hand from the seed portfolio (PRODUCT.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from ksm_desktop.domain.errors import ValidationError
from ksm_desktop.services import Services
from ksm_desktop.services.dashboard import DashboardFilter, GroupTotal, SexCount
from ksm_desktop.services.dto import GrantInput, GrantItemInput

# Chems 36,000 + Aghrum 7,000 + Malika 8,000 + WEAM 14,200 €, each converted at the demo rate 10.85.
EUR_TOTAL = D("65200.00")
MAD_TOTAL = D("390600.00") + D("75950.00") + D("86800.00") + D("154070.00")


def test_demo_portfolio_figures(demo: Services) -> None:
    d = demo.dashboard.figures()
    assert {k.kind: k.count for k in d.organisations_by_kind} == {
        "association": 4,  # ATDC, AMANE, ATTAWASSOL, KARAMA-FEMME
        "cooperative": 4,
        "donor": 3,  # DGD, IRNL, KSB
        "partner": 2,  # KIYO, Congodorpen
    }
    assert d.organisations == 13
    assert d.members == SexCount(women=14 + 11 + 12 + 9, men=4 + 0 + 10 + 6)
    assert d.beneficiaries == SexCount(women=150 + 11 + 172, men=20 + 168, unspecified=400)
    draft = d.grants_by_status[0]
    assert (draft.status, draft.count, draft.total_eur, draft.total_mad) == ("draft", 4, EUR_TOTAL, MAD_TOTAL)
    assert all(s.count == 0 for s in d.grants_by_status[1:])
    assert d.granted("EUR") == EUR_TOTAL and d.granted("MAD") == MAD_TOTAL == D("707420.00")
    programmes = {p.code: p for p in d.programmes}
    assert (programmes["AGR-ERR"].budget, programmes["AGR-ERR"].granted) == (D("65200.00"), EUR_TOTAL)
    assert programmes["AGR-ERR"].beneficiaries == d.beneficiaries
    assert (programmes["AQUA-NOOR"].budget, programmes["AQUA-NOOR"].granted) == (D("600000.00"), D("0.00"))
    assert set(programmes) == {"TED", "EA", "AQUA-NOOR", "TAMKIN", "AGR-ERR"}
    assert d.by_sector == (
        GroupTotal("Couscous", 1, D("36000.00")),
        GroupTotal("Couture et broderie", 1, D("8000.00")),
        GroupTotal("Pain et produits du terroir", 1, D("7000.00")),
        GroupTotal("Pain traditionnel", 1, D("14200.00")),
    )
    assert d.by_province == (GroupTotal("Errachidia", 4, EUR_TOTAL),)
    assert d.by_year == (GroupTotal(str(dt.date.today().year), 4, EUR_TOTAL),)


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
    assert programme.granted == EUR_TOTAL + D("1009.26")


def test_cancelled_grants_count_in_their_status_only(demo: Services) -> None:
    chems = demo.grants.search().rows[0]
    demo.grants.transition(chems.id, "cancelled", note="Projet abandonné")
    d = demo.dashboard.figures()
    cancelled = next(s for s in d.grants_by_status if s.status == "cancelled")
    assert (cancelled.count, cancelled.total_eur) == (1, D("36000.00"))
    assert d.granted("EUR") == EUR_TOTAL - D("36000.00")
    assert d.grant_count == 3
    assert d.beneficiaries == SexCount(women=11 + 172, men=168, unspecified=400)
    assert all(g.key != "Couscous" for g in d.by_sector)


def test_programme_filter(demo: Services) -> None:
    aqua = demo.programmes.get_by_code("AQUA-NOOR").id
    d = demo.dashboard.figures(DashboardFilter(programme_id=aqua))
    assert {k.kind: k.count for k in d.organisations_by_kind} == {"donor": 2}  # KSB and IRNL
    assert d.members == SexCount(0, 0)
    assert d.grant_count == 0 and d.granted("EUR") == 0
    assert [p.code for p in d.programmes] == ["AQUA-NOOR"]
    agr = demo.dashboard.figures(DashboardFilter(programme_id=demo.programmes.get_by_code("AGR-ERR").id))
    assert agr.members == SexCount(46, 20) and agr.granted("EUR") == EUR_TOTAL


def test_period_filter(demo: Services) -> None:
    today = dt.date.today()
    before = demo.dashboard.figures(DashboardFilter(date_to=today - dt.timedelta(days=1)))
    assert before.grant_count == 0 and before.beneficiaries.total == 0
    during = demo.dashboard.figures(DashboardFilter(date_from=today, date_to=today))
    assert during.granted("EUR") == EUR_TOTAL
    with pytest.raises(ValidationError):
        demo.dashboard.figures(DashboardFilter(date_from=today, date_to=today - dt.timedelta(days=1)))


def test_empty_database(services: Services) -> None:
    d = services.dashboard.figures()
    assert d.organisations == 0 and d.members.total == 0 and d.granted("MAD") == 0
    assert d.programmes == () and d.by_year == ()
