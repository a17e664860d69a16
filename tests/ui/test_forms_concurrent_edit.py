"""Two people with the same organisation open: the second save is refused with who changed it,
and the form offers to reload the record (runs on SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import asdict

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from ksm_desktop.services import Actor, Services
from ksm_desktop.services.dto import OrganisationInput
from ksm_desktop.ui.forms.organisation_dialog import OrganisationDialog
from tests.ui.forms_support import answer, track


def _amina_changes_phone(services: Services, org_id: int) -> None:
    amina = Services(services.db, Actor("amina", "agent"))
    current = asdict(amina.organisations.get(org_id))
    fields = {k: v for k, v in current.items() if k in OrganisationInput.__dataclass_fields__}
    amina.organisations.update(org_id, OrganisationInput(**{**fields, "phone": "0661234567"}))


def test_second_save_says_who_changed_it_and_reloads(qtbot, services: Services, monkeypatch) -> None:
    org = services.organisations.create(OrganisationInput(kind="cooperative", name="Coopérative Malika"))
    dialog = track(qtbot, OrganisationDialog(services, org.id))
    dialog.show()
    qtbot.keyClicks(dialog.sector, "Couture")
    _amina_changes_phone(services, org.id)
    asked = answer(monkeypatch, QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.saved
    assert len(asked) == 1 and "amina changed this record" in asked[0] and "Reload" in asked[0]
    # reloaded: Amina's phone is shown, the form is no longer modified, and a new save goes through
    assert dialog.phone.text() == "+212661234567" and dialog.sector.text() == "" and not dialog.dirty
    qtbot.keyClicks(dialog.sector, "Couture")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    stored = services.organisations.get(org.id)
    assert dialog.saved and (stored.phone, stored.sector) == ("+212661234567", "Couture")


def test_declining_the_reload_keeps_what_was_typed_and_the_message(
    qtbot, services: Services, monkeypatch
) -> None:
    org = services.organisations.create(OrganisationInput(kind="cooperative", name="Coopérative Malika"))
    dialog = track(qtbot, OrganisationDialog(services, org.id))
    dialog.show()
    qtbot.keyClicks(dialog.sector, "Couture")
    _amina_changes_phone(services, org.id)
    answer(monkeypatch, QMessageBox.StandardButton.No)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.sector.text() == "Couture" and "amina" in dialog.general_error.text()
    assert services.organisations.get(org.id).sector is None
