"""Every service rule of the foundation, with the bad inputs first."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from ksm_desktop.db.models import Grant, Person
from ksm_desktop.domain.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from ksm_desktop.services import Actor, ListQuery, Services
from ksm_desktop.services.dto import (
    DeliveryInput,
    GrantInput,
    GrantItemInput,
    OrganisationInput,
    PersonInput,
    ProgrammeInput,
)

D = Decimal


def _coop(s: Services, name: str = "Coopérative Malika", **kw: object) -> int:
    return s.organisations.create(OrganisationInput(kind="cooperative", name=name, **kw)).id  # type: ignore[arg-type]


def _grant(s: Services, org_id: int, items: list[GrantItemInput] | None = None, **kw: object) -> int:
    data = GrantInput(
        purpose="Machines à coudre",
        organisation_id=org_id,
        items=items if items is not None else [GrantItemInput("Machine", D("2"), D("500"))],
        **kw,  # type: ignore[arg-type]
    )
    return s.grants.create(data).id


def _count(s: Services, model: type) -> int:
    with s.db.reading() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


# --- organisations ------------------------------------------------------------------------------


def test_organisation_needs_a_name_and_a_known_kind(services: Services) -> None:
    with pytest.raises(ValidationError) as err:
        services.organisations.create(OrganisationInput(kind="cooperative", name="  "))
    assert err.value.field == "name"
    with pytest.raises(ValidationError) as err:
        services.organisations.create(OrganisationInput(kind="club", name="X"))
    assert err.value.field == "kind"


def test_organisation_code_is_generated_and_unique(services: Services) -> None:
    first = services.organisations.create(OrganisationInput(kind="cooperative", name="Coopérative Malika"))
    second = services.organisations.create(OrganisationInput(kind="cooperative", name="Coopérative Malika"))
    assert (first.code, second.code) == ("MALIKA", "MALIKA-2")
    with pytest.raises(ConflictError) as err:
        services.organisations.create(OrganisationInput(kind="agr", name="Y", code=first.code.lower()))
    assert err.value.field == "code"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Coopérative Nour Tafilalt", "NOUR"),
        ("Association Ait Baha pour le développement", "AIT-BAHA"),
        ("Groupement féminin Al Amal", "AMAL"),
    ],
)
def test_a_generated_code_is_short_and_readable(services: Services, name: str, code: str) -> None:
    assert services.organisations.create(OrganisationInput(kind="cooperative", name=name)).code == code


def test_organisation_phone_is_normalised_and_bad_phone_refused(services: Services) -> None:
    org = services.organisations.create(
        OrganisationInput(kind="association", name="AMANE", phone="0537 12 34 56")
    )
    assert org.phone == "+212537123456"
    with pytest.raises(ValidationError) as err:
        services.organisations.create(OrganisationInput(kind="association", name="B", phone="12"))
    assert err.value.field == "phone"


def test_organisation_with_grants_cannot_be_deleted(services: Services) -> None:
    org = _coop(services)
    _grant(services, org)
    with pytest.raises(ConflictError):
        services.organisations.delete(org)
    assert services.organisations.get(org).id == org


def test_organisation_list_counts_members_by_sex_and_filters(services: Services) -> None:
    errachidia = services.locations.find("Errachidia", "province")
    assert errachidia is not None
    commune = services.locations.add("commune", "Goulmima", errachidia.id)
    org = _coop(services, location_id=commune.id)
    _coop(services, name="Autre coopérative")
    for first, sex in (("Fatima", "F"), ("Naima", "F"), ("Ali", "M")):
        person = services.persons.create(PersonInput(first, "Alaoui", sex))
        services.persons.add_member(org, person.id)
    page = services.organisations.search(ListQuery(filters={"province_id": errachidia.id}))
    assert page.total == 1
    row = page.rows[0]
    assert (row.members, row.women, row.men, row.province) == (3, 2, 1, "Errachidia")
    assert services.organisations.search(ListQuery(text="malika")).total == 1
    assert services.organisations.search(ListQuery(text="COOPERATIVE")).total == 2


def test_grants_filter_by_the_recipients_province_and_sector(services: Services) -> None:
    """As the dashboard groups them: an individual's grant counts where that person lives."""
    errachidia = services.locations.find("Errachidia", "province")
    figuig = services.locations.find("Figuig", "province")
    assert errachidia is not None and figuig is not None
    goulmima = services.locations.add("commune", "Goulmima", errachidia.id)
    tendrara = services.locations.add("commune", "Tendrara", figuig.id)
    coop = _coop(services, location_id=goulmima.id, sector="Couscous")
    woman = services.persons.create(PersonInput("Fatima", "Alaoui", "F", location_id=tendrara.id))
    _grant(services, coop)
    individual = services.grants.create(
        GrantInput(purpose="Four", person_id=woman.id, items=[GrantItemInput("Four", D("1"), D("300"))])
    ).id

    def ids(**filters: object) -> list[int]:
        return [r.id for r in services.grants.search(ListQuery(filters=filters)).rows]

    assert ids(province_id=figuig.id) == [individual]
    assert len(ids(province_id=errachidia.id)) == 1 and individual not in ids(province_id=errachidia.id)
    assert ids(sector="Couscous") == ids(province_id=errachidia.id)
    assert ids(sector="Apiculture") == []


