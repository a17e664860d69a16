"""Candidates for a person being entered (the form as it is typed, an import's lines) and the
decisions the user takes about them: "different persons" remembered and audited, never asked again."""

from __future__ import annotations

import pytest

from ksm_desktop.domain.duplicates import cin_near_miss, cin_slips
from ksm_desktop.domain.enums import DuplicateReason as Reason
from ksm_desktop.domain.errors import NotFoundError, ValidationError
from ksm_desktop.services import Actor, Services
from ksm_desktop.services.audit import AuditQuery
from ksm_desktop.services.dto import OrganisationInput, PersonInput


def _admin(services: Services) -> Services:
    return Services(services.db, Actor("admin", "admin"))


def _registry(services: Services) -> dict[str, int]:
    province = services.locations.by_level("province")[0].id
    commune = services.locations.add("commune", "Tendrara", province).id
    douar = services.locations.add("douar", "Ouled Sidi Ali", commune).id
    people = {
        "benali": PersonInput(
            "Mohamed", "Benali", "M", cin="AB123456", birth_year=1980, location_id=douar, phone="0661234567"
        ),
        "namesake": PersonInput("Mohamed", "Benali", "M", birth_year=1955),
        "alaoui": PersonInput("Fatima", "Zahra Alaoui", "F", birth_year=1990),
        "other": PersonInput("Khadija", "Tazi", "F", birth_year=1970),
    }
    ids = {key: services.persons.create(p).id for key, p in people.items()}
    ids["douar"] = douar
    return ids


def test_draft_in_another_script_and_spelling_finds_the_registered_person(services: Services) -> None:
    ids = _registry(services)
    draft = PersonInput("Mohammed", "Ben Ali", "M", full_name_ar="محمد بن علي", birth_year=1980)
    found = services.duplicates.candidates(draft)
    assert [c.person_id for c in found][:1] == [ids["benali"]]
    best = found[0]
    assert best.strong and best.name == "Mohamed Benali" and best.cin == "AB123456"
    assert {Reason.SAME_NAME, Reason.SAME_BIRTH_YEAR} <= set(best.reasons)
    # the namesake born 25 years earlier is not proposed
    assert ids["namesake"] not in [c.person_id for c in found]


def test_cin_slip_phone_and_place_each_raise_the_score(services: Services) -> None:
    ids = _registry(services)
    bare = services.duplicates.candidates(PersonInput("Mohammed", "Benaly", "M"))
    typed = PersonInput(
        "Mohammed", "Benaly", "M", cin="BE123456", phone="06 61 23 45 67", location_id=ids["douar"]
    )
    found = {c.person_id: c for c in services.duplicates.candidates(typed)}
    best = found[ids["benali"]]
    assert {Reason.CIN_NEAR_MISS, Reason.SAME_PHONE, Reason.SAME_DOUAR} <= set(best.reasons)
    assert best.score > max((c.score for c in bare if c.person_id == ids["benali"]), default=0.0)


def test_a_name_with_an_extra_word_still_finds_the_person(services: Services) -> None:
    ids = _registry(services)
    found = services.duplicates.candidates(PersonInput("Fatima", "Alaoui", "F", birth_year=1990))
    assert ids["alaoui"] in [c.person_id for c in found]


def test_half_typed_fields_are_ignored_not_refused(services: Services) -> None:
    ids = _registry(services)
    found = services.duplicates.candidates(PersonInput("Mohamed", "Benali", "", cin="A", phone="06"))
    assert ids["benali"] in [c.person_id for c in found]


def test_member_of_the_organisation_counts(services: Services) -> None:
    ids = _registry(services)
    org = services.organisations.create(OrganisationInput(kind="cooperative", name="Coopérative Malika")).id
    services.persons.add_member(org, ids["benali"])
    draft = PersonInput("Mohamed", "Benali", "M")
    found = services.duplicates.candidates(draft, organisation_id=org)
    assert Reason.SAME_ORGANISATION in found[0].reasons


def test_different_persons_remembered_audited_and_skipped_everywhere(services: Services) -> None:
    ids = _registry(services)
    twin = services.persons.create(PersonInput("Mohammed", "Ben Ali", "M", birth_year=1980)).id
    assert [(p.a, p.b) for p in services.duplicates.find()] == [(ids["benali"], twin)]
    assert ids["benali"] in [
        c.person_id
        for c in services.duplicates.candidates(
            PersonInput("Mohammed", "Ben Ali", "M", birth_year=1980), exclude_id=twin
        )
    ]
    assert services.duplicates.mark_different(twin, ids["benali"]) is True
    assert services.duplicates.mark_different(ids["benali"], twin) is False  # already known
    assert services.duplicates.find() == []
    again = services.duplicates.candidates(
        PersonInput("Mohammed", "Ben Ali", "M", birth_year=1980), exclude_id=twin
    )
    assert ids["benali"] not in [c.person_id for c in again]
    entries = [
        e
        for e in _admin(services).audit.search(AuditQuery(entity="person"))
        if e.action == "different_persons"
    ]
    assert len(entries) == 1
    assert entries[0].username == "agent.test" and "Mohamed Benali" in (entries[0].label or "")


def test_creating_with_dismissed_candidates_remembers_them(services: Services) -> None:
    ids = _registry(services)
    created = services.persons.create(
        PersonInput("Mohammed", "Ben Ali", "M", birth_year=1980), different_from=[ids["benali"]]
    ).id
    assert services.duplicates.find() == []
    with pytest.raises(NotFoundError):  # a dismissed candidate deleted meanwhile: nothing created
        services.persons.create(PersonInput("Ahmed", "Tazi", "M"), different_from=[99999])
    assert not [
        c for c in services.duplicates.candidates(PersonInput("Ahmed", "Tazi", "M")) if c.name == "Ahmed Tazi"
    ]
    assert created


def test_bad_decisions_are_refused(services: Services) -> None:
    ids = _registry(services)
    with pytest.raises(ValidationError):
        services.duplicates.mark_different(ids["benali"], ids["benali"])
    with pytest.raises(NotFoundError):
        services.duplicates.mark_different(ids["benali"], 99999)
    with pytest.raises(ValidationError) as error:
        services.duplicates.candidates(PersonInput("A", "B", "F"), min_score=2)
    assert error.value.field == "min_score"


def test_same_person_decision_is_audited(services: Services) -> None:
    ids = _registry(services)
    services.duplicates.note_same(ids["benali"], "Mohammed Ben Ali")
    entries = _admin(services).audit.search(AuditQuery(entity="person", entity_id=ids["benali"]))
    assert [e.action for e in entries].count("same_person") == 1


def test_read_only_accounts_see_candidates_with_cin_masked(services: Services) -> None:
    _registry(services)
    viewer = Services(services.db, Actor("lecteur", "readonly"))
    found = viewer.duplicates.candidates(PersonInput("Mohamed", "Benali", "M", birth_year=1980))
    assert found and found[0].cin not in (None, "AB123456")


def test_cin_slips_are_the_near_misses() -> None:
    slips = cin_slips("AB123456")
    assert "AB123465" in slips and "AB123457" in slips
    assert "AB123456" not in slips
    assert all(cin_near_miss("AB123456", s) for s in slips)
    assert "BE123456" in cin_slips("AB123456", any_letters=True)
    assert "BE123456" not in slips
