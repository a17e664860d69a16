"""A merge where the user picks per field, and its undo from the audit record."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ksm_desktop.cli import main
from ksm_desktop.domain.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from ksm_desktop.services import Actor, Services
from ksm_desktop.services.audit import AuditQuery
from ksm_desktop.services.dto import GrantInput, GrantItemInput, OrganisationInput, PersonInput
from ksm_desktop.services.dto_fieldwork import ActivityInput, HouseholdInput


def _admin(services: Services) -> Services:
    return Services(services.db, Actor("amina", "admin"))


def _merge_entry(services: Services, keep: int) -> int:
    entries = _admin(services).audit.search(AuditQuery(entity="person", entity_id=keep))
    return next(e.id for e in entries if e.action == "merge")


def _two_records(services: Services) -> dict[str, int]:
    """The same woman registered twice, with a membership both have, one each, a grant, a
    household she heads and an activity both attended."""
    org = services.organisations.create(OrganisationInput(kind="cooperative", name="Coopérative Malika")).id
    other = services.organisations.create(OrganisationInput(kind="association", name="Association Nour")).id
    keep = services.persons.create(
        PersonInput("Fatima", "Alaoui", "F", birth_date=dt.date(1980, 3, 2), phone="0661234567")
    ).id
    drop = services.persons.create(
        PersonInput(
            "Fatema",
            "El Alaoui",
            "F",
            full_name_ar="فاطمة العلوي",
            cin="AB123456",
            birth_year=1981,
            phone="0677000000",
            vulnerabilities=("widow",),
        )
    ).id
    services.persons.add_member(org, keep, "president")
    services.persons.add_member(org, drop, "treasurer", start_date=dt.date(2020, 1, 1))
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
    return {
        "org": org,
        "other": other,
        "keep": keep,
        "drop": drop,
        "grant": grant,
        "household": household,
        "activity": activity,
    }


def test_the_value_chosen_per_field_is_kept(services: Services) -> None:
    ids = _two_records(services)
    merged = services.persons.merge(ids["keep"], ids["drop"], {"last_name": "drop", "phone": "keep"})
    assert (merged.first_name, merged.last_name, merged.phone) == ("Fatima", "El Alaoui", "+212661234567")
    # empty fields are filled, the birth year follows the birth date kept, tags are united
    assert (merged.cin, merged.birth_year, merged.vulnerabilities) == ("AB123456", 1980, ("widow",))


def test_bad_choices_are_refused_and_change_nothing(services: Services) -> None:
    ids = _two_records(services)
    with pytest.raises(ValidationError) as err:
        services.persons.merge(ids["keep"], ids["drop"], {"password": "drop"})
    assert err.value.field == "choices"
    with pytest.raises(ValidationError) as err:
        services.persons.merge(ids["keep"], ids["drop"], {"phone": "both"})
    assert err.value.field == "phone"
    assert services.persons.get(ids["drop"]).last_name == "El Alaoui"


def test_undo_puts_back_exactly_what_the_merge_moved(services: Services) -> None:
    ids = _two_records(services)
    services.persons.merge(ids["keep"], ids["drop"], {"last_name": "drop", "birth_date": "keep"})
    admin = _admin(services)

    back = admin.persons.undo_merge(_merge_entry(services, ids["keep"]))

    assert back.id == ids["drop"]  # ids are never reused: the former one is safe to give back
    assert (back.first_name, back.last_name, back.cin, back.birth_year, back.full_name_ar) == (
        "Fatema",
        "El Alaoui",
        "AB123456",
        1981,
        "فاطمة العلوي",
    )
    assert back.vulnerabilities == ("widow",)
    kept = services.persons.get(ids["keep"])
    assert (kept.last_name, kept.cin, kept.phone, kept.vulnerabilities) == (
        "Alaoui",
        None,
        "+212661234567",
        (),
    )
    assert sorted(
        (m.organisation_id, m.role, m.start_date) for m in services.persons.memberships_of(back.id)
    ) == [
        (ids["org"], "treasurer", dt.date(2020, 1, 1)),
        (ids["other"], "member", None),
    ]
    assert [(m.organisation_id, m.role) for m in services.persons.memberships_of(ids["keep"])] == [
        (ids["org"], "president")
    ]
    assert services.grants.get(ids["grant"]).recipient.person_id == back.id
    assert services.households.get(ids["household"]).head_id == back.id
    assert sorted(p.person_id for p in services.activities.get(ids["activity"]).participants) == sorted(
        [ids["keep"], back.id]
    )
    undo = next(
        e for e in admin.audit.search(AuditQuery(entity="person", entity_id=back.id)) if e.action == "unmerge"
    )
    assert undo.username == "amina"
    with pytest.raises(ConflictError) as err:  # twice: refused
        admin.persons.undo_merge(_merge_entry(services, ids["keep"]))
    assert "already" in err.value.message


def test_undo_refused_when_the_records_changed_since(services: Services) -> None:
    ids = _two_records(services)
    services.persons.merge(ids["keep"], ids["drop"])
    entry = _merge_entry(services, ids["keep"])
    admin = _admin(services)
    with pytest.raises(PermissionDeniedError):
        services.persons.undo_merge(entry)  # an agent: the audit log is the administrator's
    with pytest.raises(NotFoundError):
        admin.persons.undo_merge(entry - 1)  # not a merge
    membership = next(
        m.id for m in services.persons.memberships_of(ids["keep"]) if m.organisation_id == ids["other"]
    )
    services.persons.remove_member(membership)
    with pytest.raises(ConflictError) as err:
        admin.persons.undo_merge(entry)
    assert "no longer safe" in err.value.message
    with pytest.raises(NotFoundError):
        services.persons.get(ids["drop"])  # nothing recreated
    kept = services.persons.get(ids["keep"])
    assert kept.cin == "AB123456"
    services.persons.update(
        ids["keep"],
        PersonInput(
            kept.first_name, kept.last_name, kept.sex, cin=kept.cin, notes="vue", version=kept.version
        ),
    )
    with pytest.raises(ConflictError) as err:
        admin.persons.undo_merge(entry)
    assert "changed after the merge" in err.value.message


def test_undo_merge_command(
    services: Services, db_args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    keep = services.persons.create(PersonInput("Zineb", "Tazi", "F")).id
    drop = services.persons.create(PersonInput("Zainab", "Tazi", "F", cin="JA112233")).id
    services.persons.merge(keep, drop)
    entry = _merge_entry(services, keep)
    assert main([*db_args, "--lang", "fr", "undo-merge", str(entry)]) == 0
    assert "Zainab Tazi" in capsys.readouterr().out
    assert services.persons.get(drop).cin == "JA112233"
    assert services.persons.get(keep).cin is None
    assert main([*db_args, "--lang", "fr", "undo-merge", str(entry)]) == 1
    assert "déjà" in capsys.readouterr().err


def test_merge_command_takes_the_dropped_value_of_a_field(
    services: Services, db_args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    keep = services.persons.create(PersonInput("Zineb", "Tazi", "F", phone="0661000000")).id
    drop = services.persons.create(PersonInput("Zainab", "Tazi", "F", phone="0662000000")).id
    assert main([*db_args, "merge-persons", str(keep), str(drop), "--use-dropped", "first_name"]) == 0
    kept = services.persons.get(keep)
    assert (kept.first_name, kept.phone) == ("Zainab", "+212661000000")
    other = services.persons.create(PersonInput("Zineb", "Tazi", "F")).id
    assert (
        main([*db_args, "--lang", "fr", "merge-persons", str(keep), str(other), "--use-dropped", "password"])
        == 1
    )
    assert "fusion" in capsys.readouterr().err
    assert services.persons.get(other).first_name == "Zineb"
