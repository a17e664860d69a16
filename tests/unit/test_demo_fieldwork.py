"""The field part of the demo portfolio matches the seed document's figures."""

from __future__ import annotations

import datetime as dt

from ksm_desktop.demo.portfolio import load_demo
from ksm_desktop.services import ListQuery, Services


def test_aqua_noor_households_towers_and_associations(demo: Services) -> None:
    aqua = demo.programmes.get_by_code("AQUA-NOOR").id
    households = demo.households.search(ListQuery(filters={"programme_id": aqua}, limit=None)).rows
    assert len(households) == 175
    assert len({h.location_name for h in households}) == 9 and {h.location_level for h in households} == {
        "tribe"
    }
    assert {h.commune for h in households} == {"Maatarka", "Tendrara"}
    assert all(h.head_cin and h.head_cin.startswith("ZZ") for h in households)
    assert all(
        sorted(e.purpose[:30] for e in h.equipment) == sorted({e.purpose[:30] for e in h.equipment})
        for h in households
    )
    assert {len(h.equipment) for h in households} == {2}
    progress = demo.households.equipment_progress(aqua)
    assert (progress.households, progress.equipped, progress.by_year()) == (175, 175, {2021: 135, 2022: 40})
    assert {p.quarter for p in progress.periods if p.year == 2022} == {1}
    towers = [
        g
        for g in demo.grants.search(ListQuery(filters={"programme_id": aqua}, limit=None)).rows
        if "château d'eau" in g.purpose
    ]
    assert len(towers) == 9 and {t.status for t in towers} == {"delivered"}
    assert len({t.recipient for t in towers}) == 9 and all(
        t.recipient.startswith("Association locale") for t in towers
    )


def test_tamkin_reach_and_ensemble_avancons_results(demo: Services) -> None:
    tamkin = demo.programmes.get_by_code("TAMKIN").id
    reach = demo.activities.reach(tamkin)
    assert (reach.direct, reach.organisations, reach.indirect) == (22, 11, 132)
    assert reach.direct_women + reach.direct_men == 22
    campaigns = demo.activities.search(ListQuery(filters={"kind": "campaign"}, limit=None)).rows
    assert {c.campaign for c in campaigns} == {
        "sos_winter",
        "ramadan",
        "eid_al_adha",
        "school_start",
        "orphan_sponsorship",
        "water_access",
    }
    ea = demo.programmes.get_by_code("EA").id
    results = demo.results.results_of(ea)
    assert [r.code for r in results] == ["R1", "R2", "R3", "R4", "R5", "R6"]
    assert results[3].statement.startswith(
        "Des Petits Entrepreneurs (hommes et femmes) Locaux (hors agriculture)"
    )
    assert any(row.progress is not None for row in demo.results.progress(ea))


def test_field_demo_is_idempotent(demo: Services) -> None:
    grants = demo.grants.search(ListQuery(limit=1)).total
    assert load_demo(demo).added == []
    assert demo.grants.search(ListQuery(limit=1)).total == grants == 4 + 350 + 9
    assert demo.activities.search(ListQuery(limit=1)).total == 1 + 6 + 1 + 11


def test_every_demo_grant_is_dated_in_its_programmes_period(demo: Services) -> None:
    """Not today: a demo loaded any day shows the same years and the same numbers."""
    periods = {p.code: (p.start_date, p.end_date) for p in demo.programmes.search(ListQuery(limit=100)).rows}
    grants = demo.grants.search(ListQuery(limit=1000)).rows
    assert len(grants) == 4 + 350 + 9
    outside = []
    for g in grants:
        start, end = periods[g.programme or ""]
        if not (start and end and g.grant_date and start <= g.grant_date <= end):
            outside.append((g.number, g.grant_date, g.programme, start, end))
    assert outside == []
    assert all(start and end for start, end in periods.values()), periods
    agr = demo.programmes.get_by_code("AGR-ERR").id
    rows = demo.grants.search(ListQuery(filters={"programme_id": agr}, sort="number")).rows
    assert [(g.number, g.recipient, g.grant_date) for g in rows] == [
        ("KSM-2023-0001", "Coopérative Chems Almaghreb", dt.date(2023, 4, 10)),
        ("KSM-2023-0002", "Coopérative Aghrum Pour l'Excellence", dt.date(2023, 10, 2)),
        ("KSM-2024-0001", "Coopérative Malika", dt.date(2024, 3, 4)),
        ("KSM-2024-0002", "Coopérative WEAM pour la solidarité", dt.date(2024, 9, 16)),
    ]
