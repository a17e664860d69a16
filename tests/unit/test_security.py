"""Accounts, roles enforced in the services, masking for read-only accounts, and the audit log."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from ksm_desktop.db.engine import Database
from ksm_desktop.db.models_security import UserAccount
from ksm_desktop.domain.errors import ConflictError, PermissionDeniedError, ValidationError
from ksm_desktop.services import Actor, ListQuery, Services, users
from ksm_desktop.services.audit import AuditQuery
from ksm_desktop.services.dto import OrganisationInput, PersonInput
from ksm_desktop.services.settings import OrganisationProfile
from ksm_desktop.services.users import (
    MAX_FAILURES,
    authenticate,
    create_first_admin,
    has_users,
    single_user_actor,
)

PASSWORD = "correct horse battery"


@pytest.fixture
def admin(db: Database) -> Services:
    create_first_admin(db, "Amina", PASSWORD)
    return Services(db, authenticate(db, "amina", PASSWORD))


def test_first_admin_then_sign_in_with_the_right_password_only(db: Database) -> None:
    assert not has_users(db)
    create_first_admin(db, "amina", PASSWORD)
    assert has_users(db)
    with pytest.raises(ConflictError):
        create_first_admin(db, "other", PASSWORD)
    assert authenticate(db, " AMINA ", PASSWORD) == Actor("amina", "admin")
    with pytest.raises(PermissionDeniedError, match="Wrong user name or password"):
        authenticate(db, "amina", "wrong password!")
    with pytest.raises(PermissionDeniedError, match="Wrong user name or password"):
        authenticate(db, "nobody", PASSWORD)


def test_password_is_stored_as_argon2id_hash_only(db: Database) -> None:
    create_first_admin(db, "amina", PASSWORD)
    with db.reading() as session:
        stored = session.scalars(select(UserAccount.password_hash)).one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    m = int(stored.split("m=")[1].split(",")[0])
    t = int(stored.split("t=")[1].split(",")[0])
    assert m >= 19 * 1024 and t >= 2


def test_short_password_is_refused(db: Database) -> None:
    with pytest.raises(ValidationError):
        create_first_admin(db, "amina", "short")
    assert not has_users(db)


def test_repeated_failures_lock_the_account_for_a_while_and_the_lock_is_logged(db: Database) -> None:
    create_first_admin(db, "amina", PASSWORD)
    t0 = dt.datetime(2026, 11, 25, 9, 0)
    for _ in range(MAX_FAILURES):
        with pytest.raises(PermissionDeniedError):
            authenticate(db, "amina", "not the password", at=t0)
    with pytest.raises(PermissionDeniedError):
        authenticate(db, "amina", PASSWORD, at=t0 + dt.timedelta(minutes=1))
    assert authenticate(db, "amina", PASSWORD, at=t0 + dt.timedelta(minutes=10)).role == "admin"
    admin = Services(db, Actor("amina", "admin"))
    (lock,) = admin.audit.search(AuditQuery(entity="user", limit=None))[:1]
    assert lock.action == "locked" and lock.entity_id is not None and lock.label == "amina"
    assert lock.changes["locked_until"][1].startswith("2026-11-25T09:05")


def test_unknown_and_locked_accounts_get_the_same_answer_after_a_hash_check(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A locked account must not answer differently (or faster) than a name that does not exist."""
    create_first_admin(db, "amina", PASSWORD)
    t0 = dt.datetime(2026, 11, 25, 9, 0)
    for _ in range(MAX_FAILURES):
        with pytest.raises(PermissionDeniedError):
            authenticate(db, "amina", "not the password", at=t0)
    verified: list[str] = []
    real_verify = users._verify

    def counting(hashed: str, password: str) -> bool:
        verified.append(hashed)
        return real_verify(hashed, password)

    monkeypatch.setattr(users, "_verify", counting)
    answers = []
    later = t0 + dt.timedelta(minutes=1)
    for name, password in (("amina", PASSWORD), ("amina", "wrong"), ("nobody", PASSWORD), ("amina", "x")):
        with pytest.raises(PermissionDeniedError) as caught:
            authenticate(db, name, password, at=later)
        answers.append(str(caught.value))
    assert len(set(answers)) == 1 and answers[0].startswith("Wrong user name or password.")
    assert len(verified) == 4 and all(h.startswith("$argon2id$") for h in verified)