def test_grants_filter_by_period_and_leave_out_the_cancelled(services: Services) -> None:
    org = _coop(services)
    old = _grant(services, org, grant_date=dt.date(2021, 3, 1))
    cancelled = _grant(services, org, grant_date=dt.date(2024, 6, 1))
    kept = _grant(services, org, grant_date=dt.date(2024, 7, 1))
    services.grants.transition(cancelled, "cancelled", note="doublon")

    def ids(**filters: object) -> set[int]:
        return {r.id for r in services.grants.search(ListQuery(filters=filters)).rows}

    assert ids(date_from=dt.date(2024, 1, 1)) == {cancelled, kept}
    assert ids(date_to=dt.date(2023, 12, 31)) == {old}
    assert ids(live=True) == {old, kept}
    assert ids(live=True, date_from=dt.date(2024, 1, 1), date_to=dt.date(2024, 12, 31)) == {kept}


# --- persons ------------------------------------------------------------------------------------


def test_duplicate_cin_names_the_organisation_that_has_the_person(services: Services) -> None:
    org = _coop(services)
    fatima = services.persons.create(PersonInput("Fatima", "Alaoui", "F", cin="ab123456"))
    services.persons.add_member(org, fatima.id, "president")
    with pytest.raises(ConflictError) as err:
        services.persons.create(PersonInput("Other", "Person", "M", cin="AB 123456"))
    assert err.value.field == "cin"
    assert err.value.existing_id == fatima.id
    assert "Fatima Alaoui" in err.value.message and "Coopérative Malika" in err.value.message
    assert _count(services, Person) == 1


def test_cin_owner_for_live_form_checks(services: Services) -> None:
    fatima = services.persons.create(PersonInput("Fatima", "Alaoui", "F", cin="K98765"))
    conflict = services.persons.cin_owner("k98765")
    assert conflict is not None and conflict.existing_id == fatima.id
    assert services.persons.cin_owner("k98765", exclude_id=fatima.id) is None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (PersonInput("", "Alaoui", "F"), "first_name"),
        (PersonInput("Fatima", "Alaoui", "X"), "sex"),
        (PersonInput("Fatima", "Alaoui", "F", cin="12AB"), "cin"),
        (PersonInput("Fatima", "Alaoui", "F", phone="0123"), "phone"),
        (PersonInput("Fatima", "Alaoui", "F", birth_date=dt.date(2999, 1, 1)), "birth_date"),
        (PersonInput("Fatima", "Alaoui", "F", vulnerabilities=["rich"]), "vulnerabilities"),
        (PersonInput("Fatima", "Alaoui", "F", household_size=0), "household_size"),
    ],
)
def test_bad_person_input_is_refused_and_nothing_written(
    services: Services, data: PersonInput, field: str
) -> None:
    with pytest.raises(ValidationError) as err:
        services.persons.create(data)
    assert err.value.field == field
    assert _count(services, Person) == 0


def test_membership_end_before_start_is_refused(services: Services) -> None:
    org = _coop(services)
    p = services.persons.create(PersonInput("Fatima", "Alaoui", "F"))
    with pytest.raises(ValidationError) as err:
        services.persons.add_member(org, p.id, "member", dt.date(2024, 5, 1), dt.date(2024, 1, 1))
    assert err.value.field == "end_date"
    assert services.persons.members_of(org) == []


def test_bulk_create_is_all_or_nothing(services: Services) -> None:
    org = _coop(services)
    rows = [PersonInput("A", "B", "F", cin="AA1"), PersonInput("C", "D", "M", cin="bad cin!")]
    with pytest.raises(ValidationError) as err:
        services.persons.bulk_create(rows, organisation_id=org)
    assert "Row 2" in err.value.message
    assert _count(services, Person) == 0
    assert services.persons.bulk_create(rows[:1], organisation_id=org) == 1
    assert [m.cin for m in services.persons.members_of(org)] == ["AA1"]


