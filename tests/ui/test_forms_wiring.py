"""Features reached from the forms: member import, consent, export, anonymisation, read-only accounts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QLineEdit, QMessageBox

from ksm_desktop.services import Services
from ksm_desktop.services.base import MASK, Actor
from ksm_desktop.services.dto import OrganisationInput, PersonInput
from ksm_desktop.ui.forms.grant_dialog import GrantDialog
from ksm_desktop.ui.forms.organisation_dialog import OrganisationDialog
from ksm_desktop.ui.forms.person_dialog import PersonDialog
from ksm_desktop.ui.import_dialog import PREVIEW
from tests.ui.forms_support import answer, track


def test_import_from_the_organisation_form_adds_members(qtbot, demo: Services, tmp_path: Path) -> None:
    path = tmp_path / "membres.csv"
    path.write_text("Nom;Prénom;CIN;Sexe\nOufkir;Zahra;XQ1;Femme\nIdrissi;Omar;;Homme\n", "utf-8")
    org_id = demo.organisations.get_by_code("MALIKA").id
    form = track(qtbot, OrganisationDialog(demo, org_id))
    before = form.members.rowCount()
    assert form.import_button.isEnabled()
    form.import_button.click()
    dialog = form.import_dialog
    assert dialog is not None and dialog.organisation_id == org_id
    dialog.path_edit.setText(str(path))
    dialog.next_button.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    dialog.next_button.click()
    qtbot.waitUntil(lambda: dialog.pages.currentIndex() == PREVIEW, timeout=10_000)
    with qtbot.waitSignal(dialog.imported, timeout=20_000):
        dialog.import_button.click()
    assert form.members.rowCount() == before + 2
    names = {form.members.item(row, 0).text() for row in range(form.members.rowCount())}
    assert any("Oufkir" in name for name in names)


def test_a_new_organisation_cannot_import_before_it_is_saved(qtbot, services: Services) -> None:
    form = track(qtbot, OrganisationDialog(services, None))
    assert not form.import_button.isEnabled()


@pytest.fixture
def reader(services: Services) -> Services:
    return Services(services.db, Actor("lecteur", "readonly"))


@pytest.fixture
def admin(services: Services) -> Services:
    return Services(services.db, Actor("admin.test", "admin"))


def _person(services: Services) -> int:
    return services.persons.create(
        PersonInput(first_name="Zahra", last_name="Oufkir", sex="F", cin="XQ12345", phone="0661234567")
    ).id


def test_consent_is_saved_and_shown_again(qtbot, services: Services) -> None:
    person_id = _person(services)
    form = track(qtbot, PersonDialog(services, person_id))
    form.consent_date.set_value(dt.date(2026, 3, 2))
    assert not form.save()  # a date without its purpose is refused, nothing saved
    assert form._errors["consent_purpose"].text()
    assert services.persons.get(person_id).consent_date is None
    form.consent_purpose.setText("Suivi du programme et photos")
    assert form.save()
    again = track(qtbot, PersonDialog(services, person_id))
    assert again.consent_date.value() == dt.date(2026, 3, 2)
    assert again.consent_purpose.text() == "Suivi du programme et photos"


def test_agents_cannot_export_or_anonymise(qtbot, services: Services) -> None:
    form = track(qtbot, PersonDialog(services, _person(services)))
    assert not form.export_button.isEnabled() and not form.anonymise_button.isEnabled()
    assert form.anonymise_button.toolTip() == "Only an administrator can do this."


def test_export_personal_data_to_json(qtbot, admin: Services, tmp_path: Path, monkeypatch) -> None:
    services = admin
    person_id = _person(services)
    target = tmp_path / "zahra.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), ""))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: shown.append(text))
    form = track(qtbot, PersonDialog(services, person_id))
    form.export_button.click()
    assert json.loads(target.read_text("utf-8"))["person"]["cin"] == "XQ12345"
    assert shown and str(target) in shown[0]


def test_anonymise_after_confirmation_clears_the_name(qtbot, admin: Services, monkeypatch) -> None:
    services = admin
    person_id = _person(services)
    form = track(qtbot, PersonDialog(services, person_id))
    asked = answer(monkeypatch, QMessageBox.StandardButton.No)
    form.anonymise_button.click()
    assert asked and services.persons.get(person_id).last_name == "Oufkir"  # "No" changes nothing
    asked = answer(monkeypatch, QMessageBox.StandardButton.Yes)
    form.anonymise_button.click()
    assert "cannot be undone" in asked[0]
    person = services.persons.get(person_id)
    assert "Oufkir" not in person.full_name and person.cin is None
    assert form.last_name.text() != "Oufkir" and not form.cin.text()
    assert not form.anonymise_button.isEnabled()  # done once


def test_read_only_user_sees_read_only_forms(qtbot, services: Services, reader: Services) -> None:
    person_id = _person(services)
    form = track(qtbot, PersonDialog(reader, person_id))
    form.show()
    assert not form.save_button.isVisible()
    assert all(edit.isReadOnly() for edit in form.findChildren(QLineEdit))
    assert form.cin.text() == MASK and form.phone.text() == MASK
    assert not form._errors["cin"].isVisible()  # the mask is not reported as a bad CIN
    assert not form.anonymise_button.isEnabled() and not form.export_button.isEnabled()
    assert form.banner.isVisible()
    org_id = services.organisations.create(OrganisationInput(kind="cooperative", name="Tamount")).id
    org = track(qtbot, OrganisationDialog(reader, org_id))
    org.show()
    assert not org.save_button.isVisible() and org.name.isReadOnly()
    assert not org.import_button.isEnabled() and not org.add_member_button.isEnabled()


def test_read_only_user_can_still_print_a_grant(qtbot, demo: Services) -> None:
    reader = Services(demo.db, Actor("lecteur", "readonly"))
    from ksm_desktop.services import ListQuery

    grant_id = demo.grants.search(ListQuery(limit=1)).rows[0].id
    editor = track(qtbot, GrantDialog(reader, grant_id))
    editor.show()
    assert not editor.save_button.isVisible() and editor.purpose.isReadOnly()
    assert editor.print_button.isEnabled()
    assert not any(b.isEnabled() for b in editor.step_buttons.values())
