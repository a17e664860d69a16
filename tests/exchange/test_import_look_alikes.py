"""Before a member import: the lines that look like a registered person or like another line
of the file, and the user's decisions (same: linked, not created; different: remembered)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ksm_desktop.domain.enums import DuplicateReason
from ksm_desktop.domain.errors import NotFoundError, ValidationError
from ksm_desktop.services import Actor, ListQuery, Services
from ksm_desktop.services.audit import AuditQuery
from ksm_desktop.services.dto import OrganisationInput, PersonInput
from ksm_desktop.services.imports import ImportDecision
from tests.exchange.conftest import write_xlsx
from tests.exchange.test_import_service import HEADERS, load, people_count


def _setup(services: Services, tmp_path: Path) -> tuple[int, int, Path]:
    org = services.organisations.create(OrganisationInput(kind="cooperative", name="Coopérative Malika")).id
    registered = services.persons.create(
        PersonInput("Mohamed", "Benali", "M", birth_year=1980, phone="0661234567")
    ).id
    path = write_xlsx(
        tmp_path / "members.xlsx",
        [
            HEADERS,
            ["Ben Ali", "Mohammed", None, "H", "1980", "06 61 23 45 67", "Membre"],  # line 2: registered
            ["Tazi", "Khadija", None, "F", "1975", None, "Présidente"],  # line 3
            ["Tazi", "Khadidja", None, "F", "1975", None, "Membre"],  # line 4: line 3 again
            ["Idrissi", "Hassan", None, "H", "1990", None, "Membre"],  # line 5: nobody
        ],
    )
    return org, registered, path


def test_preview_lists_registered_and_in_file_look_alikes(services: Services, tmp_path: Path) -> None:
    org, registered, path = _setup(services, tmp_path)
    rows, bad = load(path)
    report = services.imports.preview(org, rows, bad)
    assert report.ok and report.to_add == 4
    found = {(a.line, a.person_id, a.other_line) for a in report.look_alikes}
    assert found == {(2, registered, None), (4, None, 3)}
    first = report.look_alikes[0]
    assert first.other_name == "Mohamed Benali" and DuplicateReason.SAME_PHONE in first.reasons
    assert any("look like someone already registered: 2" in line for line in report.lines())


def test_same_links_the_registered_person_and_skips_the_repeated_line(
    services: Services, tmp_path: Path
) -> None:
    org, registered, path = _setup(services, tmp_path)
    rows, bad = load(path)
    before = people_count(services)
    decisions = [ImportDecision(2, True, person_id=registered), ImportDecision(4, True, other_line=3)]
    preview = services.imports.preview(org, rows, bad, decisions)
    assert (preview.to_add, preview.linked) == (2, 1)
    done = services.imports.commit(org, rows, bad, decisions)
    assert (done.to_add, done.linked) == (2, 1)
    assert people_count(services) == before + 2  # Khadija Tazi and Hassan Idrissi only
    members = {m.person_id: m for m in services.persons.members_of(org)}
    assert registered in members and len(members) == 3
    assert [p.first_name for p in services.persons.search(ListQuery(text="Tazi")).rows] == ["Khadija"]
    admin = Services(services.db, Actor("admin", "admin"))
    same = [e for e in admin.audit.search(AuditQuery(entity_id=registered)) if e.action == "same_person"]
    assert len(same) == 1 and "Mohammed Ben Ali" in (same[0].label or "")


def test_different_is_remembered_and_never_proposed_again(services: Services, tmp_path: Path) -> None:
    org, registered, path = _setup(services, tmp_path)
    rows, bad = load(path)
    decisions = [ImportDecision(2, False, person_id=registered), ImportDecision(4, False, other_line=3)]
    services.imports.commit(org, rows, bad, decisions)
    assert people_count(services) == 5
    assert services.duplicates.find() == []  # both pairs decided different
    admin = Services(services.db, Actor("admin", "admin"))
    entries = admin.audit.search(AuditQuery(entity="person"))
    assert [e.action for e in entries].count("different_persons") == 2


def test_undecided_look_alikes_are_imported_as_new(services: Services, tmp_path: Path) -> None:
    org, _registered, path = _setup(services, tmp_path)
    rows, bad = load(path)
    services.imports.commit(org, rows, bad)
    assert people_count(services) == 5
    assert len(services.duplicates.find()) == 2  # left for the review


def test_bad_decisions_are_refused_and_nothing_is_imported(services: Services, tmp_path: Path) -> None:
    org, registered, path = _setup(services, tmp_path)
    rows, bad = load(path)
    before = people_count(services)
    for decision, error in (
        (ImportDecision(99, True, person_id=registered), ValidationError),
        (ImportDecision(2, True), ValidationError),
        (ImportDecision(2, True, person_id=99999), NotFoundError),
    ):
        with pytest.raises(error):
            services.imports.commit(org, rows, bad, [decision])
    assert people_count(services) == before
