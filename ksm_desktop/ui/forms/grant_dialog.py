"""The grant editor: recipient, programme, items with live totals in both currencies, declared
beneficiaries, and the workflow (validate, deliver, close, cancel) with its history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import partial

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ksm_desktop.domain.enums import AttachmentKind, AttachmentOwner, Currency, GrantKind, GrantStatus
from ksm_desktop.domain.errors import KsmError, StaleRecordError, ValidationError
from ksm_desktop.domain.typed import parse_amount
from ksm_desktop.domain.values import normalize_cin, to_rate
from ksm_desktop.i18n import N_, _
from ksm_desktop.i18n.formatting import format_date, format_datetime, format_money
from ksm_desktop.services import ListQuery, Services
from ksm_desktop.services.dto import DeliveryInput, GrantDTO, GrantInput
from ksm_desktop.services.money import convert
from ksm_desktop.ui import printing
from ksm_desktop.ui.forms.attachments_panel import AttachmentsPanel
from ksm_desktop.ui.forms.base import FormDialog, error_label, show_message
from ksm_desktop.ui.forms.fields import AmountEdit, ChoiceCombo, CountSpin, OptionalDateEdit, check_rate
from ksm_desktop.ui.forms.grant_items import ItemsTable
from ksm_desktop.ui.forms.organisation_dialog import fill_table, read_table
from ksm_desktop.ui.forms.pickers import SearchPicker, find_recipients
from ksm_desktop.ui.forms.print_menu import PrintButton
from ksm_desktop.ui.printing import PrintJob
from ksm_desktop.ui.qt_checked import record_id

STEP_LABELS = {
    GrantStatus.VALIDATED: N_("Validate"),
    GrantStatus.DELIVERED: N_("Mark delivered…"),
    GrantStatus.CLOSED: N_("Close the grant"),
    GrantStatus.CANCELLED: N_("Cancel the grant…"),
}
STEP_QUESTIONS = {
    GrantStatus.VALIDATED: N_("Validate grant {number}? Its content can still be corrected until delivery."),
    GrantStatus.DELIVERED: N_("Record grant {number} as delivered? Its content will no longer change."),
    GrantStatus.CLOSED: N_("Close grant {number}? This is the last step."),
    GrantStatus.CANCELLED: N_("Cancel grant {number}? A cancelled grant cannot be reopened."),
}


class DeliveryDialog(QDialog):
    """The delivery record printed on the handover certificate."""

    def __init__(self, grant: GrantDTO, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Delivery of grant {number}").format(number=grant.number))
        form = QFormLayout(self)
        self.delivered_on = OptionalDateEdit()
        self.delivered_on.set_value(dt.date.today())
        location = grant.recipient.location
        self.place = QLineEdit(location.name if location else "")
        self.received_by = QLineEdit(grant.recipient.president_name or grant.recipient.name)
        self.cin = QLineEdit(grant.recipient.president_cin or grant.recipient.cin or "")
        self.role = QLineEdit(_("President") if grant.recipient.president_name else "")
        self.error = error_label()
        form.addRow(_("Delivered on"), self.delivered_on)
        form.addRow(_("Place"), self.place)
        form.addRow(_("Received by"), self.received_by)
        form.addRow(_("CIN"), self.cin)
        form.addRow(_("Role"), self.role)
        form.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _accept(self) -> None:
        try:
            normalize_cin(self.cin.text())
        except ValidationError as exc:
            show_message(self.error, exc.message)
            return
        if self.delivered_on.problem():
            show_message(self.error, self.delivered_on.problem())
            return
        if (
            self.delivered_on.value() is None
            or not self.place.text().strip()
            or not self.received_by.text().strip()
        ):
            show_message(self.error, _("Give the date, the place and who received it."))
            return
        self.accept()

    def value(self) -> DeliveryInput:
        return DeliveryInput(
            delivered_on=self.delivered_on.value() or dt.date.today(),
            place=self.place.text(),
            received_by_name=self.received_by.text(),
            received_by_cin=self.cin.text() or None,
            received_by_role=self.role.text() or None,
        )


class GrantDialog(FormDialog):
    def __init__(self, services: Services, grant_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(services, grant_id, parent)
        self.grant: GrantDTO | None = None
        self.setMinimumSize(980, 720)
        top = QHBoxLayout()
        self.number = QLabel()
        self.number.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.steps = QHBoxLayout()
        top.addWidget(self.number)
        top.addStretch(1)
        top.addLayout(self.steps)
        self.print_button = PrintButton(self)
        self.sheet_action = self.print_button.add_document(
            _("Grant sheet"), self.print_sheet, QKeySequence(QKeySequence.StandardKey.Print)
        )
        self.handover_action = self.print_button.add_document(_("Handover certificate"), self.print_handover)
        top.addSpacing(12)
        top.addWidget(self.print_button)
        self.content.addLayout(top)
        self.tabs = QTabWidget()
        self.content.addWidget(self.tabs, 1)
        self.tabs.addTab(self._grant_tab(), _("Grant"))
        self.tabs.addTab(self._history_tab(), _("History and delivery"))
        self.attachments = AttachmentsPanel(self.services, AttachmentOwner.GRANT, AttachmentKind.SIGNED_PV)
        self.tabs.addTab(self.attachments, _("Attachments"))
        self.load()

    def _grant_tab(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        grid = QGridLayout()
        left, right = QFormLayout(), QFormLayout()
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        box.addLayout(grid)
        self.recipient = self.add_row(
            left,
            _("Recipient"),
            SearchPicker(
                partial(find_recipients, self.services),
                _("Organisation or person: type a name, code or CIN…"),
            ),
            "recipient",
            required=True,
        )
        programmes = self.services.programmes.search(ListQuery(limit=None)).rows
        self.programme = self.add_row(
            left,
            _("Programme"),
            ChoiceCombo(((f"{p.code} — {p.name}", p.id) for p in programmes), empty=_("— none —")),
            "programme",
        )
        self.purpose = self.add_row(left, _("Purpose"), QLineEdit(), "purpose", required=True)
        self.notes = self.add_row(left, _("Notes"), QPlainTextEdit(), "notes")
        self.notes.setMaximumHeight(48)
        self.kind = self.add_row(right, _("Kind"), ChoiceCombo.of_enum(GrantKind), "kind")
        self.grant_date = self.add_row(right, _("Grant date"), OptionalDateEdit(), "grant_date")
        self.currency = self.add_row(
            right, _("Currency"), ChoiceCombo((c.value, c.value) for c in Currency), "currency"
        )
        self.rate = self.add_row(
            right, _("EUR → MAD rate"), AmountEdit("eur_mad_rate"), "eur_mad_rate", required=True
        )
        self.rate_date = self.add_row(right, _("Rate date"), OptionalDateEdit(), "rate_date")
        self.items = ItemsTable()
        self.items.changed.connect(self._changed)
        box.addWidget(self.items, 1)
        self.items_error = error_label()
        self._errors["items"] = self.items_error
        box.addWidget(self.items_error)
        self.total_label = QLabel()
        self.total_label.setStyleSheet("font-size: 14px; font-weight: bold;")
        self.equivalent_label = QLabel()
        totals = QHBoxLayout()
        totals.addStretch(1)
        totals.addWidget(QLabel(_("Total")))
        totals.addWidget(self.total_label)
        totals.addSpacing(16)
        totals.addWidget(self.equivalent_label)
        box.addLayout(totals)
        people = QGroupBox(_("Declared beneficiaries"))
        row = QHBoxLayout(people)
        self.women, self.men, self.unspecified = CountSpin(), CountSpin(), CountSpin()
        for label, spin, field in (
            (_("Women"), self.women, "women"),
            (_("Men"), self.men, "men"),
            (_("Sex not given"), self.unspecified, "unspecified"),
        ):
            row.addWidget(QLabel(label))
            row.addWidget(spin)
            row.addSpacing(12)
            self._widgets[field] = spin
            self._errors[field] = self.items_error
            self.watch(spin)
        row.addStretch(1)
        box.addWidget(people)
        self.live("eur_mad_rate", self.rate, check_rate)
        return page

    def _history_tab(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        self.delivery = QLabel()
        self.delivery.setWordWrap(True)
        box.addWidget(self.delivery)
        self.history: QTableWidget = read_table([_("Step"), _("Date"), _("User"), _("Note")], wide=3)
        box.addWidget(self.history, 1)
        return page

    # --- loading ----------------------------------------------------------------------------

    def load(self) -> None:
        self._loading = True
        if self.entity_id is None:
            profile = self.services.settings.profile()
            self.setWindowTitle(_("New grant"))
            self.number.setText(_("New grant (the number is given when saved)"))
            self.currency.set_value(profile.default_currency)
            self.rate.set_value(profile.rate, places=4)
            self.grant_date.set_value(dt.date.today())
            self.items.set_items([])
        else:
            g = self.grant = self.services.grants.get(self.entity_id)
            self.version = g.version
            self.setWindowTitle(_("Grant {number}").format(number=g.number))
            self.number.setText(
                _("Grant {number} — {status}").format(number=g.number, status=GrantStatus(g.status).label)
            )
            r = g.recipient
            key = ("organisation", r.organisation_id) if r.organisation_id else ("person", r.person_id)
            self.recipient.set_value(key, f"{r.code} — {r.name}" if r.code else r.name)
            self.programme.set_value(g.programme_id)
            self.purpose.setText(g.purpose)
            self.purpose.setCursorPosition(0)
            self.notes.setPlainText(g.notes or "")
            self.kind.set_value(g.kind)
            self.grant_date.set_value(g.grant_date)
            self.currency.set_value(g.currency)
            self.rate.set_value(g.eur_mad_rate, places=4)
            self.rate_date.set_value(g.rate_date)
            self.women.setValue(g.women)
            self.men.setValue(g.men)
            self.unspecified.setValue(g.unspecified)
            self.items.set_items(g.items)
            self._fill_history(g)
        self._loading = False
        self._fill_steps()
        self._update_printing()
        if self.grant is not None and not self.grant.editable:
            self.items.set_editable(False)
            self.set_read_only(
                _("This grant is “{status}”: its content can no longer change.").format(
                    status=GrantStatus(self.grant.status).label
                )
            )
        # Evidence comes after the content is frozen (the PV is signed at delivery): the files
        # stay open to changes when the rest of the form no longer is.
        self.attachments.set_record(self.entity_id)
        self.refresh()

    def _fill_history(self, g: GrantDTO) -> None:
        fill_table(
            self.history,
            [(GrantStatus(e.status).label, format_datetime(e.at), e.user, e.note or "") for e in g.events],
            list(range(len(g.events))),
        )
        if g.delivered_on:
            self.delivery.setText(
                _("Delivered on {date} at {place} to {name} ({role}, CIN {cin}).").format(
                    date=format_date(g.delivered_on),
                    place=g.delivery_place or "",
                    name=g.received_by_name or "",
                    role=g.received_by_role or "—",
                    cin=g.received_by_cin or "—",
                )
            )
        elif g.cancel_reason:
            self.delivery.setText(_("Cancelled: {reason}").format(reason=g.cancel_reason))
        else:
            self.delivery.setText(_("Not delivered yet."))

    def _fill_steps(self) -> None:
        while (item := self.steps.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                widget.deleteLater()
        self.step_buttons: dict[str, QPushButton] = {}
        for step in self.grant.next_steps if self.grant else ():
            button = QPushButton(_(STEP_LABELS[GrantStatus(step)]))
            button.clicked.connect(lambda _c=False, s=step: self.transition(s))
            self.steps.addWidget(button)
            self.step_buttons[step] = button

    def _update_printing(self) -> None:
        grant = self.grant
        saved = grant is not None
        self.print_button.setEnabled(saved)
        self.sheet_action.setEnabled(saved)
        self.print_button.setToolTip(
            _("Print the grant sheet (Ctrl+P); the menu has the other documents and their language")
            if saved
            else _("Save the grant to print it")
        )
        delivered = grant is not None and grant.status in {
            GrantStatus.DELIVERED.value,
            GrantStatus.CLOSED.value,
        }
        self.handover_action.setVisible(delivered)
        self.handover_action.setEnabled(delivered)

    def _printable(self) -> GrantDTO | None:
        """The saved grant, with pending edits saved first (the sheet shows what is stored)."""
        if self.grant is None or (self.dirty and not self.save()):
            return None
        return self.grant

    def print_sheet(self) -> PrintJob | None:
        grant = self._printable()
        if grant is None:
            return None
        return printing.print_grant_sheet(self, self.services, grant.number, self.print_button.language)

    def print_handover(self) -> PrintJob | None:
        grant = self._printable()
        if grant is None or not self.handover_action.isEnabled():
            return None
        return printing.print_handover(self, self.services, grant.number, self.print_button.language)

    # --- live checks and totals -------------------------------------------------------------

    def read_only(self) -> bool:
        return super().read_only() or (self.grant is not None and not self.grant.editable)

    def _rate(self) -> Decimal | None:
        try:
            return to_rate(parse_amount(self.rate.text()), "eur_mad_rate")
        except ValidationError:
            return None

    def refresh(self) -> None:
        total = self.items.recompute()
        currency = str(self.currency.value() or Currency.EUR.value)
        self.total_label.setText(format_money(total, currency))
        rate = self._rate()
        if rate is None:
            self.equivalent_label.setText("")
        else:
            amount, other = convert(total, currency, rate)
            self.equivalent_label.setText(_("≈ {amount}").format(amount=format_money(amount, other)))
        show_message(self.items_error, self.items.first_error())
        super().refresh()

    def problems(self) -> list[str]:
        return super().problems() + (["items"] if self.items.errors else [])

    def show_error(self, exc: KsmError) -> None:
        if exc.field and exc.field.startswith("items."):
            self.items.mark(exc.field)
        super().show_error(exc)

    def error_label_for(self, field: str | None) -> QLabel | None:
        if field and field.startswith("items"):
            return self.items_error
        return super().error_label_for(field)

    # --- saving and workflow ----------------------------------------------------------------

    def data(self) -> GrantInput:
        kind, recipient_id = _recipient(self.recipient.value())
        programme_id = self.programme.value()
        return GrantInput(
            purpose=self.purpose.text(),
            kind=str(self.kind.value()),
            programme_id=None if programme_id is None else record_id(programme_id),
            organisation_id=recipient_id if kind == "organisation" else None,
            person_id=recipient_id if kind == "person" else None,
            currency=str(self.currency.value()),
            eur_mad_rate=parse_amount(self.rate.text(), field="eur_mad_rate"),
            rate_date=self.rate_date.value(),
            grant_date=self.grant_date.value(),
            women=self.women.value(),
            men=self.men.value(),
            unspecified=self.unspecified.value(),
            notes=self.notes.toPlainText(),
            items=self.items.items(),
            version=self.version,
        )

    def do_save(self) -> int:
        if self.entity_id is None:
            return self.services.grants.create(self.data()).id
        return self.services.grants.update(self.entity_id, self.data()).id

    def after_save(self) -> None:
        self.load()

    def transition(self, step: str) -> bool:
        """Ask, collect what the step needs, and move the grant on; saves pending edits first."""
        if self.grant is None or (self.dirty and not self.save()):
            return False
        status = GrantStatus(step)
        question = _(STEP_QUESTIONS[status]).format(number=self.grant.number)
        if (
            QMessageBox.question(self, _(STEP_LABELS[status]).rstrip("…"), question)
            != QMessageBox.StandardButton.Yes
        ):
            return False
        note, delivery = None, None
        if status == GrantStatus.DELIVERED:
            dialog = DeliveryDialog(self.grant, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            delivery = dialog.value()
        elif status == GrantStatus.CANCELLED:
            note, ok = QInputDialog.getMultiLineText(self, _("Cancel the grant"), _("Reason for cancelling"))
            if not ok:
                return False
        try:
            self.services.grants.transition(
                self.grant.id, step, note=note, delivery=delivery, version=self.version
            )
        except StaleRecordError as exc:
            self.offer_reload(exc)
            return False
        except KsmError as exc:
            show_message(self.general_error, exc.message)
            if exc.field == "signed_pv":  # closing waits for the signed PV: show where it goes
                self.tabs.setCurrentWidget(self.attachments)
                self.attachments.kind.set_value(AttachmentKind.SIGNED_PV.value)
            return False
        self.saved = True
        self.load()
        return True


def _recipient(value: object) -> tuple[str | None, int | None]:
    """The recipient picker's key: ("organisation" | "person", id), or nothing chosen yet."""
    if isinstance(value, tuple) and len(value) == 2:
        kind, key = value
        return str(kind), record_id(key)
    return None, None
