"""Merging a person registered twice: everything moves to the kept person, nothing is lost."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ksm_desktop.cli import main
from ksm_desktop.domain.errors import ConflictError, ValidationError
from ksm_desktop.services import Actor, ListQuery, Services
from ksm_desktop.services.audit import AuditQuery
from ksm_desktop.services.dto import GrantInput, GrantItemInput, OrganisationInput, PersonInput
from ksm_desktop.services.dto_fieldwork import ActivityInput, HouseholdInput


def test_merge_moves_everything_fills_gaps_and_keeps_the_former_data(services: Services) -> None:
    org = services.organisations.create(OrganisationInput(kind="cooperative", name="Coopérative Malika")).id
    other = services.organisations.create(OrganisationInput(kind="association", name="Association Nour")).id
    keep = services.persons.create(PersonInput("Mohamed", "Benali", "M", birth_year=1980)).id
    drop = services.persons.create(
        PersonInput(
            "Mohammed", "Ben Ali", "M", full_name_ar="محمد بن علي", cin="AB123456", phone="0661234567"
        )
    ).id
    services.persons.add_member(org, keep, "president")
    services.persons.add_member(org, drop)  # the same membership twice: kept once
    services.persons.add_member(other, drop)
    grant = services.grants.create(
        GrantInput(
            purpose="Machine", person_id=drop, items=[GrantItemInput("Machine", Decimal("1"), Decimal("300"))]
        )
    ).id
    province = services.locations.by_level("province")[0].id
    commune = services.locations.add("commune", "Tendrara", province).id
    douar = services.locations.add("douar", "Ouled Sidi Ali", commune).id
    household = services.households.create(HouseholdInput(head_id=drop, size=5, location_id=douar)).id
    activity = services.activities.create(ActivityInput("training", "Couture", dt.date(2025, 1, 1))).id
    services.activities.add_participant(activity, keep)
    services.activities.add_participant(activity, drop)

    merged = services.persons.merge(keep, drop)

    assert (merged.first_name, merged.cin, merged.phone, merged.birth_year) == (
        "Mohamed",
        "AB123456",
        "+212661234567",
        1980,
    )
    assert merged.full_name_ar == "محمد بن علي"
    assert sorted((m.organisation_id, m.role) for m in services.persons.memberships_of(keep)) == [
        (org, "president"),
        (other, "member"),
    ]
    assert services.grants.get(grant).recipient.person_id == keep
    assert services.households.get(household).head_id == keep
    assert [p.person_id for p in services.activities.get(activity).participants] == [keep]
    assert [r.id for r in services.persons.search(ListQuery(text="AB123456")).rows] == [keep]
    assert services.persons.search(ListQuery(text="Mohammed", limit=None)).total == 1
    entry = next(
        e
        for e in Services(services.db, Actor("amina", "admin")).audit.search(
            AuditQuery(entity="person", entity_id=keep)
        )
        if e.action == "merge"
    )
    assert entry.changes["merged_person"][1]["cin"] == "AB123456"
    assert entry.changes["merged_person"][1]["last_name"] == "Ben Ali"


def test_merge_refusals_change_nothing(services: Services) -> None:
    a = services.persons.create(PersonInput("Fatima", "Alaoui", "F")).id
    b = services.persons.create(PersonInput("Fatema", "El Alaoui", "F")).id
    with pytest.raises(ValidationError):
        services.persons.merge(a, a)
    province = services.locations.by_level("province")[0].id
    commune = services.locations.add("commune", "Tendrara", province).id
    douar = services.locations.add("douar", "Ouled Sidi Ali", commune).id
    services.households.create(HouseholdInput(head_id=a, size=3, location_id=douar))
    services.households.create(HouseholdInput(head_id=b, size=4, location_id=douar))
    with pytest.raises(ConflictError) as err:
        services.persons.merge(a, b)
    assert "household" in err.value.message
    assert services.persons.get(b).last_name == "El Alaoui"


def test_merge_persons_command(
    services: Services, db_args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    keep = services.persons.create(PersonInput("Zineb", "Tazi", "F")).id
    drop = services.persons.create(PersonInput("Zainab", "Tazi", "F", cin="JA112233")).id
    assert main([*db_args, "--lang", "fr", "merge-persons", str(keep), str(drop)]) == 0
    assert "Zainab Tazi" in capsys.readouterr().out
    assert services.persons.get(keep).cin == "JA112233"
    assert main([*db_args, "merge-persons", str(keep), str(drop)]) == 1  # already merged: unknown person
