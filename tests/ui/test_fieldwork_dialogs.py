"""The field forms as an officer uses them: bad input shows under its field and saves nothing;
good input is saved; one grant per household; the attendance list and the follow-up visits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from ksm_desktop.services import ListQuery, Services
from ksm_desktop.services.dto_fieldwork import ActivityInput
from ksm_desktop.ui.fieldwork.activity_dialog import ActivityDialog
from ksm_desktop.ui.fieldwork.bulk_grant import BulkGrantDialog
from ksm_desktop.ui.fieldwork.household_dialog import HouseholdDialog
from ksm_desktop.ui.fieldwork.visits_tab import VisitDialog
from ksm_desktop.ui.forms.organisation_dialog import OrganisationDialog
from tests.reports.conftest import pages_text
from tests.ui.forms_support import track


def _tribe_id(services: Services, name: str) -> int:
    from ksm_desktop.domain.enums import LocationLevel

    places = services.locations.by_level(LocationLevel.TRIBE.value) + services.locations.by_level(
        LocationLevel.DOUAR.value
    )
    return next(loc.id for loc in places if loc.name == name)


def test_household_needs_a_head_and_one_head_heads_one_household(qtbot: Any, demo: Services) -> None:
    dialog = track(qtbot, HouseholdDialog(demo, None))
    assert not dialog.save_button.isEnabled()  # no head, no place yet
    taken = demo.households.search(ListQuery(limit=1)).rows[0]
    head_id = demo.households.get(taken.id).head_id
    dialog.head.set_value(head_id, taken.head_name)
    dialog.location.set_value(_tribe_id(demo, "Ouled Tafrat"))
    dialog.household_size.setValue(6)
    count = demo.households.search(ListQuery()).total
    assert dialog.save_button.isEnabled()
    assert not dialog.save()
    assert taken.code in dialog._errors["head"].text() and dialog._errors["head"].isVisibleTo(dialog)
    assert demo.households.search(ListQuery()).total == count

    person = demo.persons.search(ListQuery(text="Fatima")).rows[0]
    dialog.head.set_value(person.id, "Fatima")
    assert dialog.save()
    saved = demo.households.get(dialog.entity_id)
    assert saved.head_id == person.id and saved.size == 6 and saved.location_name == "Ouled Tafrat"
    assert dialog.code.text() == saved.code


def test_household_equipment_opens_the_grant(qtbot: Any, demo: Services, monkeypatch: Any) -> None:
    row = next(r for r in demo.households.search(ListQuery(limit=5)).rows if r.equipment)
    dialog = track(qtbot, HouseholdDialog(demo, row.id))
    assert dialog.equipment.rowCount() == len(row.equipment)
    opened: list[tuple[str, int]] = []
    monkeypatch.setattr(
        "ksm_desktop.ui.forms.open_editor", lambda kind, _s, gid, _p: opened.append((kind, gid)) or False
    )
    dialog.equipment.setCurrentCell(0, 0)
    dialog._open_grant()
    assert opened == [("grant", demo.grants.get_by_number(row.equipment[0].number).id)]


def test_bulk_grant_creates_one_grant_per_checked_household(
    qtbot: Any, demo: Services, monkeypatch: Any
) -> None:
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda *a: None))
    aqua = demo.programmes.get_by_code("AQUA-NOOR").id
    dialog = track(qtbot, BulkGrantDialog(demo, aqua))
    dialog.tribe.set_value(_tribe_id(demo, "Ait Zerouala"))
    households = dialog.households.rowCount()
    assert households > 2
    dialog.check_all(False)
    for row in range(3):
        dialog.households.item(row, 0).setCheckState(Qt.CheckState.Checked)
    dialog.purpose.setText("Phase 3 - citerne")
    assert dialog.summary.text() == "3 households checked"
    before = demo.grants.search(ListQuery()).total

    # Bad input first: no item, then an installation date in the future.
    assert not dialog.save()
    assert dialog._errors["items"].isVisibleTo(dialog)
    dialog.items.add_row()
    for col, text in ((0, "Citerne 1 m3"), (1, "1"), (3, "1500")):
        dialog.items.table.item(0, col).setText(text)
    dialog.all_date.set_value(dt.date.today() + dt.timedelta(days=3))
    dialog.apply_date_to_checked()
    assert not dialog.save()
    assert "future" in dialog._errors["households"].text()
    assert demo.grants.search(ListQuery()).total == before

    dialog.all_date.set_value(dt.date.today())
    dialog.apply_date_to_checked()
    assert dialog.save()
    assert len(dialog.numbers) == 3
    assert demo.grants.search(ListQuery()).total == before + 3
    grant = demo.grants.get_by_number(dialog.numbers[0])
    assert grant.status == "delivered" and grant.delivered_on == dt.date.today()
    assert grant.items[0].unit_price == Decimal("1500.00")


def test_activity_dates_are_checked_then_saved(qtbot: Any, services: Services) -> None:
    dialog = track(qtbot, ActivityDialog(services, None))
    dialog.kind.set_value("training")
    qtbot.keyClicks(dialog.topic, "Gestion financiere")
    dialog.start.set_value(dt.date(2024, 5, 10))
    dialog.end.set_value(dt.date(2024, 5, 2))
    assert not dialog.save()
    assert "before the start date" in dialog._errors["start_date"].text()
    assert not dialog.print_button.isEnabled() and not dialog.add_participant_button.isEnabled()
    dialog.end.set_value(dt.date(2024, 5, 12))
    dialog.indirect_women.setValue(12)
    assert dialog.save()
    saved = services.activities.get(dialog.entity_id)
    assert saved.end_date == dt.date(2024, 5, 12) and saved.indirect == 12
    assert dialog.add_participant_button.isEnabled()


def test_activity_participants_and_attendance_list(
    qtbot: Any, demo: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    activity = demo.activities.create(ActivityInput("workshop", "Atelier cooperatives", dt.date(2024, 2, 1)))
    dialog = track(qtbot, ActivityDialog(demo, activity.id))
    dialog.tabs.setCurrentIndex(1)
    dialog.add_participant()  # nobody chosen
    assert dialog.participant_error.isVisibleTo(dialog)
    people = demo.persons.search(ListQuery(limit=2)).rows
    org = demo.organisations.search(ListQuery(limit=1)).rows[0]
    for person in people:
        dialog.person_search.set_value(person.id, person.last_name)
        dialog.represents.set_value(org.id, org.name)
        dialog.add_participant()
    dialog.person_search.set_value(people[0].id, people[0].last_name)
    dialog.add_participant()  # twice: refused
    assert "already a participant" in dialog.participant_error.text()
    assert dialog.participants.rowCount() == 2 and dialog.print_button.isEnabled()

    opened: list[Path] = []
    from ksm_desktop.ui import printing

    monkeypatch.setattr(printing, "show_preview", lambda _parent, path, _name: opened.append(path))
    dialog.print_attendance()
    qtbot.waitUntil(lambda: bool(opened), timeout=15000)
    text = " ".join(pages_text(opened[0].read_bytes()))
    for person in people:
        assert person.last_name in text and person.first_name in text
    assert org.code in text

    dialog.participants.setCurrentCell(0, 0)
    dialog.remove_participant()
    assert len(demo.activities.get(activity.id).participants) == 1


def test_visit_bad_revenue_then_saved_and_charted(qtbot: Any, demo: Services) -> None:
    org_id = demo.organisations.get_by_code("AGHRUM").id
    dialog = track(qtbot, VisitDialog(demo, org_id, None))
    dialog.visited_on.set_value(dt.date(2024, 3, 1))
    qtbot.keyClicks(dialog.visitor, "Samira")
    dialog.revenue.setText("beaucoup")
    assert not dialog.save()
    assert dialog._errors["monthly_revenue"].isVisibleTo(dialog)
    dialog.revenue.setText("4500")
    dialog.quantity.setText("120")
    assert not dialog.save()  # a quantity without its unit
    assert "unit" in dialog._errors["production_quantity"].text()
    dialog.unit.setText("kg")
    assert dialog.save()
    visit = demo.visits.visits_of(org_id)[0]
    assert visit.monthly_revenue == Decimal("4500.00")

    org = track(qtbot, OrganisationDialog(demo, org_id))
    tab = org.visits_tab
    assert org.tabs.tabText(org.tabs.indexOf(tab)) == "Follow-up"
    assert tab.table.rowCount() == 1 and "4" in tab.table.item(0, 2).text()
    assert {s.name() for s in tab.chart.series()} == {"Monthly revenue (MAD)", "Production (kg)"}
