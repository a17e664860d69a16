"""What every form does: the unsaved-changes prompt, Save only when valid, the entry point."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from ksm_desktop.services import ListQuery, Services
from ksm_desktop.services.dto import PersonInput
from ksm_desktop.ui import forms
from ksm_desktop.ui.forms.person_dialog import PersonDialog
from ksm_desktop.ui.forms.programme_dialog import ProgrammeDialog
from tests.ui.forms_support import answer, track


def _modified_person(qtbot, services: Services) -> PersonDialog:
    dialog = track(qtbot, PersonDialog(services, None))
    dialog.show()
    dialog.first_name.setText("Zahra")
    dialog.last_name.setText("Ouali")
    dialog.sex.set_value("F")
    assert dialog.dirty
    return dialog


def test_cancel_keeps_the_form_open(qtbot, services: Services, monkeypatch) -> None:
    dialog = _modified_person(qtbot, services)
    asked = answer(monkeypatch, QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked and dialog.isVisible()
    assert services.persons.search(ListQuery()).total == 0


def test_discard_closes_without_saving(qtbot, services: Services, monkeypatch) -> None:
    dialog = _modified_person(qtbot, services)
    answer(monkeypatch, QMessageBox.StandardButton.Discard)
    dialog.close()
    assert not dialog.isVisible() and not dialog.saved
    assert services.persons.search(ListQuery()).total == 0


def test_save_from_the_prompt_saves(qtbot, services: Services, monkeypatch) -> None:
    dialog = _modified_person(qtbot, services)
    answer(monkeypatch, QMessageBox.StandardButton.Save)
    dialog.reject()
    assert not dialog.isVisible() and dialog.saved
    assert services.persons.get(dialog.entity_id).first_name == "Zahra"


def test_an_unmodified_form_closes_without_asking(qtbot, demo: Services, monkeypatch) -> None:
    person_id = demo.persons.search(ListQuery(limit=1)).rows[0].id
    dialog = track(qtbot, PersonDialog(demo, person_id))
    dialog.show()
    asked = answer(monkeypatch, QMessageBox.StandardButton.Cancel)
    dialog.close()
    assert not asked and not dialog.isVisible()


def test_ctrl_s_saves(qtbot, services: Services) -> None:
    dialog = _modified_person(qtbot, services)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.first_name, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialog.saved and not dialog.dirty


def test_save_is_disabled_while_the_form_is_invalid(qtbot, services: Services) -> None:
    dialog = track(qtbot, PersonDialog(services, None))
    assert not dialog.save_button.isEnabled()
    dialog.first_name.setText("Said")
    dialog.last_name.setText("Amrani")
    assert not dialog.save_button.isEnabled()  # sex still to choose
    dialog.sex.set_value("M")
    assert dialog.save_button.isEnabled()
    dialog.phone.setText("06 61")
    assert not dialog.save_button.isEnabled()
    assert "not a valid phone number" in dialog._errors["phone"].text()
    dialog.phone.setText("06 61 23 45 67")
    assert dialog.save_button.isEnabled()
    assert "+212661234567" in dialog._errors["phone"].text()  # the normalised value as a hint


def test_programme_budget_and_progress(qtbot, demo: Services) -> None:
    dialog = track(qtbot, ProgrammeDialog(demo, None))
    dialog.code.setText("PRG-TEST")
    dialog.name.setText("Programme test")
    dialog.budget.setText("12x")
    assert not dialog.save_button.isEnabled()
    dialog.budget.setText("50000")
    dialog.target_women.setValue(100)
    org = demo.organisations.search(ListQuery(limit=1)).rows[0]
    dialog.donors.chooser.set_value(org.id, org.name)
    dialog.donors._add()
    assert dialog.save()
    programme = demo.programmes.get(dialog.entity_id)
    assert programme.budget == 50000 and [d.organisation_id for d in programme.donors] == [org.id]
    assert "of 100" in dialog.reach_bars["women"][1].text()


def test_open_editor_moves_to_the_cin_owner(qtbot, demo: Services, monkeypatch) -> None:
    owner = next(r for r in demo.persons.search(ListQuery(limit=50)).rows if r.cin)
    opened: list[int | None] = []

    def fake_exec(dialog: PersonDialog) -> int:
        opened.append(dialog.entity_id)
        if dialog.entity_id is None:
            dialog.cin.setText(owner.cin)
            dialog.open_owner.click()
        return 0

    monkeypatch.setattr(PersonDialog, "exec", fake_exec)
    assert forms.open_editor("person", demo, None, None) is False
    assert opened == [None, owner.id]


def test_open_editor_refuses_an_unknown_kind(services: Services) -> None:
    services.persons.create(PersonInput(first_name="A", last_name="B", sex="F"))
    with pytest.raises(ValueError, match="unknown form kind"):
        forms.open_editor("donkey", services, None, None)


def test_every_editor_opens_and_is_freed(qtbot, demo: Services, monkeypatch) -> None:
    """Each kind opens on a demo record; its dialog is deleted at once (a PySide6 dialog left to
    the garbage collector in a reference cycle crashed the interpreter when collected)."""
    import gc

    from PySide6.QtWidgets import QDialog

    monkeypatch.setattr(QDialog, "exec", lambda self: 0)
    ids = {
        "organisation": demo.organisations.search(ListQuery(limit=1)).rows[0].id,
        "person": demo.persons.search(ListQuery(limit=1)).rows[0].id,
        "programme": demo.programmes.search(ListQuery(limit=1)).rows[0].id,
        "grant": demo.grants.search(ListQuery(limit=1)).rows[0].id,
    }
    for kind, entity_id in ids.items():
        assert forms.open_editor(kind, demo, entity_id, None) is False
        assert forms.open_editor(kind, demo, None, None) is False
        gc.collect()