def test_person_search_ignores_accents(services: Services) -> None:
    services.persons.create(PersonInput("Hélène", "Aït Ali", "F", full_name_ar="هيلين آيت علي"))
    assert services.persons.search(ListQuery(text="helene ait")).total == 1
    assert services.persons.search(ListQuery(text="هيلين")).total == 1
    assert services.persons.search(ListQuery(text="zzz")).total == 0


# --- programmes ---------------------------------------------------------------------------------


def test_programme_rules(services: Services) -> None:
    with pytest.raises(ValidationError) as err:
        services.programmes.create(
            ProgrammeInput(
                code="EA", name="Ensemble", start_date=dt.date(2026, 1, 1), end_date=dt.date(2022, 1, 1)
            )
        )
    assert err.value.field == "end_date"
    with pytest.raises(ValidationError) as err:
        services.programmes.create(ProgrammeInput(code="EA", name="Ensemble", budget=D("-1")))
    assert err.value.field == "budget"
    with pytest.raises(NotFoundError):
        services.programmes.get_by_code("NOPE")
    programme = services.programmes.create(ProgrammeInput(code="ea", name="Ensemble Avançons"))
    assert programme.code == "EA"
    with pytest.raises(ConflictError):
        services.programmes.create(ProgrammeInput(code="EA", name="Twice"))


def test_programme_with_grants_cannot_be_deleted(services: Services) -> None:
    programme = services.programmes.create(ProgrammeInput(code="AGR", name="AGR", budget=D("10000")))
    _grant(services, _coop(services), programme_id=programme.id)
    with pytest.raises(ConflictError):
        services.programmes.delete(programme.id)
    assert services.programmes.get(programme.id).granted == D("1000.00")


# --- grants -------------------------------------------------------------------------------------


def test_grant_number_follows_the_pattern_and_is_never_reused(services: Services) -> None:
    org = _coop(services)
    first = services.grants.get(_grant(services, org))
    year = dt.date.today().year
    assert first.number == f"KSM-{year}-0001"
    services.grants.delete(first.id)
    second = services.grants.get(_grant(services, org))
    assert second.number == f"KSM-{year}-0002"


@pytest.mark.parametrize(
    ("item", "field"),
    [
        (GrantItemInput("Four", D("0"), D("100")), "items.0.quantity"),
        (GrantItemInput("Four", D("-2"), D("100")), "items.0.quantity"),
        (GrantItemInput("Four", "NaN", D("100")), "items.0.quantity"),
        (GrantItemInput("Four", D("1e20"), D("100")), "items.0.quantity"),
        (GrantItemInput("Four", D("1"), D("-5")), "items.0.unit_price"),
        (GrantItemInput(" ", D("1"), D("5")), "items.0.designation"),
    ],
)
def test_bad_items_are_refused_and_nothing_written(
    services: Services, item: GrantItemInput, field: str
) -> None:
    org = _coop(services)
    with pytest.raises(ValidationError) as err:
        _grant(services, org, items=[item])
    assert err.value.field == field
    assert _count(services, Grant) == 0


def test_grant_needs_exactly_one_recipient(services: Services) -> None:
    with pytest.raises(ValidationError) as err:
        services.grants.create(GrantInput(purpose="x"))
    assert err.value.field == "recipient"
    with pytest.raises(NotFoundError):
        services.grants.create(GrantInput(purpose="x", organisation_id=999))


def test_grant_totals_in_both_currencies(services: Services) -> None:
    org = _coop(services)
    items = [
        GrantItemInput("Machine à coudre", D("8"), D("520")),
        GrantItemInput("Tissu", D("12.5"), D("3.99")),
    ]
    grant = services.grants.get(_grant(services, org, items=items, eur_mad_rate=D("10.85")))
    assert [i.total for i in grant.items] == [D("4160.00"), D("49.88")]
    assert grant.total == D("4209.88")
    assert (grant.equivalent, grant.equivalent_currency) == (D("45677.20"), "MAD")
    row = services.grants.search().rows[0]
    assert row.total == grant.total
    mad = services.grants.get(_grant(services, org, currency="MAD", eur_mad_rate=D("10.85")))
    assert mad.total == D("1000.00") and mad.equivalent == D("92.17") and mad.equivalent_currency == "EUR"