def test_only_admins_manage_users_and_settings(admin: Services) -> None:
    admin.users.add("youssef", PASSWORD, "agent")
    agent = Services(admin.db, authenticate(admin.db, "youssef", PASSWORD))
    with pytest.raises(PermissionDeniedError):
        agent.users.add("karim", PASSWORD, "admin")
    with pytest.raises(PermissionDeniedError):
        agent.users.list()
    with pytest.raises(PermissionDeniedError):
        agent.settings.save_profile(OrganisationProfile(name="Hacked"))
    assert admin.settings.profile().name == "Karama Solidarity Maroc"
    agent.users.set_password("youssef", "a new long password")  # one's own password: allowed
    assert [u.username for u in admin.users.list()] == ["amina", "youssef"]


def test_the_last_administrator_cannot_be_demoted(admin: Services) -> None:
    with pytest.raises(ConflictError):
        admin.users.set_role("amina", "agent")


def test_single_user_mode_is_an_explicit_admin_choice(admin: Services) -> None:
    assert single_user_actor(admin.db) is None
    admin.users.set_single_user_mode(True)
    assert single_user_actor(admin.db) == Actor("amina", "admin")


def test_read_only_accounts_see_cin_and_phone_masked(demo: Services) -> None:
    reader = Services(demo.db, Actor("visitor", "readonly"))
    full = demo.persons.search(ListQuery(limit=None)).rows
    masked = reader.persons.search(ListQuery(limit=None)).rows
    with_cin = [r for r in full if r.cin]
    assert with_cin
    by_id = {r.id: r for r in masked}
    for row in with_cin:
        assert by_id[row.id].cin == "••••••" and row.cin not in str(by_id[row.id])
        assert by_id[row.id].last_name == row.last_name
    assert reader.persons.get(with_cin[0].id).cin == "••••••"


def test_every_change_is_audited_with_user_and_fields(services: Services) -> None:
    admin = Services(services.db, Actor("amina", "admin"))
    org = services.organisations.create(OrganisationInput(kind="cooperative", name="Coopérative Malika"))
    person = services.persons.create(PersonInput("Fatima", "Alaoui", "F", cin="AB123456"))
    services.persons.update(person.id, PersonInput("Fatima", "Alaoui", "F", cin="AB654321"))
    membership = services.persons.add_member(org.id, person.id)
    services.persons.remove_member(membership.id)
    log = admin.audit.search(AuditQuery(entity="person"))
    assert [e.action for e in log] == ["update", "create"]
    assert log[0].username == "agent.test"
    assert log[0].changes == {"cin": ["AB123456", "AB654321"]}
    actions = [(e.entity, e.action) for e in admin.audit.search()]
    assert ("membership", "delete") in actions and ("organisation", "create") in actions
    assert admin.audit.search(AuditQuery(username="nobody")) == []
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    assert admin.audit.search(AuditQuery(since=tomorrow)) == []
    with pytest.raises(PermissionDeniedError):
        services.audit.search()


def test_workflow_steps_are_audited_and_rollback_leaves_no_trace(demo: Services) -> None:
    admin = Services(demo.db, Actor("amina", "admin"))
    before = len(admin.audit.search(AuditQuery(limit=None)))
    with pytest.raises(ValidationError):
        demo.persons.create(PersonInput("", "X", "F"))
    with pytest.raises(ConflictError):
        demo.persons.create(
            PersonInput("A", "B", "F", cin=next(r.cin for r in demo.persons.search().rows if r.cin))
        )
    assert len(admin.audit.search(AuditQuery(limit=None))) == before
    grant = demo.grants.search(ListQuery(filters={"status": "draft"}, limit=1)).rows[0]
    demo.grants.transition(grant.id, "validated")
    step = admin.audit.search(AuditQuery(entity="grant", limit=1))[0]
    assert step.action == "validated" and step.username == "agent.test"
    assert step.changes["status"] == ["draft", "validated"]


def test_audit_export_to_xlsx(services: Services, tmp_path: Path) -> None:
    admin = Services(services.db, Actor("amina", "admin"))
    services.organisations.create(OrganisationInput(kind="cooperative", name="=HYPERLINK(1)"))
    out = tmp_path / "audit.xlsx"
    assert admin.audit.export_xlsx(out) == 1
    sheet = load_workbook(out).active
    values = [c.value for row in sheet.iter_rows(min_row=2) for c in row]
    assert "organisation" in values and "=HYPERLINK(1)" in values
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
