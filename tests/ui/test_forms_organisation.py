"""Creating a cooperative and its members through the forms, as an office agent would."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ksm_desktop.services import ListQuery, Services
from ksm_desktop.ui.forms.organisation_dialog import OrganisationDialog
from ksm_desktop.ui.forms.person_dialog import PersonDialog
from tests.ui.forms_support import track


def _new_person(qtbot, services: Services, first: str, last: str, sex: str, cin: str) -> PersonDialog:
    dialog = track(qtbot, PersonDialog(services, None))
    dialog.first_name.setText(first)
    dialog.last_name.setText(last)
    dialog.sex.set_value(sex)
    qtbot.keyClicks(dialog.cin, cin)
    return dialog


def test_create_a_cooperative_and_three_members(qtbot, services: Services) -> None:
    org = track(qtbot, OrganisationDialog(services, None))
    org.kind.set_value("cooperative")
    assert not org.save_button.isEnabled()  # the name is required
    assert not org.add_member_button.isEnabled()  # members come after the first save
    qtbot.keyClicks(org.name, "Cooperative Tamount")  # QTest types ASCII only
    org.name_ar.setText("تعاونية تامونت")
    assert org.save_button.isEnabled()
    qtbot.mouseClick(org.save_button, Qt.MouseButton.LeftButton)
    assert org.entity_id is not None and org.saved
    assert org.code.text() == services.organisations.get(org.entity_id).code
    assert org.add_member_button.isEnabled()

    # First member: a valid CIN typed loosely is normalised and saved.
    fatima = _new_person(qtbot, services, "Fatima", "Alaoui", "F", "ab 123456")
    assert "AB123456" in fatima._errors["cin"].text()
    assert fatima.save()
    org.member_search.set_value(fatima.entity_id, "Fatima Alaoui")
    qtbot.mouseClick(org.add_member_button, Qt.MouseButton.LeftButton)
    assert org.members.rowCount() == 1
    assert org.figures["women"].text() == "1"

    # Second: a malformed CIN shows under the field and nothing can be saved.
    count = services.persons.search(ListQuery()).total
    bad = _new_person(qtbot, services, "Hassan", "Idrissi", "M", "12AB")
    assert bad._errors["cin"].isVisibleTo(bad)
    assert "not a valid CIN" in bad._errors["cin"].text()
    assert not bad.save_button.isEnabled()
    assert not bad.save()
    assert services.persons.search(ListQuery()).total == count

    # Third: a CIN someone already has names the owner and offers to open them instead.
    dup = _new_person(qtbot, services, "Khadija", "Bennani", "F", "AB-123456")
    assert "Fatima Alaoui" in dup._errors["cin"].text()
    assert "Cooperative Tamount" in dup._errors["cin"].text()
    assert dup.open_owner.isVisibleTo(dup) and "Fatima Alaoui" in dup.open_owner.text()
    assert not dup.save_button.isEnabled()
    qtbot.mouseClick(dup.open_owner, Qt.MouseButton.LeftButton)
    assert dup.open_instead == fatima.entity_id
    assert services.persons.search(ListQuery()).total == count

    # Fixing the CIN makes the form valid again; the new person joins as treasurer.
    dup.open_instead = None
    dup.cin.setText("AB654321")
    assert dup.save_button.isEnabled() and dup.save()
    org.member_search.set_value(dup.entity_id, "Khadija Bennani")
    org.member_role.set_value("treasurer")
    org.add_member_button.click()
    members = services.persons.members_of(org.entity_id)
    assert [(m.first_name, m.role) for m in members] == [("Fatima", "member"), ("Khadija", "treasurer")]
    assert org.figures["members"].text() == "2"


def test_adding_the_same_member_twice_says_so(qtbot, demo: Services) -> None:
    org_id = demo.organisations.search(ListQuery(sort="members", descending=True, limit=1)).rows[0].id
    member = demo.persons.members_of(org_id)[0]
    dialog = track(qtbot, OrganisationDialog(demo, org_id))
    before = dialog.members.rowCount()
    dialog.member_search.set_value(member.person_id, "x")
    dialog.add_member_button.click()
    assert "already a member" in dialog.member_error.text()
    assert dialog.members.rowCount() == before


def test_service_error_appears_under_its_field(qtbot, services: Services) -> None:
    dialog = track(qtbot, OrganisationDialog(services, None))
    dialog.name.setText("Association Amal")
    dialog.code.setText("A")  # too short for the service
    assert not dialog.save()
    assert dialog._errors["code"].isVisibleTo(dialog)
    assert "2 to 30 characters" in dialog._errors["code"].text()
    assert services.organisations.search(ListQuery()).total == 0


def test_grants_and_figures_of_a_demo_organisation(qtbot, demo: Services) -> None:
    agr = demo.programmes.get_by_code("AGR-ERR").id  # grants to cooperatives (others go to households)
    row = demo.grants.search(ListQuery(filters={"programme_id": agr}, limit=1)).rows[0]
    grant = demo.grants.get(row.id)
    dialog = track(qtbot, OrganisationDialog(demo, grant.recipient.organisation_id))
    numbers = [dialog.grants.item(n, 0).text() for n in range(dialog.grants.rowCount())]
    assert grant.number in numbers
    assert int(dialog.figures["b_women"].text().replace(",", "")) >= grant.women


def test_location_picker_adds_a_douar(qtbot, services: Services, monkeypatch) -> None:
    from PySide6.QtWidgets import QInputDialog

    dialog = track(qtbot, OrganisationDialog(services, None))
    picker = dialog.location
    picker.combos[0].setCurrentIndex(1)
    picker.combos[1].setCurrentIndex(1)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Commune Test", True))
    picker._add(2)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Douar Ait Test", True))
    picker._add(3)
    chosen = services.locations.get(picker.value())
    assert chosen.name == "Douar Ait Test" and "Commune Test" in chosen.path
