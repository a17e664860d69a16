"""Households, bulk grants, activities, results framework and AGR visits: bad inputs first."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from ksm_desktop.db.models import Grant
from ksm_desktop.db.models_fieldwork import Household, Visit
from ksm_desktop.domain.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from ksm_desktop.services import Actor, ListQuery, Services
from ksm_desktop.services.dto import (
    GrantInput,
    GrantItemInput,
    OrganisationInput,
    PersonInput,
    ProgrammeInput,
)
from ksm_desktop.services.dto_fieldwork import (
    ActivityInput,
    HouseholdAllocation,
    HouseholdInput,
    IndicatorInput,
    MeasurementInput,
    VisitInput,
)

D = Decimal
TODAY = dt.date.today()


def _count(s: Services, model: type) -> int:
    with s.db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
def field(services: Services) -> dict[str, int]:
    """A commune with a tribe, a programme, three people and an association."""
    figuig = services.locations.find("Figuig", "province")
    assert figuig is not None
    commune = services.locations.add("commune", "Tendrara", figuig.id).id
    ids = {
        "commune": commune,
        "tribe": services.locations.add("tribe", "Ouled Tafrat", commune).id,
        "programme": services.programmes.create(ProgrammeInput(code="AQN", name="AQUA-NOOR")).id,
        "assoc": services.organisations.create(
            OrganisationInput(kind="association", name="Association Tifawin")
        ).id,
    }
    for n, (first, sex) in enumerate((("Moha", "M"), ("Itto", "F"), ("Said", "M")), start=1):
        ids[f"p{n}"] = services.persons.create(
            PersonInput(first_name=first, last_name="Tafrani", sex=sex, cin=f"ZZ90000{n}")
        ).id
    return ids


def _household(s: Services, f: dict[str, int], head: str = "p1", **kw: object) -> int:
    data = HouseholdInput(head_id=f[head], size=6, location_id=f["tribe"], programme_id=f["programme"])
    for key, value in kw.items():
        setattr(data, key, value)
    return s.households.create(data).id


def _latrine(f: dict[str, int], **kw: object) -> GrantInput:
    data = GrantInput(
        purpose="Bloc sanitaire",
        programme_id=f["programme"],
        grant_date=dt.date(2021, 2, 1),
        items=[GrantItemInput("Latrine", D("1"), D("780"))],
    )
    for key, value in kw.items():
        setattr(data, key, value)
    return data


# --- households ----------------------------------------------------------------------------------


def test_household_rules(services: Services, field: dict[str, int]) -> None:
    with pytest.raises(ValidationError) as exc:
        _household(services, field, size=0)
    assert exc.value.field == "size"
    with pytest.raises(NotFoundError):
        _household(services, field, head_id=9999)
    with pytest.raises(ValidationError) as exc:
        _household(services, field, location_id=field["commune"])
    assert exc.value.field == "location"
    first = _household(services, field, code="aqn-001")
    with pytest.raises(ConflictError) as exc:
        _household(services, field)  # the same head
    assert exc.value.field == "head"
    with pytest.raises(ConflictError):
        _household(services, field, head="p2", code="AQN-001")
    with pytest.raises(ValidationError) as exc:
        services.households.bulk_create(
            [HouseholdInput(field["p2"], 4, field["tribe"]), HouseholdInput(field["p3"], -1, field["tribe"])]
        )
    assert exc.value.message.startswith("Row 2:")
    assert _count(services, Household) == 1
    dto = services.households.get(first)
    assert (dto.code, dto.head_name, dto.location_level, dto.commune) == (
        "AQN-001",
        "Moha Tafrani",
        "tribe",
        "Tendrara",
    )
    generated = _household(services, field, head="p2")
    assert services.households.get(generated).code == f"FAM-{generated:05d}"
    assert [r.code for r in services.households.search(ListQuery(text="itto")).rows] == [
        f"FAM-{generated:05d}"
    ]
    with pytest.raises(PermissionDeniedError):
        Services(services.db, Actor("guest", "readonly")).households.create(
            HouseholdInput(field["p3"], 3, field["tribe"])
        )


def test_bulk_grant_to_households_is_all_or_nothing(services: Services, field: dict[str, int]) -> None:
    h1, h2 = _household(services, field), _household(services, field, head="p2")
    bad_cases: list[tuple[GrantInput, list[HouseholdAllocation], type[Exception]]] = [
        (_latrine(field, organisation_id=field["assoc"]), [HouseholdAllocation(h1)], ValidationError),
        (_latrine(field), [], ValidationError),
        (_latrine(field, items=[]), [HouseholdAllocation(h1)], ValidationError),
        (_latrine(field), [HouseholdAllocation(h1), HouseholdAllocation(h1)], ConflictError),
        (_latrine(field), [HouseholdAllocation(h1, TODAY + dt.timedelta(days=1))], ValidationError),
        (_latrine(field), [HouseholdAllocation(h1, dt.date(2021, 1, 1))], ValidationError),
        (_latrine(field), [HouseholdAllocation(h1), HouseholdAllocation(9999)], NotFoundError),
        (_latrine(field, programme_id=9999), [HouseholdAllocation(h1)], NotFoundError),
    ]
    for data, allocations, error in bad_cases:
        with pytest.raises(error):
            services.households.grant_to_households(data, allocations)
    assert _count(services, Grant) == 0
    numbers = services.households.grant_to_households(
        _latrine(field), [HouseholdAllocation(h1, dt.date(2021, 5, 2)), HouseholdAllocation(h2)]
    )
    assert numbers == ["KSM-2021-0001", "KSM-2021-0002"]
    delivered = services.grants.get_by_number(numbers[0])
    assert (delivered.status, delivered.delivered_on, delivered.received_by_cin) == (
        "delivered",
        dt.date(2021, 5, 2),
        "ZZ900001",
    )
    assert [e.status for e in delivered.events] == ["draft", "validated", "delivered"]
    assert (delivered.recipient.household_id, delivered.recipient.name) == (h1, "Moha Tafrani")
    assert services.grants.get_by_number(numbers[1]).status == "draft"
    rows = services.grants.search(ListQuery(filters={"household_id": h2})).rows
    assert [(r.number, r.recipient) for r in rows] == [("KSM-2021-0002", "Itto Tafrani")]
    assert services.grants.search(ListQuery(text="tafrani")).total == 2
    with pytest.raises(ConflictError):
        services.households.delete(h1)
    with pytest.raises(ConflictError):
        services.persons.delete(field["p1"])  # heads a household


def test_a_grant_has_exactly_one_recipient(services: Services, field: dict[str, int]) -> None:
    h1 = _household(services, field)
    with pytest.raises(ValidationError) as exc:
        services.grants.create(_latrine(field, household_id=h1, person_id=field["p1"]))
    assert exc.value.field == "recipient"
    with pytest.raises(NotFoundError):
        services.grants.create(_latrine(field, household_id=9999))
    grant = services.grants.create(_latrine(field, household_id=h1))
    assert grant.recipient.code == services.households.get(h1).code


def test_equipment_progress_counts_each_household_once_by_quarter(
    services: Services, field: dict[str, int]
) -> None:
    homes = [_household(services, field, head=p) for p in ("p1", "p2", "p3")]
    dates = [dt.date(2021, 4, 1), dt.date(2021, 11, 30), dt.date(2022, 2, 15)]
    alloc = [HouseholdAllocation(h, d) for h, d in zip(homes, dates, strict=True)]
    services.households.grant_to_households(_latrine(field), alloc)
    services.households.grant_to_households(_latrine(field, purpose="Kit solaire"), alloc[:2])
    progress = services.households.equipment_progress(field["programme"])
    assert (progress.households, progress.equipped) == (3, 3)
    assert [(p.year, p.quarter, p.households) for p in progress.periods] == [
        (2021, 2, 1),
        (2021, 4, 1),
        (2022, 1, 1),
    ]
    assert progress.by_year() == {2021: 2, 2022: 1}
    with pytest.raises(NotFoundError):
        services.households.equipment_progress(9999)


# --- activities ----------------------------------------------------------------------------------


def _training(f: dict[str, int], **kw: object) -> ActivityInput:
    data = ActivityInput(kind="training", topic="Gouvernance associative", start_date=dt.date(2023, 2, 6))
    data.programme_id = f["programme"]
    for key, value in kw.items():
        setattr(data, key, value)
    return data


def test_activity_rules(services: Services, field: dict[str, int]) -> None:
    bad: list[tuple[dict[str, object], str]] = [
        ({"kind": "picnic"}, "kind"),
        ({"kind": "campaign"}, "campaign"),
        ({"campaign": "ramadan"}, "campaign"),
        ({"topic": "  "}, "topic"),
        ({"end_date": dt.date(2023, 2, 5)}, "end_date"),
        ({"indirect_men": -1}, "indirect_men"),
        ({"unlisted_participants": -3}, "unlisted_participants"),
        ({"partner_ids": [field["assoc"], field["assoc"]]}, "partners"),
    ]
    for kw, name in bad:
        with pytest.raises(ValidationError) as exc:
            services.activities.create(_training(field, **kw))
        assert exc.value.field == name, kw
    with pytest.raises(NotFoundError):
        services.activities.create(_training(field, partner_ids=[9999]))
    with pytest.raises(NotFoundError):
        services.activities.create(_training(field, programme_id=9999))
    assert services.activities.search().total == 0
    campaign = services.activities.create(
        _training(field, kind="campaign", campaign="sos_winter", partner_ids=[field["assoc"]])
    )
    assert (campaign.campaign, [p[0] for p in campaign.partners]) == ("sos_winter", [field["assoc"]])
    same = services.activities.update(
        campaign.id, _training(field, kind="campaign", campaign="sos_winter", partner_ids=[field["assoc"]])
    )
    assert [p[0] for p in same.partners] == [field["assoc"]]


def test_participants_and_reach(services: Services, field: dict[str, int]) -> None:
    cycle = services.activities.create(_training(field, partner_ids=[field["assoc"]])).id
    with pytest.raises(NotFoundError):
        services.activities.add_participant(cycle, 9999, field["assoc"])
    with pytest.raises(NotFoundError):
        services.activities.add_participant(cycle, field["p1"], 9999)
    with pytest.raises(NotFoundError):
        services.activities.add_participant(9999, field["p1"])
    services.activities.add_participant(cycle, field["p1"], field["assoc"])
    with pytest.raises(ConflictError):
        services.activities.add_participant(cycle, field["p1"])
    with pytest.raises(ConflictError):  # all or nothing: p2 is not added either
        services.activities.add_participants(cycle, [(field["p2"], None), (field["p1"], None)])
    dto = services.activities.add_participants(cycle, [(field["p2"], field["assoc"])])
    assert [(p.name, p.organisation_id) for p in dto.participants] == [
        ("Moha Tafrani", field["assoc"]),
        ("Itto Tafrani", field["assoc"]),
    ]
    with pytest.raises(NotFoundError):
        services.activities.remove_participant(cycle, field["p3"])
    workshop = services.activities.create(
        _training(field, kind="workshop", topic="Restitution", indirect_women=5, indirect_unspecified=7)
    ).id
    services.activities.add_participant(workshop, field["p1"], field["assoc"])  # counted once
    reach = services.activities.reach(field["programme"])
    assert (reach.direct_women, reach.direct_men, reach.organisations) == (1, 1, 1)
    assert (reach.direct, reach.indirect) == (2, 12)
    rows = services.activities.search(ListQuery(filters={"programme_id": field["programme"]})).rows
    assert sorted((r.kind, r.direct, r.indirect) for r in rows) == [("training", 2, 0), ("workshop", 1, 12)]
    after = services.activities.remove_participant(cycle, field["p2"])
    assert len(after.participants) == 1
    services.activities.delete(cycle)
    assert services.activities.reach(field["programme"]).direct == 1


# --- results framework ---------------------------------------------------------------------------


def test_results_indicators_and_progress(services: Services, field: dict[str, int]) -> None:
    p = field["programme"]
    with pytest.raises(NotFoundError):
        services.results.add_result(9999, "R1", "Résultat")
    with pytest.raises(ValidationError):
        services.results.add_result(p, "R1", " ")
    r1 = services.results.add_result(p, "r1", "La concertation sociale permet la coordination")
    with pytest.raises(ConflictError):
        services.results.add_result(p, "R1", "Encore")
    bad_indicators = [
        (IndicatorInput("I1", "Population", "personnes", D("-1")), "target"),
        (IndicatorInput("I1", "Population", "personnes", D("100"), target_women=D("40")), "target_women"),
        (IndicatorInput("I1", "Population", "personnes", D("100"), D("0"), D("40"), D("50")), "target_women"),
        (IndicatorInput("I1", "", "personnes", D("100")), "name"),
        (IndicatorInput("I1", "Population", "personnes", "beaucoup"), "target"),  # type: ignore[arg-type]
    ]
    for data, name in bad_indicators:
        with pytest.raises(ValidationError) as exc:
            services.results.add_indicator(r1.id, data)
        assert exc.value.field == name
    people = services.results.add_indicator(
        r1.id, IndicatorInput("I1", "Population", "personnes", D("8400"), D("0"), D("4176"), D("4224"))
    )
    plain = services.results.add_indicator(r1.id, IndicatorInput("I2", "Comités", "comités", D("10")))
    with pytest.raises(ConflictError):
        services.results.add_indicator(r1.id, IndicatorInput("I2", "Autre", "x", D("1")))
    bad_measurements = [
        (people.id, MeasurementInput(TODAY + dt.timedelta(days=1), D("10")), ValidationError),
        (people.id, MeasurementInput(dt.date(2023, 12, 31), D("100"), D("40"), D("50")), ValidationError),
        (people.id, MeasurementInput(dt.date(2023, 12, 31), D("-5")), ValidationError),
        (people.id, MeasurementInput(dt.date(2023, 12, 31), D("NaN")), ValidationError),
        (plain.id, MeasurementInput(dt.date(2023, 12, 31), D("4"), D("2"), D("2")), ValidationError),
        (9999, MeasurementInput(dt.date(2023, 12, 31), D("4")), NotFoundError),
    ]
    for indicator_id, data, error in bad_measurements:
        with pytest.raises(error):
            services.results.record(indicator_id, data)
    services.results.record(
        people.id, MeasurementInput(dt.date(2024, 12, 31), D("6300"), D("3100"), D("3200"))
    )
    done = services.results.record(
        people.id, MeasurementInput(dt.date(2023, 12, 31), D("4200"), D("2000"), D("2200"))
    )
    assert [m.measured_on.year for m in done.measurements] == [
        2023,
        2024,
    ]  # by date, whatever the order typed
    with pytest.raises(ConflictError):
        services.results.record(people.id, MeasurementInput(dt.date(2023, 12, 31), D("1")))
    progress = {row.indicator_code: row for row in services.results.progress(p)}
    assert (progress["I1"].achieved, progress["I1"].progress, progress["I1"].achieved_women) == (
        D("6300.000"),
        D("0.7500"),
        D("3100.000"),
    )
    assert (progress["I2"].achieved, progress["I2"].progress) == (None, None)
    services.results.delete_result(r1.id)
    assert services.results.results_of(p) == []


def test_a_measurement_typed_wrong_is_corrected_under_the_same_rules(
    services: Services, field: dict[str, int]
) -> None:
    r1 = services.results.add_result(field["programme"], "R1", "Concertation")
    people = services.results.add_indicator(
        r1.id, IndicatorInput("I1", "Population", "personnes", D("8400"), D("0"), D("4176"), D("4224"))
    )
    services.results.record(
        people.id, MeasurementInput(dt.date(2023, 12, 31), D("4200"), D("2000"), D("2200"))
    )
    typo = services.results.record(
        people.id, MeasurementInput(dt.date(2024, 12, 31), D("63000"))
    ).measurements[1]
    bad = [
        (MeasurementInput(dt.date(2023, 12, 31), D("6300")), ConflictError),  # the other one's date
        (MeasurementInput(dt.date(2024, 12, 31), D("6300"), D("3000"), D("3200")), ValidationError),
        (MeasurementInput(TODAY + dt.timedelta(days=1), D("6300")), ValidationError),
    ]
    for data, error in bad:
        with pytest.raises(error):
            services.results.update_measurement(typo.id, data)
    with pytest.raises(NotFoundError):
        services.results.update_measurement(9999, MeasurementInput(dt.date(2024, 12, 31), D("6300")))
    reader = Services(services.db, Actor("lecteur", "readonly"))
    with pytest.raises(PermissionDeniedError):
        reader.results.update_measurement(typo.id, MeasurementInput(dt.date(2024, 12, 31), D("6300")))
    assert (
        services.results.results_of(field["programme"])[0].indicators[0].measurements[1] == typo
    )  # unchanged
    fixed = services.results.update_measurement(
        typo.id, MeasurementInput(dt.date(2024, 12, 31), D("6300"), D("3100"), D("3200"), "corrigé")
    )
    assert [(m.measured_on.year, m.value, m.women, m.note) for m in fixed.measurements] == [
        (2023, D("4200.000"), D("2000.000"), None),
        (2024, D("6300.000"), D("3100.000"), "corrigé"),
    ]
    progress = services.results.progress(field["programme"])[0]
    assert progress.achieved == D("6300.000") and progress.progress == D("0.7500")


# --- AGR visits ----------------------------------------------------------------------------------


def test_visits_and_trend(services: Services, field: dict[str, int]) -> None:
    org = field["assoc"]
    bad: list[tuple[dict[str, object], type[Exception], str]] = [
        ({"visited_on": TODAY + dt.timedelta(days=1)}, ValidationError, "visited_on"),
        ({"visitor": ""}, ValidationError, "visitor"),
        ({"monthly_revenue": D("-1")}, ValidationError, "monthly_revenue"),
        ({"monthly_revenue": "beaucoup"}, ValidationError, "monthly_revenue"),
        ({"production_quantity": D("40")}, ValidationError, "production_unit"),
        ({"production_quantity": D("-4"), "production_unit": "kg"}, ValidationError, "production_quantity"),
        ({"production_quantity": "NaN", "production_unit": "kg"}, ValidationError, "production_quantity"),
        ({"production_quantity": D("1e20"), "production_unit": "kg"}, ValidationError, "production_quantity"),
        ({"organisation_id": 9999}, NotFoundError, "organisation"),
    ]
    for kw, error, name in bad:
        data = VisitInput(org, dt.date(2024, 3, 1), "Naima, chargée de suivi")
        for key, value in kw.items():
            setattr(data, key, value)
        with pytest.raises(error) as exc:
            services.visits.create(data)
        assert exc.value.field == name, kw  # type: ignore[attr-defined]
    assert _count(services, Visit) == 0
    services.visits.create(
        VisitInput(
            org,
            dt.date(2024, 6, 1),
            "Naima",
            monthly_revenue=D("5200"),
            production_quantity=D("380"),
            production_unit="kg",
        )
    )
    first = services.visits.create(
        VisitInput(
            org,
            dt.date(2024, 3, 1),
            "Naima",
            observations="Four en service",
            monthly_revenue=D("3100.50"),
            production_quantity=D("240"),
            production_unit="kg",
            problems="Panne du pétrin",
        )
    )
    trend = services.visits.trend(org)
    assert [(t.visited_on.month, t.monthly_revenue, t.production_quantity) for t in trend] == [
        (3, D("3100.50"), D("240.000")),
        (6, D("5200.00"), D("380.000")),
    ]
    assert services.visits.get(first.id).observations == "Four en service"
    with pytest.raises(ConflictError):
        services.organisations.delete(org)  # its visits are kept
