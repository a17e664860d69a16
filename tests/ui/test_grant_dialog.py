"""The grant editor: three items with live totals in both currencies, then the workflow."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QDialog, QMessageBox, QTableWidget

from ksm_desktop.i18n import set_language
from ksm_desktop.i18n.formatting import format_money
from ksm_desktop.services import ListQuery, Services
from ksm_desktop.services.dto import OrganisationInput
from ksm_desktop.ui.forms.grant_dialog import DeliveryDialog, GrantDialog
from tests.ui.forms_support import answer, track


def _type_item(editor: GrantDialog, row: int, texts: list[str]) -> None:
    editor.items.add_row()
    for col, text in enumerate(texts):
        editor.items.table.item(row, col).setText(text)


def _new_grant(qtbot, services: Services) -> GrantDialog:
    org = services.organisations.create(OrganisationInput(kind="cooperative", name="Coopérative Tafilalet"))
    editor = track(qtbot, GrantDialog(services, None))
    assert not editor.save_button.isEnabled()  # no recipient, no purpose yet
    editor.recipient.set_value(("organisation", org.id), org.name)
    editor.purpose.setText("Équipement de couscousserie")
    editor.currency.set_value("EUR")
    editor.rate.setText("10.85")
    _type_item(editor, 0, ["Rouleuse à couscous", "1", "unité", "4200"])
    _type_item(editor, 1, ["Séchoir solaire", "2", "unité", "1250.5"])
    _type_item(editor, 2, ["Emballages", "333", "paquet", "0.333"])
    editor.women.setValue(25)
    editor.men.setValue(3)
    return editor


def test_three_items_totals_in_both_currencies(qtbot, services: Services) -> None:
    editor = _new_grant(qtbot, services)
    # 4200.00 + 2 × 1250.50 + 333 × 0.33 (the price is kept in cents, like the service) = 6810.89
    total = Decimal("6810.89")
    assert editor.total_label.text() == format_money(total, "EUR")
    assert format_money(Decimal("73898.16"), "MAD") in editor.equivalent_label.text()
    assert editor.items.table.item(2, 6).text() == "109.89"
    assert editor.save_button.isEnabled()
    assert editor.save()
    grant = services.grants.get(editor.entity_id)
    assert grant.total == total and grant.equivalent == Decimal("73898.16")
    assert grant.number in editor.number.text()
    assert [i.designation for i in grant.items] == ["Rouleuse à couscous", "Séchoir solaire", "Emballages"]


def test_line_order_and_removal(qtbot, services: Services) -> None:
    editor = _new_grant(qtbot, services)
    editor.items.table.setCurrentCell(2, 0)
    editor.items.move_row(-1)
    editor.items.table.setCurrentCell(0, 0)
    editor.items.remove_row()
    assert editor.save()
    grant = services.grants.get(editor.entity_id)
    assert [i.designation for i in grant.items] == ["Emballages", "Séchoir solaire"]
    assert editor.total_label.text() == format_money(Decimal("2610.89"), "EUR")


def test_a_bad_quantity_blocks_saving_and_names_the_line(qtbot, services: Services) -> None:
    editor = _new_grant(qtbot, services)
    editor.items.table.item(1, 1).setText("deux")
    assert not editor.save_button.isEnabled()
    assert editor.items_error.text().startswith("Line 2:")
    assert editor.total_label.text() == format_money(Decimal("4309.89"), "EUR")
    editor.items.table.item(1, 1).setText("0")
    assert "greater than zero" in editor.items_error.text()
    editor.items.table.item(1, 1).setText("2")
    assert editor.save_button.isEnabled() and not editor.items_error.isVisibleTo(editor)


def test_french_amounts_with_a_decimal_comma(qtbot, services: Services) -> None:
    set_language("fr")
    editor = _new_grant(qtbot, services)
    editor.rate.setText("10,85")
    editor.items.table.item(1, 3).setText("1 250,50")
    assert editor.total_label.text() == format_money(Decimal("6810.89"), "EUR")
    assert editor.save()


def test_a_bad_rate_shows_under_its_field(qtbot, services: Services) -> None:
    editor = _new_grant(qtbot, services)
    editor.rate.setText("0")
    assert "greater than zero" in editor._errors["eur_mad_rate"].text()
    assert not editor.save_button.isEnabled()
    assert editor.equivalent_label.text() == ""


def test_workflow_validate_deliver_close_then_read_only(qtbot, services: Services, monkeypatch) -> None:
    editor = _new_grant(qtbot, services)
    assert editor.save()
    assert list(editor.step_buttons) == ["validated", "cancelled"]
    asked = answer(monkeypatch, QMessageBox.StandardButton.Yes)
    editor.step_buttons["validated"].click()
    assert services.grants.get(editor.entity_id).status == "validated"
    assert list(editor.step_buttons) == ["delivered", "cancelled"]
    assert not editor.read_only()

    def deliver(dialog: DeliveryDialog) -> int:
        dialog.place.setText("Rissani")
        dialog.received_by.setText("Fatima Alaoui")
        dialog.cin.setText("ab123456")
        dialog.role.setText("Présidente")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(DeliveryDialog, "exec", deliver)
    editor.step_buttons["delivered"].click()
    grant = services.grants.get(editor.entity_id)
    assert grant.status == "delivered" and grant.received_by_cin == "AB123456"
    assert "Rissani" in editor.delivery.text()

    # Delivered: everything is read-only and the banner says why.
    assert editor.read_only() and editor.banner.isVisibleTo(editor)
    assert "Delivered" in editor.banner.text()
    assert editor.purpose.isReadOnly() and not editor.currency.isEnabled()
    assert not editor.save_button.isEnabled() and not editor.items.buttons[0].isEnabled()
    assert editor.items.table.editTriggers() == QTableWidget.EditTrigger.NoEditTriggers
    assert list(editor.step_buttons) == ["closed"]

    editor.step_buttons["closed"].click()
    grant = services.grants.get(editor.entity_id)
    assert grant.status == "closed" and not editor.step_buttons
    assert [editor.history.item(n, 0).text() for n in range(editor.history.rowCount())] == [
        "Draft",
        "Validated",
        "Delivered",
        "Closed",
    ]
    assert editor.history.item(3, 2).text() == services.actor.username
    assert len(asked) == 3


def test_cancelling_asks_the_reason(qtbot, services: Services, monkeypatch) -> None:
    from PySide6.QtWidgets import QInputDialog

    editor = _new_grant(qtbot, services)
    assert editor.save()
    answer(monkeypatch, QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("Doublon", True))
    editor.step_buttons["cancelled"].click()
    grant = services.grants.get(editor.entity_id)
    assert grant.status == "cancelled" and grant.cancel_reason == "Doublon"
    assert editor.read_only()


def test_saying_no_changes_nothing(qtbot, services: Services, monkeypatch) -> None:
    editor = _new_grant(qtbot, services)
    assert editor.save()
    answer(monkeypatch, QMessageBox.StandardButton.No)
    editor.step_buttons["validated"].click()
    assert services.grants.get(editor.entity_id).status == "draft"


def test_demo_grant_opens_with_its_items(qtbot, demo: Services) -> None:
    row = demo.grants.search(ListQuery(limit=1)).rows[0]
    editor = track(qtbot, GrantDialog(demo, row.id))
    assert editor.items.table.rowCount() == len(demo.grants.get(row.id).items)
    assert editor.total_label.text() == format_money(row.total, row.currency)
    assert not editor.dirty


def test_a_delivered_grants_frozen_fields_look_read_only(qtbot, demo) -> None:
    """Grey, not white: nobody tries to type in a field that cannot change."""
    from PySide6.QtGui import QPalette

    from ksm_desktop.services import ListQuery
    from ksm_desktop.ui.forms.grant_dialog import GrantDialog
    from tests.ui.forms_support import track

    delivered = demo.grants.search(ListQuery(filters={"status": "delivered"}, limit=1)).rows[0]
    editor = track(qtbot, GrantDialog(demo, delivered.id))
    editor.show()
    qtbot.waitExposed(editor)
    frozen = editor.purpose
    assert frozen.isReadOnly()
    shown = frozen.grab().toImage().pixelColor(frozen.width() // 2, frozen.height() - 4)
    white = editor.palette().color(QPalette.ColorRole.Base)
    assert shown.lightness() < white.lightness()
