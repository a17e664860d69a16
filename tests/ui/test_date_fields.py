"""Date fields as a person uses them: typed in the locale's order, empty when unknown, a calendar
that opens at the field's date or today, Tab that leaves the field, and an impossible date
refused with a message."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from ksm_desktop.services import Services
from ksm_desktop.ui.forms.base import FormDialog
from ksm_desktop.ui.forms.fields import OptionalDateEdit


def _shown(qtbot: Any, dialog: FormDialog) -> FormDialog:
    qtbot.addWidget(dialog, before_close_func=lambda w: setattr(w, "dirty", False))
    dialog.show()
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    return dialog


def _type(date: OptionalDateEdit, text: str) -> None:
    date.setFocus()
    QTest.keyClicks(date.edit, text)


@pytest.fixture
def new_organisation(qtbot: Any, demo: Services) -> Any:
    from ksm_desktop.ui.forms.organisation_dialog import OrganisationDialog

    dialog = _shown(qtbot, OrganisationDialog(demo, None))
    dialog.tabs.setCurrentIndex(0)
    return dialog


def test_a_typed_creation_date_is_kept_and_saved(new_organisation: Any, demo: Services) -> None:
    dialog = new_organisation
    assert dialog.created_on.edit.text() == ""  # an unknown date shows empty
    QTest.keyClicks(dialog.name, "Cooperative Tiwizi")
    dialog.kind.set_value("cooperative")
    _type(dialog.created_on, "15/03/2021")
    assert dialog.created_on.value() == dt.date(2021, 3, 15)
    assert dialog.save(), dialog.problems()
    assert demo.organisations.get(dialog.entity_id).created_on == dt.date(2021, 3, 15)


def test_a_short_date_is_read_and_written_out_when_tab_leaves(qtbot: Any, new_organisation: Any) -> None:
    date = new_organisation.created_on
    _type(date, "15/3/21")
    QTest.keyClick(date.edit, Qt.Key.Key_Tab)
    assert not date.edit.hasFocus()
    assert date.edit.text() == "15/03/2021" and date.value() == dt.date(2021, 3, 15)


def test_an_impossible_date_is_refused_with_a_message(new_organisation: Any, demo: Services) -> None:
    dialog = new_organisation
    QTest.keyClicks(dialog.name, "Cooperative Tiwizi")
    dialog.kind.set_value("cooperative")
    _type(dialog.created_on, "31/02/2021")
    message = dialog._errors["created_on"]
    assert message.isVisibleTo(dialog) and "31/02/2021" in message.text()
    assert not dialog.save_button.isEnabled() and not dialog.save()
    QTest.keyClick(dialog.created_on.edit, Qt.Key.Key_Backspace)
    QTest.keyClicks(dialog.created_on.edit, "0")  # 31/02/2020: still no 31 February
    assert not dialog.save_button.isEnabled()
    dialog.created_on.edit.clear()
    _type(dialog.created_on, "28/02/2021")
    assert not message.isVisibleTo(dialog) and dialog.save_button.isEnabled()


def test_the_calendar_opens_at_the_date_or_today(new_organisation: Any) -> None:
    date = new_organisation.created_on
    QTest.mouseClick(date.button, Qt.MouseButton.LeftButton)
    assert date.calendar.selectedDate().toPython() == dt.date.today()
    date.popup.hide()
    _type(date, "15/03/2021")
    QTest.keyClick(date.edit, Qt.Key.Key_F4)
    assert date.calendar.selectedDate().toPython() == dt.date(2021, 3, 15)
    grid = date.calendar.focusProxy() or date.calendar
    QTest.keyClick(grid, Qt.Key.Key_Right)
    QTest.keyClick(grid, Qt.Key.Key_Return)
    assert date.value() == dt.date(2021, 3, 16) and not date.popup.isVisible()


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_tab_leaves_the_birth_date_once_something_is_typed(
    qtbot: Any, demo: Services, qapp: Any, lang: str
) -> None:
    from ksm_desktop.ui.forms.person_dialog import PersonDialog
    from ksm_desktop.ui.language import apply_language

    apply_language(qapp, lang)
    try:
        dialog = _shown(qtbot, PersonDialog(demo, None))
        _type(dialog.birth_date, "5/7/1980")
        QTest.keyClick(dialog.birth_date.edit, Qt.Key.Key_Tab)
        assert dialog.focusWidget() is dialog.birth_year
        QTest.keyClick(dialog.birth_year, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
        assert dialog.focusWidget() is dialog.birth_date.edit
        QTest.keyClick(dialog.birth_date.edit, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
        assert dialog.birth_date.value() == dt.date(1980, 7, 5)
        assert dialog.focusWidget() is not dialog.birth_date.edit
    finally:
        apply_language(qapp, "fr")


def test_every_date_field_is_the_typed_one(qtbot: Any, demo: Services) -> None:
    """Rate date, activity dates, birth date: one widget everywhere, none of Qt's spin-box dates."""
    from PySide6.QtWidgets import QDateEdit

    from ksm_desktop.ui.fieldwork.activity_dialog import ActivityDialog
    from ksm_desktop.ui.forms.grant_dialog import GrantDialog
    from ksm_desktop.ui.forms.person_dialog import PersonDialog

    for dialog in (GrantDialog(demo, None), ActivityDialog(demo, None), PersonDialog(demo, None)):
        _shown(qtbot, dialog)
        assert dialog.findChildren(OptionalDateEdit) and not dialog.findChildren(QDateEdit)
    grant = dialog_grant = GrantDialog(demo, None)
    _shown(qtbot, dialog_grant)
    _type(grant.rate_date, "1/2/2024")
    assert grant.rate_date.value() == dt.date(2024, 2, 1)


def test_a_field_being_torn_down_lets_its_line_edit_events_through(qtbot: Any) -> None:
    """Python may clear a field's attributes (the garbage collector breaking a cycle) while its
    line edit still exists and sends events to the field's filter: the filter must let them
    through instead of raising inside Qt's event loop (seen as a failed save test on the server)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QApplication

    field = OptionalDateEdit()
    qtbot.addWidget(field)
    edit = field.edit
    kept = dict(field.__dict__)
    field.__dict__.clear()
    try:
        for event in (
            QEvent(QEvent.Type.Hide),
            QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_F4, Qt.KeyboardModifier.NoModifier),
        ):
            QApplication.sendEvent(edit, event)  # pytest-qt fails the test on an exception here
    finally:
        field.__dict__.update(kept)
