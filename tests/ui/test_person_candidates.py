"""While a new person is typed, the persons already registered who may be the same one appear
with their score and reasons; the user opens that person or says it is another one."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QPushButton

from ksm_desktop.services import Actor, ListQuery, Services
from ksm_desktop.services.audit import AuditQuery
from ksm_desktop.services.dto import OrganisationInput, PersonInput
from ksm_desktop.ui.forms.person_dialog import PersonDialog
from ksm_desktop.ui.workers import wait_for_jobs
from tests.ui.forms_support import answer, track


def _registered(services: Services) -> int:
    return services.persons.create(
        PersonInput("Mohamed", "Benali", "M", cin="AB123456", birth_year=1980, full_name_ar="محمد بن علي")
    ).id


def _typed(qtbot, services: Services, first: str, last: str, year: int = 1980) -> PersonDialog:
    dialog = track(qtbot, PersonDialog(services, None))
    dialog.show()
    qtbot.keyClicks(dialog.first_name, first)
    qtbot.keyClicks(dialog.last_name, last)
    dialog.sex.set_value("M")
    qtbot.keyClicks(dialog.birth_year, str(year))
    return dialog


def _lines(dialog: PersonDialog) -> list[str]:
    return [label.text() for label in dialog.candidates.findChildren(QLabel) if label.isVisibleTo(dialog)]


def _button(dialog: PersonDialog, text: str) -> QPushButton:
    return next(
        b for b in dialog.candidates.findChildren(QPushButton) if b.text() == text and b.isVisibleTo(dialog)
    )


def test_typing_another_spelling_shows_the_registered_person_with_reasons(qtbot, services: Services) -> None:
    _registered(services)
    dialog = _typed(qtbot, services, "Mohammed", "Ben Ali")
    qtbot.waitUntil(lambda: dialog.candidates.isVisibleTo(dialog), timeout=5000)
    text = " ".join(_lines(dialog))
    assert "Mohamed Benali" in text and "AB123456" in text and "born 1980" in text
    assert "same name" in text and "same birth year" in text and "%" in text


def test_a_stranger_shows_no_panel(qtbot, services: Services) -> None:
    _registered(services)
    dialog = _typed(qtbot, services, "Khadija", "Tazi", 1970)
    dialog.look_up()  # the pause is over
    assert wait_for_jobs()
    qtbot.waitUntil(lambda: dialog._lookups >= 1)
    QApplication.processEvents()  # the answer is delivered
    assert not dialog.candidates.isVisibleTo(dialog)


def test_same_person_opens_the_registered_one_and_creates_nothing(qtbot, services: Services) -> None:
    registered = _registered(services)
    dialog = _typed(qtbot, services, "Mohammed", "Ben Ali")
    qtbot.waitUntil(lambda: dialog.candidates.isVisibleTo(dialog), timeout=5000)
    qtbot.mouseClick(_button(dialog, "Same person"), Qt.MouseButton.LeftButton)
    assert dialog.open_instead == registered and not dialog.isVisible()
    assert services.persons.search(ListQuery()).total == 1
    admin = Services(services.db, Actor("admin", "admin"))
    assert "same_person" in [e.action for e in admin.audit.search(AuditQuery(entity_id=registered))]


def test_different_person_hides_it_and_is_remembered_on_save(qtbot, services: Services, monkeypatch) -> None:
    registered = _registered(services)
    asked = answer(monkeypatch, QMessageBox.StandardButton.No)
    dialog = _typed(qtbot, services, "Mohammed", "Ben Ali")
    qtbot.waitUntil(lambda: dialog.candidates.isVisibleTo(dialog), timeout=5000)
    qtbot.mouseClick(_button(dialog, "Different person"), Qt.MouseButton.LeftButton)
    assert not dialog.candidates.isVisibleTo(dialog)
    qtbot.keyClick(dialog.first_name, Qt.Key.Key_Return)  # Enter saves
    assert dialog.saved and asked == []  # decided: no question
    assert services.duplicates.find() == []  # the pair is never proposed again
    again = services.duplicates.candidates(
        PersonInput("Mohammed", "Ben Ali", "M", birth_year=1980), exclude_id=dialog.entity_id
    )
    assert registered not in [c.person_id for c in again]


def test_saving_with_an_undecided_strong_candidate_asks_once(qtbot, services: Services, monkeypatch) -> None:
    _registered(services)
    asked = answer(monkeypatch, QMessageBox.StandardButton.No)
    dialog = _typed(qtbot, services, "Mohammed", "Ben Ali")
    qtbot.keyClick(dialog.first_name, Qt.Key.Key_Return)  # saved before the pause is over
    assert len(asked) == 1 and "Mohamed Benali" in asked[0]
    assert not dialog.saved and services.persons.search(ListQuery()).total == 1
    asked = answer(monkeypatch, QMessageBox.StandardButton.Yes)
    assert dialog.save()
    assert len(asked) == 1 and services.persons.search(ListQuery()).total == 2
    assert services.duplicates.find() == []  # "save anyway" said they are different


def test_a_new_member_of_an_organisation_is_compared_with_its_members(qtbot, services: Services) -> None:
    registered = _registered(services)
    org = services.organisations.create(OrganisationInput(kind="cooperative", name="Coopérative Malika")).id
    services.persons.add_member(org, registered)
    dialog = track(qtbot, PersonDialog(services, None, organisation_id=org))
    dialog.show()
    qtbot.keyClicks(dialog.first_name, "Mohammed")
    qtbot.keyClicks(dialog.last_name, "Ben Ali")
    qtbot.waitUntil(lambda: dialog.candidates.isVisibleTo(dialog), timeout=5000)
    assert "member of the same organisation" in " ".join(_lines(dialog))
