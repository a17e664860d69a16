"""Equipment by serial number: the numbers on a grant's items, frozen once delivered, found by the
grants search, and the condition of each piece at follow-up visits (the latest visit counts)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ksm_desktop.domain.enums import GrantStatus
from ksm_desktop.domain.errors import ConflictError, ValidationError
from ksm_desktop.services import ListQuery, Services
from ksm_desktop.services.dto import (
    DeliveryInput,
    GrantDTO,
    GrantInput,
    GrantItemInput,
    OrganisationInput,
    ProgrammeInput,
)
from ksm_desktop.services.dto_fieldwork import PieceInput, VisitInput

D = Decimal
TODAY = dt.date.today()
DELIVERED_ON = TODAY - dt.timedelta(days=60)


def _input(org: int, programme: int, machines: list[str], overlockers: list[str] | None = None) -> GrantInput:
    return GrantInput(
        purpose="Machines pour l'atelier de couture",
        organisation_id=org,
        programme_id=programme,
        grant_date=DELIVERED_ON - dt.timedelta(days=30),
        items=[
            GrantItemInput("Machine à coudre", D(3), D("520.00"), serials=machines),
            GrantItemInput("Surjeteuse", D(2), D("380.00"), serials=overlockers or []),
        ],
    )


@pytest.fixture
def setup(services: Services) -> dict[str, int]:
    return {
        "org": services.organisations.create(
            OrganisationInput(kind="cooperative", name="Coopérative Malika")
        ).id,
        "other": services.organisations.create(
            OrganisationInput(kind="cooperative", name="Coopérative Weam")
        ).id,
        "programme": services.programmes.create(ProgrammeInput(code="AGR-ERR", name="AGR Errachidia")).id,
    }


def _deliver(services: Services, grant: GrantDTO) -> GrantDTO:
    services.grants.transition(grant.id, GrantStatus.VALIDATED)
    delivery = DeliveryInput(DELIVERED_ON, "Errachidia", "Rachida Ait Baha")
    return services.grants.transition(grant.id, GrantStatus.DELIVERED, delivery=delivery)


def test_serials_are_trimmed_checked_and_stored(services: Services, setup: dict[str, int]) -> None:
    grant = services.grants.create(_input(setup["org"], setup["programme"], ["  SN-001 ", "", "SN-002"]))
    assert [i.serials for i in grant.items] == [("SN-001", "SN-002"), ()]
    bad = [
        (["A1", "A2", "A3", "A4"], "items.0.serials", "4 serial numbers for 3 pieces"),
        (["SN-9", "sn-9"], "items.0.serials", "given twice"),
        (["X" * 61], "items.0.serials", "longer than 60"),
    ]
    for serials, field, words in bad:
        with pytest.raises(ValidationError) as exc:
            services.grants.update(grant.id, _input(setup["org"], setup["programme"], serials))
        assert exc.value.field == field
        assert "Line 1: " in exc.value.message and words in exc.value.message
    with pytest.raises(ValidationError) as exc:
        services.grants.set_serials(grant.id, 2, ["S1", "S2", "S3"])
    assert exc.value.field == "items.1.serials"
    assert [i.serials for i in services.grants.get(grant.id).items] == [("SN-001", "SN-002"), ()]
    # 2.5 m of something holds two pieces at most
    half = _input(setup["org"], setup["programme"], [])
    half.items[1].quantity = D("2.5")
    half.items[1].serials = ["T1", "T2", "T3"]
    with pytest.raises(ValidationError, match="3 serial numbers for 2 pieces"):
        services.grants.create(half)


def test_set_serials_and_search(services: Services, setup: dict[str, int]) -> None:
    grant = services.grants.create(_input(setup["org"], setup["programme"], ["SN-001"]))
    services.grants.create(_input(setup["other"], setup["programme"], ["ZX-77"]))
    changed = services.grants.set_serials(grant.id, 1, ["SN-001", "SN-003"], version=grant.version)
    assert changed.items[0].serials == ("SN-001", "SN-003")
    assert changed.version > grant.version
    with pytest.raises(ConflictError):  # a save based on the older reading
        services.grants.set_serials(grant.id, 1, ["SN-004"], version=grant.version)
    found = services.grants.search(ListQuery(text="sn-003"))
    assert [r.number for r in found.rows] == [grant.number]
    assert services.grants.search(ListQuery(text="SN-001")).total == 1


def test_serials_frozen_once_delivered_and_printed_as_sealed(
    services: Services, setup: dict[str, int]
) -> None:
    grant = services.grants.create(_input(setup["org"], setup["programme"], ["SN-001", "SN-002"], ["OV-1"]))
    grant = _deliver(services, grant)
    with pytest.raises(ConflictError) as exc:
        services.grants.set_serials(grant.id, 1, ["SN-001"])
    assert exc.value.field == "status"
    with pytest.raises(ConflictError):
        services.grants.update(grant.id, _input(setup["org"], setup["programme"], ["SN-009"]))
    sheet = services.seals.sheet(grant.number)
    assert [i.serials for i in sheet.grant.items] == [("SN-001", "SN-002"), ("OV-1",)]
    check = services.seals.verify(sheet.payload)
    assert check.outcome == "authentic"


def test_visit_records_each_piece_and_latest_visit_counts(services: Services, setup: dict[str, int]) -> None:
    org, programme = setup["org"], setup["programme"]
    grant = _deliver(services, services.grants.create(_input(org, programme, ["SN-001", "SN-002"])))
    pieces = services.visits.equipment_of(org)
    assert [(p.designation, p.serial, p.pieces) for p in pieces] == [
        ("Machine à coudre", "SN-001", 1),
        ("Machine à coudre", "SN-002", 1),
        ("Machine à coudre", None, 1),
        ("Surjeteuse", None, 2),
    ]
    sn1, sn2, loose, overlockers = pieces
    # Nothing visited yet: five pieces delivered, none known to be in service.
    before = services.figures.equipment_condition(programme)
    assert (before.delivered, before.in_service, before.not_seen) == (5, 0, 5)

    first = services.visits.create(
        VisitInput(
            org,
            DELIVERED_ON + dt.timedelta(days=10),
            "Naima",
            pieces=[
                PieceInput(sn1.item_id, "in_service", sn1.serial_id),
                PieceInput(sn2.item_id, "in_service", sn2.serial_id),
                PieceInput(overlockers.item_id, "in_service", count=2),
            ],
        )
    )
    services.visits.create(
        VisitInput(
            org,
            DELIVERED_ON + dt.timedelta(days=40),
            "Naima",
            pieces=[
                PieceInput(sn2.item_id, "broken", sn2.serial_id),
                PieceInput(overlockers.item_id, "in_service", count=1),
                PieceInput(overlockers.item_id, "sold", count=1),
                PieceInput(loose.item_id, "lost"),
            ],
        )
    )
    after = services.figures.equipment_condition(programme)
    # SN-001 in service (first visit, not seen since); SN-002 broken; one overlocker in service, one sold.
    assert after.by_condition == {"in_service": 2, "broken": 1, "sold": 1, "lost": 1}
    assert (after.delivered, after.in_service, after.not_seen) == (5, 2, 0)

    # Editing the first visit keeps each piece's line (a photo of it stays attached).
    kept = {p.serial_id: p.id for p in services.visits.get(first.id).pieces if p.serial_id}
    edited = services.visits.update(
        first.id,
        VisitInput(
            org,
            first.visited_on,
            "Naima",
            pieces=[
                PieceInput(sn1.item_id, "broken", sn1.serial_id),
                PieceInput(sn2.item_id, "in_service", sn2.serial_id),
            ],
        ),
    )
    assert {p.serial_id: p.id for p in edited.pieces} == kept
    assert services.figures.equipment_condition(programme).by_condition["broken"] == 2
    assert grant.number  # the grant the pieces belong to


def test_bad_piece_records_change_nothing(services: Services, setup: dict[str, int]) -> None:
    org, programme = setup["org"], setup["programme"]
    _deliver(services, services.grants.create(_input(org, programme, ["SN-001"])))
    foreign = _deliver(services, services.grants.create(_input(setup["other"], programme, ["ZX-1"])))
    draft = services.grants.create(_input(org, programme, ["DR-1"]))
    sn1, _loose, overlockers = services.visits.equipment_of(org)
    day = DELIVERED_ON + dt.timedelta(days=5)
    bad = [
        ([PieceInput(sn1.item_id, "stolen", sn1.serial_id)], "Unknown condition"),
        ([PieceInput(foreign.items[0].id, "in_service")], "not delivered to the organisation"),
        ([PieceInput(draft.items[0].id, "in_service")], "not delivered to the organisation"),
        ([PieceInput(overlockers.item_id, "in_service", count=3)], "2 pieces without a serial number"),
        ([PieceInput(overlockers.item_id, "in_service", count=0)], "at least 1"),
        ([PieceInput(sn1.item_id, "in_service", sn1.serial_id, count=2)], "one piece"),
        ([PieceInput(overlockers.item_id, "in_service", foreign.items[0].id)], "not one of"),
        (
            [
                PieceInput(sn1.item_id, "in_service", sn1.serial_id),
                PieceInput(sn1.item_id, "sold", sn1.serial_id),
            ],
            "recorded twice",
        ),
    ]
    for pieces, words in bad:
        with pytest.raises(ValidationError, match=words) as exc:
            services.visits.create(VisitInput(org, day, "Naima", pieces=pieces))
        assert (exc.value.field or "").startswith("pieces.")
    with pytest.raises(ValidationError, match="after this visit"):
        services.visits.create(
            VisitInput(
                org,
                DELIVERED_ON - dt.timedelta(days=1),
                "Naima",
                pieces=[PieceInput(sn1.item_id, "in_service", sn1.serial_id)],
            )
        )
    assert services.visits.visits_of(org) == []
    assert services.figures.equipment_condition(programme).not_seen == 5 + 5
