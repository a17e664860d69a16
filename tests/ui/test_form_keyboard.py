"""Every form used from the keyboard: it opens with the cursor in its first field, a form nobody
changed closes on Esc without asking, Enter saves, Tab walks the fields in the order they are
laid out (and Shift+Tab back), in French and in Arabic."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

from ksm_desktop.services import ListQuery, Services
from ksm_desktop.ui.forms.base import FormDialog
from tests.ui.forms_support import answer

Maker = Callable[[Services], FormDialog]


def _first(search: Any, keep: Callable[[Any], bool] = lambda _r: True) -> int:
    return next(r.id for r in search(ListQuery(limit=None)).rows if keep(r))


def _forms() -> dict[str, Maker]:
    from ksm_desktop.ui.fieldwork.activity_dialog import ActivityDialog
    from ksm_desktop.ui.fieldwork.household_dialog import HouseholdDialog
    from ksm_desktop.ui.fieldwork.results_page import ResultDialog
    from ksm_desktop.ui.fieldwork.visits_tab import VisitDialog
    from ksm_desktop.ui.forms import _dialog
    from ksm_desktop.ui.settings_dialog import SettingsDialog

    forms: dict[str, Maker] = {}
    for kind in ("organisation", "person", "programme", "grant"):
        forms[f"new {kind}"] = lambda s, k=kind: _dialog(k, s, None, None)
        forms[kind] = lambda s, k=kind: _dialog(k, s, _first(getattr(s, f"{k}s").search), None)
    forms["new household"] = lambda s: HouseholdDialog(s, None)
    forms["household"] = lambda s: HouseholdDialog(s, _first(s.households.search, lambda r: r.equipment))
    forms["new activity"] = lambda s: ActivityDialog(s, None)
    forms["activity"] = lambda s: ActivityDialog(s, _first(s.activities.search))
    forms["new visit"] = lambda s: VisitDialog(s, _first(s.organisations.search), None)
    forms["new result"] = lambda s: ResultDialog(s, _first(s.programmes.search))
    forms["settings"] = lambda s: SettingsDialog(s, None)
    return forms


def _open(qtbot: Any, dialog: FormDialog) -> FormDialog:
    qtbot.addWidget(dialog, before_close_func=lambda w: setattr(w, "dirty", False))
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    return dialog


@pytest.mark.parametrize("name", list(_forms()))
def test_every_form_opens_in_its_first_field_and_closes_unchanged_without_asking(
    qtbot: Any, demo: Services, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    asked = answer(monkeypatch, QMessageBox.StandardButton.Cancel)
    dialog = _open(qtbot, _forms()[name](demo))
    focus = dialog.focusWidget()
    if not dialog.read_only():
        assert not isinstance(focus, QAbstractButton), f"{name} opens on the button {focus.text()!r}"
        assert focus is not None and focus is dialog.first_field()
    QTest.keyClick(focus or dialog, Qt.Key.Key_Escape)
    assert asked == [] and not dialog.isVisible()


def test_a_changed_form_asks_before_esc_closes_it(
    qtbot: Any, demo: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ksm_desktop.ui.fieldwork.household_dialog import HouseholdDialog

    asked = answer(monkeypatch, QMessageBox.StandardButton.Cancel)
    dialog = _open(qtbot, HouseholdDialog(demo, _first(demo.households.search)))
    QTest.keyClicks(dialog.focusWidget(), "-B")
    QTest.keyClick(dialog.focusWidget(), Qt.Key.Key_Escape)
    assert len(asked) == 1 and dialog.isVisible()


def test_enter_saves_the_new_person_typed_from_the_keyboard(qtbot: Any, demo: Services) -> None:
    from ksm_desktop.ui.forms.person_dialog import PersonDialog

    dialog = _open(qtbot, PersonDialog(demo, None))
    QTest.keyClicks(dialog.focusWidget(), "Khadija")
    QTest.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
    QTest.keyClicks(dialog.focusWidget(), "Ait Oumzil")
    dialog.sex.setFocus()
    QTest.keyClick(dialog.sex, Qt.Key.Key_Down)  # the first sex after "— choose —"
    assert dialog.sex.value() is not None
    QTest.keyClick(dialog.last_name, Qt.Key.Key_Return)
    assert dialog.saved and demo.persons.search(ListQuery(text="Khadija Ait Oumzil")).total == 1


def test_enter_in_a_search_box_picks_the_match_without_saving(qtbot: Any, demo: Services) -> None:
    from ksm_desktop.ui.fieldwork.household_dialog import HouseholdDialog

    dialog = _open(qtbot, HouseholdDialog(demo, None))
    QTest.keyClicks(dialog.head.edit, "Fatima")
    QTest.keyClick(dialog.head.edit, Qt.Key.Key_Return)
    assert dialog.head.value() is not None and not dialog.saved


def _tab_walk(dialog: FormDialog, key: Qt.Key, steps: int) -> list[QWidget]:
    seen = []
    for _step in range(steps):
        QTest.keyClick(
            dialog.focusWidget(),
            key,
            Qt.KeyboardModifier.ShiftModifier
            if key == Qt.Key.Key_Backtab
            else Qt.KeyboardModifier.NoModifier,
        )
        seen.append(dialog.focusWidget())
    return seen


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_tab_follows_the_layout_both_ways(qtbot: Any, demo: Services, lang: str, qapp: Any) -> None:
    from ksm_desktop.ui.forms.person_dialog import PersonDialog
    from ksm_desktop.ui.language import apply_language

    apply_language(qapp, lang)
    try:
        dialog = _open(qtbot, PersonDialog(demo, None))
        start = dialog.focusWidget()
        forward = _tab_walk(dialog, Qt.Key.Key_Tab, 6)
        tops = [w.mapTo(dialog, w.rect().topLeft()).y() for w in [start, *forward]]
        assert tops == sorted(tops), "Tab jumps back up the form"
        assert forward[:2] == [dialog.last_name, dialog.name_ar]
        backward = _tab_walk(dialog, Qt.Key.Key_Backtab, 6)
        assert backward[-1] is start and backward[:-1] == list(reversed(forward[:-1]))
    finally:
        apply_language(qapp, "fr")
