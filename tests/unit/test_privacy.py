"""Law 09-08: consent, export of everything about one person, anonymisation keeping the counts."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal as D
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ksm_desktop.domain.errors import PermissionDeniedError, ValidationError
from ksm_desktop.services import Actor, ListQuery, Services
from ksm_desktop.services.audit import AuditQuery
from ksm_desktop.services.dto import DeliveryInput, GrantInput, GrantItemInput, PersonInput


@pytest.fixture
def admin(demo: Services) -> Services:
    return Services(demo.db, Actor("amina", "admin"))


def _member(services: Services) -> int:
    return next(r.id for r in services.persons.search(ListQuery(limit=None)).rows if r.cin and r.orgs)


def test_consent_is_recorded_and_validated(admin: Services) -> None:
    pid = _member(admin)
    with pytest.raises(ValidationError):
        admin.privacy.set_consent(pid, dt.date.today(), "  ")
    admin.privacy.set_consent(pid, dt.date(2026, 3, 1), "Suivi des bénéficiaires du programme")
    person = admin.privacy.export(pid)["person"]
    assert person["consent_date"] == "2026-03-01"


def test_export_holds_person_memberships_and_history(admin: Services, tmp_path: Path) -> None:
    pid = _member(admin)
    p = admin.persons.get(pid)
    admin.persons.update(pid, PersonInput(p.first_name, p.last_name, p.sex, cin=p.cin, phone="0612345678"))
    out = admin.privacy.export_to(pid, tmp_path / "p.json")
    data = json.loads(out.read_text("utf-8"))
    assert data["person"]["cin"] == p.cin and data["memberships"]
    assert data["history"][-1]["changes"]["phone"][1] == "+212612345678"
    book = load_workbook(admin.privacy.export_to(pid, tmp_path / "p.xlsx"))
    assert {"memberships", "grants", "history"} <= set(book.sheetnames)
    with pytest.raises(PermissionDeniedError):
        Services(admin.db, Actor("agent", "agent")).privacy.export(pid)


def test_anonymise_removes_identity_and_keeps_counts(admin: Services) -> None:
    pid = _member(admin)
    before = admin.persons.get(pid)
    memberships = admin.persons.memberships_of(pid)
    counts = admin.figures.counts()
    admin.privacy.anonymise(pid)
    after = admin.persons.get(pid)
    assert (
        after.cin is None and after.phone is None and after.full_name_ar is None and after.birth_date is None
    )
    assert before.last_name not in after.full_name and after.sex == before.sex
    assert after.birth_year == before.birth_year
    assert len(admin.persons.memberships_of(pid)) == len(memberships)
    assert admin.figures.counts() == counts
    assert all(r.id != pid for r in admin.persons.search(ListQuery(text=before.last_name)).rows)
    history = admin.audit.search(AuditQuery(entity="person", entity_id=pid))
    assert history and all(before.cin not in json.dumps(e.changes) for e in history)
    assert before.cin is None or before.cin not in json.dumps(admin.privacy.export(pid))


def _raw_files(admin: Services) -> bytes:
    """The bytes of the SQLite file and its write-ahead log, lower-cased, as a disk reader sees them."""
    path = admin.db.path
    assert path is not None
    files = [path, path.with_name(path.name + "-wal")]
    return b"".join(f.read_bytes() for f in files if f.exists()).lower()


@pytest.mark.sqlite_only  # reads the raw SQLite file too
def test_anonymise_leaves_no_copy_in_search_texts_deliveries_log_or_file(admin: Services) -> None:
    pid = _member(admin)
    p = admin.persons.get(pid)
    admin.persons.update(
        pid,
        PersonInput(
            p.first_name, p.last_name, p.sex, cin=p.cin, phone="0612345678", full_name_ar="زينب المختبرية"
        ),
    )
    grant = admin.grants.create(
        GrantInput(purpose="Machine", person_id=pid, items=[GrantItemInput("Machine", D("1"), D("300"))])
    )
    admin.grants.transition(grant.id, "validated")
    admin.grants.transition(
        grant.id,
        "delivered",
        delivery=DeliveryInput(dt.date.today(), "Errachidia", f"{p.last_name.upper()} {p.first_name}", p.cin),
    )
    assert p.cin and admin.grants.search(ListQuery(text=p.cin)).total == 1
    names = {f"{p.first_name} {p.last_name}", f"{p.last_name} {p.first_name}"}
    assert any(n.lower().encode() in _raw_files(admin) for n in names)

    admin.privacy.anonymise(pid)

    for text in (p.cin, p.last_name, f"{p.first_name} {p.last_name}"):
        assert admin.grants.search(ListQuery(text=text)).total == 0, text
    delivered = admin.grants.get(grant.id)
    assert (delivered.received_by_name, delivered.received_by_cin) == ("Anonyme", None)
    log = json.dumps([(e.label, e.changes) for e in admin.audit.search(AuditQuery(limit=None))])
    raw = _raw_files(admin)
    for trace in (p.cin, "+212612345678", "زينب المختبرية", *names):
        assert trace.lower() not in log.lower(), trace
        assert trace.lower().encode() not in raw, trace