def test_workflow_steps_are_stamped_and_delivered_grant_is_frozen(db: object, services: Services) -> None:
    org = _coop(services)
    grant_id = _grant(services, org)
    assert services.grants.get(grant_id).next_steps == ("validated", "cancelled")
    with pytest.raises(ConflictError):
        services.grants.transition(grant_id, "delivered")
    services.grants.transition(grant_id, "validated")
    with pytest.raises(ValidationError):
        services.grants.transition(grant_id, "delivered")  # no delivery record
    delivered = services.grants.transition(
        grant_id,
        "delivered",
        delivery=DeliveryInput(dt.date.today(), "Errachidia", "Fatima Alaoui", "ab12345", "Présidente"),
    )
    assert delivered.received_by_cin == "AB12345"
    assert [e.status for e in delivered.events] == ["draft", "validated", "delivered"]
    assert {e.user for e in delivered.events} == {"agent.test"}
    assert not delivered.editable
    with pytest.raises(ConflictError) as err:
        services.grants.update(grant_id, GrantInput(purpose="Autre", organisation_id=org))
    assert delivered.number in err.value.message
    assert services.grants.get(grant_id).purpose == "Machines à coudre"
    closed = services.grants.transition(grant_id, "closed")
    assert closed.next_steps == ()


def test_cancel_needs_a_reason(services: Services) -> None:
    grant_id = _grant(services, _coop(services))
    with pytest.raises(ValidationError):
        services.grants.transition(grant_id, "cancelled")
    cancelled = services.grants.transition(grant_id, "cancelled", note="Doublon")
    assert cancelled.cancel_reason == "Doublon" and cancelled.status == "cancelled"


def test_validating_an_empty_grant_is_refused(services: Services) -> None:
    grant_id = _grant(services, _coop(services), items=[])
    with pytest.raises(ValidationError) as err:
        services.grants.transition(grant_id, "validated")
    assert err.value.field == "items"
    assert services.grants.get(grant_id).status == "draft"


def test_read_only_users_cannot_write(db: object, services: Services) -> None:
    reader = Services(services.db, Actor("visitor", "readonly"))
    with pytest.raises(PermissionDeniedError):
        reader.organisations.create(OrganisationInput(kind="cooperative", name="X"))
    assert reader.organisations.search().total == 0


@pytest.mark.parametrize("text", ["Malika" * 20_000, "\x00zzz", "zz " * 5_000])
def test_a_pasted_or_binary_search_is_handled(services: Services, text: str) -> None:
    """100,000 characters pasted, a NUL, thousands of words: an answer, never an error, and a NUL
    does not make the search match every row."""
    services.organisations.create(OrganisationInput(kind="cooperative", name="Coopérative Malika"))
    services.organisations.create(OrganisationInput(kind="association", name="Association Amal"))
    found = services.organisations.search(ListQuery(text=text))
    assert found.total == 0
    assert services.persons.search(ListQuery(text=text)).total == 0


def test_person_search_finds_every_spelling_in_either_script_exact_first(services: Services) -> None:
    ids = {
        name: services.persons.create(PersonInput(first, last, sex, full_name_ar=ar)).id
        for name, first, last, sex, ar in [
            ("mohamed", "Mohamed", "Tazi", "M", None),
            ("muhammad", "Muhammad", "Idrissi", "M", None),
            ("arabic", "Mhmd", "X", "M", "محمد العلوي"),
            ("mehdi", "Mehdi", "Tazi", "M", None),
            ("benali", "Said", "Benali", "M", None),
            ("ben ali", "Aicha", "Ben Ali", "F", None),
        ]
    }

    def found(text: str) -> list[int]:
        return [r.id for r in services.persons.search(ListQuery(text=text, limit=None)).rows]

    assert found("Mohamed") == [ids["mohamed"], ids["muhammad"], ids["arabic"]]  # as typed first
    assert set(found("محمد")) == {ids["mohamed"], ids["muhammad"], ids["arabic"]}
    assert found("محمد")[0] == ids["arabic"]
    assert found("Mohammed Tazi") == [ids["mohamed"]]
    assert set(found("Ben Ali")) == set(found("Benali")) == {ids["benali"], ids["ben ali"]}
    assert set(found("بن علي")) == {ids["benali"], ids["ben ali"]}
    assert found("Mehdi") == [ids["mehdi"]]


def test_person_search_by_phone_as_dialled_and_cin_as_typed(services: Services) -> None:
    person = services.persons.create(
        PersonInput("Fatima", "Ouchen", "F", cin="AB123456", phone="+212661234567")
    )
    services.persons.create(PersonInput("Fatiha", "Ouchen", "F", cin="AB123465", phone="0662000000"))
    for typed in (
        "0661234567",
        "06 61 23 45 67",
        "+212661234567",
        "06-61-23-45-67",
        "ab 123456",
        "AB-123456",
    ):
        assert [r.id for r in services.persons.search(ListQuery(text=typed)).rows] == [person.id], typed
