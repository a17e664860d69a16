"""Two people on one record: the second save never silently undoes the first, and a grant's
workflow step is taken once (every test runs on SQLite and on PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import asdict, replace
from decimal import Decimal

import pytest

from ksm_desktop.domain.errors import ConflictError, KsmError, StaleRecordError
from ksm_desktop.services import Actor, Services
from ksm_desktop.services.dto import (
    DeliveryInput,
    GrantInput,
    GrantItemInput,
    OrganisationInput,
    PersonInput,
)


@pytest.fixture
def amina(services: Services) -> Services:
    return Services(services.db, Actor("amina", "agent"))


@pytest.fixture
def karim(services: Services) -> Services:
    return Services(services.db, Actor("karim", "agent"))


def _delivery() -> DeliveryInput:
    return DeliveryInput(dt.date.today(), "Errachidia", "Rachida Ait Baha", "ZZ100008", "Présidente")


def test_second_save_of_an_organisation_is_refused_with_who_changed_it(
    amina: Services, karim: Services
) -> None:
    org = amina.organisations.create(OrganisationInput(kind="cooperative", name="Coopérative Malika"))
    opened_by_amina = amina.organisations.get(org.id)
    opened_by_karim = karim.organisations.get(org.id)
    fields = {k: v for k, v in asdict(opened_by_amina).items() if k in OrganisationInput.__dataclass_fields__}
    amina.organisations.update(org.id, OrganisationInput(**{**fields, "phone": "0661234567"}))
    karim_fields = {
        k: v for k, v in asdict(opened_by_karim).items() if k in OrganisationInput.__dataclass_fields__
    }
    with pytest.raises(StaleRecordError) as caught:
        karim.organisations.update(org.id, OrganisationInput(**{**karim_fields, "sector": "Couture"}))
    assert caught.value.changed_by == "amina" and "amina changed this record" in caught.value.message
    now = karim.organisations.get(org.id)
    assert (now.phone, now.sector) == ("+212661234567", None)
    # after reloading, Karim's save goes through
    reloaded = {k: v for k, v in asdict(now).items() if k in OrganisationInput.__dataclass_fields__}
    assert (
        karim.organisations.update(org.id, OrganisationInput(**{**reloaded, "sector": "Couture"})).sector
        == "Couture"
    )


def test_second_save_of_a_person_is_refused(amina: Services, karim: Services) -> None:
    data = PersonInput(first_name="Fatima", last_name="Ouchen", sex="F")
    person = amina.persons.create(data)
    amina.persons.update(person.id, replace(data, phone="0661234567", version=person.version))
    with pytest.raises(StaleRecordError, match="amina"):
        karim.persons.update(person.id, replace(data, first_name="Fatema", version=person.version))
    assert karim.persons.get(person.id).first_name == "Fatima"


def test_second_save_of_a_grant_is_refused_even_when_only_items_changed(
    amina: Services, karim: Services
) -> None:
    org = amina.organisations.create(OrganisationInput(kind="cooperative", name="Coopérative Malika"))
    item = GrantItemInput("Machine à coudre", Decimal(2), Decimal("5200"))
    data = GrantInput(purpose="Atelier", organisation_id=org.id, items=[item])
    grant = amina.grants.create(data)
    amina.grants.update(grant.id, replace(data, items=[item, item], version=grant.version))
    with pytest.raises(StaleRecordError, match="amina"):
        karim.grants.update(grant.id, replace(data, purpose="Atelier de couture", version=grant.version))
    assert (len(karim.grants.get(grant.id).items), karim.grants.get(grant.id).purpose) == (2, "Atelier")


def test_a_grant_delivered_by_someone_else_meanwhile_is_not_delivered_twice(
    amina: Services, karim: Services
) -> None:
    org = amina.organisations.create(OrganisationInput(kind="cooperative", name="Coopérative Malika"))
    item = GrantItemInput("Machine à coudre", Decimal(2), Decimal("5200"))
    grant = amina.grants.create(GrantInput(purpose="Atelier", organisation_id=org.id, items=[item]))
    validated = amina.grants.transition(grant.id, "validated")
    amina.grants.transition(grant.id, "delivered", delivery=_delivery(), version=validated.version)
    with pytest.raises(StaleRecordError, match="amina"):
        karim.grants.transition(grant.id, "delivered", delivery=_delivery(), version=validated.version)
    with pytest.raises(ConflictError, match="already"):
        karim.grants.transition(grant.id, "delivered", delivery=_delivery())
    assert [e.status for e in karim.grants.get(grant.id).events] == ["draft", "validated", "delivered"]


def test_two_people_delivering_at_the_same_moment_deliver_once(services: Services, db_url: str) -> None:
    from ksm_desktop.db.engine import Database, make_engine

    org = services.organisations.create(OrganisationInput(kind="cooperative", name="Coopérative Malika"))
    item = GrantItemInput("Machine à coudre", Decimal(2), Decimal("5200"))
    grant = services.grants.create(GrantInput(purpose="Atelier", organisation_id=org.id, items=[item]))
    services.grants.transition(grant.id, "validated")
    people = [Services(Database(make_engine(db_url)), Actor(name, "agent")) for name in ("amina", "karim")]
    start = threading.Barrier(len(people), timeout=60)
    outcomes: list[str] = []

    def deliver(person: Services) -> None:
        start.wait()
        try:
            person.grants.transition(grant.id, "delivered", delivery=_delivery())
            outcomes.append("delivered")
        except KsmError as exc:
            outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=deliver, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    for person in people:
        person.db.dispose()
    assert sorted(outcomes) == ["ConflictError", "delivered"]
    assert [e.status for e in services.grants.get(grant.id).events] == ["draft", "validated", "delivered"]
