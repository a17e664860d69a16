"""The same rules on SQLite and PostgreSQL: text lengths, characters, search and order give the
same result on both engines (every test here runs on each)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ksm_desktop.domain.errors import ValidationError
from ksm_desktop.services import ListQuery, Services
from ksm_desktop.services.dto import GrantInput, GrantItemInput, OrganisationInput, PersonInput


def _org_count(services: Services) -> int:
    return services.organisations.search(ListQuery()).total


def test_a_name_longer_than_its_column_is_a_field_error_and_nothing_is_saved(services: Services) -> None:
    with pytest.raises(ValidationError) as caught:
        services.persons.create(PersonInput(first_name="A" * 101, last_name="Ouchen", sex="F"))
    assert caught.value.field == "first_name" and "at most 100" in caught.value.message
    with pytest.raises(ValidationError) as caught:
        services.organisations.create(OrganisationInput(kind="cooperative", name="Coopérative " + "x" * 200))
    assert caught.value.field == "name" and "212 characters, at most 200" in caught.value.message
    assert _org_count(services) == 0
    assert services.persons.search(ListQuery()).total == 0


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f", "\x85"])
def test_control_characters_are_refused_in_every_kind_of_record(services: Services, character: str) -> None:
    with pytest.raises(ValidationError) as caught:
        services.organisations.create(OrganisationInput(kind="cooperative", name=f"Mal{character}ika"))
    assert caught.value.field == "name" and "control character" in caught.value.message
    with pytest.raises(ValidationError) as caught:
        services.persons.create(
            PersonInput(first_name="Fatima", last_name="Ouchen", sex="F", notes=f"a{character}b")
        )
    assert caught.value.field == "notes"
    org = services.organisations.create(OrganisationInput(kind="cooperative", name="Coopérative Malika"))
    item = GrantItemInput(f"Mach{character}ine", Decimal(1), Decimal("10"))
    with pytest.raises(ValidationError) as caught:
        services.grants.create(GrantInput(purpose="Atelier", organisation_id=org.id, items=[item]))
    assert caught.value.field == "designation"
    assert services.grants.search().total == 0 and _org_count(services) == 1


def test_long_notes_tabs_and_line_breaks_are_kept_whole(services: Services) -> None:
    notes = "Réunion du bureau :\n\t- achat\r\n" + "ملاحظة " * 14_000
    org = services.organisations.create(OrganisationInput(kind="cooperative", name="Malika", notes=notes))
    assert services.organisations.get(org.id).notes == notes.strip()


def test_search_ignores_case_and_accents_on_both_engines(services: Services) -> None:
    for name in ("École Élan", "ECOLE DU SUD", "Coopérative Tighanimine", "جمعية الأمل"):
        services.organisations.create(OrganisationInput(kind="association", name=name))
    for text in ("ecole", "ÉCOLE", "École"):
        found = {row.name for row in services.organisations.search(ListQuery(text=text)).rows}
        assert found == {"École Élan", "ECOLE DU SUD"}
    assert [r.name for r in services.organisations.search(ListQuery(text="cooperative TIGHA")).rows] == [
        "Coopérative Tighanimine"
    ]
    assert [r.name for r in services.organisations.search(ListQuery(text="الأمل")).rows] == ["جمعية الأمل"]


def test_sorting_by_name_gives_the_same_order_on_both_engines(services: Services) -> None:
    names = ["Zagora", "aghrum", "Élan", "Amal", "ajial", "Tighanimine", "أمل"]
    for name in names:
        services.organisations.create(OrganisationInput(kind="association", name=name))
    rows = services.organisations.search(ListQuery(sort="name")).rows
    assert [r.name for r in rows] == sorted(names)
