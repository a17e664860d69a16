"""A cooperative, association, AGR, partner or donor: identity, members, grants and figures."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ksm_desktop.domain.enums import (
    AttachmentKind,
    AttachmentOwner,
    GrantStatus,
    MemberRole,
    OrgKind,
    OrgStatus,
    Sex,
)
from ksm_desktop.domain.errors import KsmError
from ksm_desktop.i18n import _
from ksm_desktop.i18n.formatting import format_date, format_decimal, format_money
from ksm_desktop.services import ListQuery, Services
from ksm_desktop.services.dto import MembershipDTO, OrganisationInput
from ksm_desktop.ui.forms.attachments_panel import AttachmentsPanel
from ksm_desktop.ui.forms.base import FormDialog, error_label, show_message
from ksm_desktop.ui.forms.fields import ChoiceCombo, OptionalDateEdit, arabic_line_edit
from ksm_desktop.ui.forms.pickers import LocationPicker, SearchPicker, find_persons


def fill_table(table: QTableWidget, rows: list[tuple[str, ...]], ids: list[int]) -> None:
    """Read-only rows; each row's first cell keeps the record id, each cell its whole text as a
    tooltip (the wide column elides)."""
    from PySide6.QtCore import Qt

    table.setRowCount(len(rows))
    for n, cells in enumerate(rows):
        for col, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            item.setToolTip(text)
            if col == 0:
                item.setData(Qt.ItemDataRole.UserRole, ids[n])
            table.setItem(n, col, item)


def selected_id(table: QTableWidget) -> int | None:
    from PySide6.QtCore import Qt

    row = table.currentRow()
    item = table.item(row, 0) if row >= 0 else None
    return int(item.data(Qt.ItemDataRole.UserRole)) if item else None


def read_table(headers: list[str], wide: int = 0) -> QTableWidget:
    """A read-only table whose `wide` column (a name, a purpose) takes the room the others leave:
    short columns (dates, statuses, amounts) always fit, nothing scrolls sideways."""
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(wide, QHeaderView.ResizeMode.Stretch)
    table.setWordWrap(False)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(24)
    return table


class MembershipDialog(QDialog):
    """Role and dates of one membership."""

    def __init__(self, membership: MembershipDTO, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(
            _("Membership of {name}").format(name=f"{membership.first_name} {membership.last_name}")
        )
        form = QFormLayout(self)
        self.role = ChoiceCombo.of_enum(MemberRole)
        self.role.set_value(membership.role)
        self.start = OptionalDateEdit()
        self.start.set_value(membership.start_date)
        self.end = OptionalDateEdit()
        self.end.set_value(membership.end_date)
        form.addRow(_("Role"), self.role)
        form.addRow(_("Since"), self.start)
        form.addRow(_("Until"), self.end)
        self.error = error_label()
        form.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _accept(self) -> None:
        """A date that is not one is said, not dropped."""
        problem = self.start.problem() or self.end.problem()
        show_message(self.error, problem)
        if not problem:
            self.accept()


class OrganisationDialog(FormDialog):
    def __init__(self, services: Services, org_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(services, org_id, parent)
        self.setMinimumSize(720, 600)
        self.tabs = QTabWidget()
        self.content.addWidget(self.tabs)
        self.tabs.addTab(self._identity_tab(), _("Identity"))
        self.tabs.addTab(self._members_tab(), _("Members"))
        self.tabs.addTab(self._grants_tab(), _("Grants"))
        self.tabs.addTab(self._figures_tab(), _("Figures"))
        from ksm_desktop.ui.fieldwork.visits_tab import VisitsTab  # field work: follow-up visits

        self.visits_tab = VisitsTab(self.services)
        self.tabs.addTab(self.visits_tab, _("Follow-up"))
        self.attachments = AttachmentsPanel(
            self.services, AttachmentOwner.ORGANISATION, AttachmentKind.STATUTES
        )
        self.tabs.addTab(self.attachments, _("Attachments"))
        self.load()

    def _identity_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.kind = self.add_row(form, _("Kind"), ChoiceCombo.of_enum(OrgKind), "kind", required=True)
        self.name = self.add_row(form, _("Name"), QLineEdit(), "name", required=True)
        self.name_ar = self.add_row(form, _("Name in Arabic"), arabic_line_edit(), "name_ar")
        self.code = self.add_row(form, _("Code"), QLineEdit(), "code")
        self.code.setPlaceholderText(_("Left empty: made from the name"))
        self.sector = self.add_row(form, _("Sector / value chain"), QLineEdit(), "sector")
        self.location = self.add_row(form, _("Place"), LocationPicker(self.services), "location")
        self.registration = self.add_row(
            form, _("Registration number (ODCO)"), QLineEdit(), "registration_number"
        )
        self.created_on = self.add_row(form, _("Created on"), OptionalDateEdit(), "created_on")
        self.president = self.add_row(form, _("President"), QLineEdit(), "president_name")
        self.phone = self.add_row(form, _("Phone"), QLineEdit(), "phone")
        self.address = self.add_row(form, _("Address"), QLineEdit(), "address")
        self.status = self.add_row(form, _("Status"), ChoiceCombo.of_enum(OrgStatus), "status")
        self.notes = self.add_row(form, _("Notes"), QPlainTextEdit(), "notes")
        self.notes.setMaximumHeight(60)
        return page

    def _members_tab(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        self.members_hint = QLabel(_("Save the organisation first, then add its members."))
        box.addWidget(self.members_hint)
        self.members = read_table([_("Name"), _("CIN"), _("Sex"), _("Role"), _("Since"), _("Until")])
        self.members.doubleClicked.connect(self._open_member)
        box.addWidget(self.members, 1)
        add_row = QHBoxLayout()
        self.member_search = SearchPicker(
            partial(find_persons, self.services), _("Find a person by name or CIN…")
        )
        self.member_role = ChoiceCombo.of_enum(MemberRole)
        self.member_role.set_value(MemberRole.MEMBER.value)
        self.add_member_button = QPushButton(_("Add"))
        self.add_member_button.clicked.connect(self._add_existing)
        add_row.addWidget(self.member_search, 1)
        add_row.addWidget(self.member_role)
        add_row.addWidget(self.add_member_button)
        box.addLayout(add_row)
        actions = QHBoxLayout()
        self.new_member_button = QPushButton(_("New person…"))
        self.new_member_button.clicked.connect(self._add_new)
        self.edit_member_button = QPushButton(_("Role and dates…"))
        self.edit_member_button.clicked.connect(self._edit_membership)
        self.remove_member_button = QPushButton(_("Remove from organisation"))
        self.remove_member_button.clicked.connect(self._remove_member)
        for button in (self.new_member_button, self.edit_member_button, self.remove_member_button):
            actions.addWidget(button)
        actions.addStretch(1)
        self.import_button = QPushButton(_("Import members from Excel…"))
        self.import_button.setToolTip(
            _("Add the members listed in an Excel or CSV file to this organisation")
        )
        self.import_button.clicked.connect(self.import_members)
        self.import_dialog: QDialog | None = None
        actions.addWidget(self.import_button)
        box.addLayout(actions)
        self.member_error = QLabel()
        self.member_error.setStyleSheet("color: #b3261e;")
        self.member_error.setWordWrap(True)
        box.addWidget(self.member_error)
        return page

    def _grants_tab(self) -> QWidget:
        self.grants = read_table([_("Number"), _("Date"), _("Purpose"), _("Status"), _("Amount")], wide=2)
        self.grants.doubleClicked.connect(self._open_grant)
        return self.grants

    def _figures_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.figures: dict[str, QLabel] = {}
        for key, label in (
            ("women", _("Women members")),
            ("men", _("Men members")),
            ("members", _("Total members")),
            ("b_women", _("Women beneficiaries (declared in grants)")),
            ("b_men", _("Men beneficiaries (declared in grants)")),
            ("b_unspecified", _("Beneficiaries, sex not given")),
        ):
            self.figures[key] = QLabel("0")
            form.addRow(label, self.figures[key])
        return page

    # --- loading ----------------------------------------------------------------------------

    def load(self) -> None:
        self._loading = True
        self.attachments.set_record(self.entity_id)
        if self.entity_id is None:
            self.setWindowTitle(_("New organisation"))
        else:
            org = self.services.organisations.get(self.entity_id)
            self.version = org.version
            self.setWindowTitle(_("{code} — {name}").format(code=org.code, name=org.name))
            self.kind.set_value(org.kind)
            self.name.setText(org.name)
            self.name_ar.setText(org.name_ar or "")
            self.code.setText(org.code)
            self.sector.setText(org.sector or "")
            self.location.set_value(org.location_id)
            self.registration.setText(org.registration_number or "")
            self.created_on.set_value(org.created_on)
            self.president.setText(org.president_name or "")
            self.phone.setText(org.phone or "")
            self.address.setText(org.address or "")
            self.status.set_value(org.status)
            self.notes.setPlainText(org.notes or "")
        self._loading = False
        self.reload_related()
        self.refresh()

    def reload_related(self) -> None:
        saved = self.entity_id is not None
        self.visits_tab.set_organisation(self.entity_id)
        self.members_hint.setVisible(not saved)
        for widget in (
            self.member_search,
            self.member_role,
            self.add_member_button,
            self.new_member_button,
            self.edit_member_button,
            self.remove_member_button,
            self.import_button,
        ):
            widget.setEnabled(saved)
        if not saved or self.entity_id is None:
            return
        members = self.services.persons.members_of(self.entity_id)
        fill_table(
            self.members,
            [
                (
                    f"{m.first_name} {m.last_name}",
                    m.cin or "",
                    Sex(m.sex).label,
                    MemberRole(m.role).label,
                    format_date(m.start_date),
                    format_date(m.end_date),
                )
                for m in members
            ],
            [m.id for m in members],
        )
        self._memberships = {m.id: m for m in members}
        grants = self.services.grants.search(
            ListQuery(filters={"organisation_id": self.entity_id}, limit=None)
        ).rows
        fill_table(
            self.grants,
            [
                (
                    g.number,
                    format_date(g.grant_date),
                    g.purpose,
                    GrantStatus(g.status).label,
                    format_money(g.total, g.currency),
                )
                for g in grants
            ],
            [g.id for g in grants],
        )
        women = sum(1 for m in members if m.sex == Sex.FEMALE)
        live = [g for g in grants if g.status != GrantStatus.CANCELLED]
        values = {
            "women": women,
            "men": len(members) - women,
            "members": len(members),
            "b_women": sum(g.women for g in live),
            "b_men": sum(g.men for g in live),
            "b_unspecified": sum(g.unspecified for g in live),
        }
        for key, value in values.items():
            self.figures[key].setText(format_decimal(value))

    # --- members ----------------------------------------------------------------------------

    def _member_action(self, action: Callable[[], object]) -> bool:
        self.member_error.clear()
        try:
            action()
        except KsmError as exc:
            self.member_error.setText(exc.message)
            return False
        self.saved = True
        self.reload_related()
        return True

    def import_members(self) -> None:
        """Open the import dialog over this form; the members table follows each import."""
        from ksm_desktop.ui.import_dialog import ImportMembersDialog

        if self.entity_id is None:
            return
        dialog = self.import_dialog = ImportMembersDialog(self.services, self.entity_id, self)
        dialog.imported.connect(self._members_imported)
        dialog.finished.connect(self._import_closed)
        dialog.open()

    def _members_imported(self, _report: object) -> None:
        self.saved = True
        self.reload_related()

    def _import_closed(self) -> None:
        if self.import_dialog is not None:
            self.import_dialog.deleteLater()
            self.import_dialog = None

    def _add_existing(self) -> None:
        person_id, org_id = self.member_search.value(), self.entity_id
        if not isinstance(person_id, int) or org_id is None:
            self.member_error.setText(_("Find the person first, then choose them in the list."))
            return
        role = str(self.member_role.value())
        if self._member_action(lambda: self.services.persons.add_member(org_id, person_id, role)):
            self.member_search.set_value(None, "")

    def _add_new(self) -> None:
        from ksm_desktop.ui.forms import open_person

        org_id = self.entity_id
        person_id = open_person(self.services, None, self, org_id) if org_id is not None else None
        if org_id is not None and person_id is not None:
            role = str(self.member_role.value())
            self._member_action(lambda: self.services.persons.add_member(org_id, person_id, role))

    def _edit_membership(self) -> None:
        membership_id = selected_id(self.members)
        if membership_id is None:
            return
        m = self._memberships[membership_id]
        dialog = MembershipDialog(m, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._member_action(
                lambda: self.services.persons.update_membership(
                    m.id, str(dialog.role.value()), dialog.start.value(), dialog.end.value()
                )
            )

    def _remove_member(self) -> None:
        membership_id = selected_id(self.members)
        if membership_id is None:
            return
        m = self._memberships[membership_id]
        answer = QMessageBox.question(
            self,
            _("Remove a member"),
            _("Remove {name} from this organisation? The person stays in the registry.").format(
                name=f"{m.first_name} {m.last_name}"
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._member_action(lambda: self.services.persons.remove_member(m.id))

    def _open_member(self) -> None:
        from ksm_desktop.ui.forms import open_person

        membership_id = selected_id(self.members)
        if membership_id is not None:
            open_person(self.services, self._memberships[membership_id].person_id, self)
            self.reload_related()

    def _open_grant(self) -> None:
        from ksm_desktop.ui.forms import open_editor

        grant_id = selected_id(self.grants)
        if grant_id is not None and open_editor("grant", self.services, grant_id, self):
            self.reload_related()

    # --- saving -----------------------------------------------------------------------------

    def data(self) -> OrganisationInput:
        return OrganisationInput(
            kind=str(self.kind.value()),
            name=self.name.text(),
            code=self.code.text() or None,
            name_ar=self.name_ar.text(),
            sector=self.sector.text(),
            location_id=self.location.value(),
            registration_number=self.registration.text(),
            created_on=self.created_on.value(),
            president_name=self.president.text(),
            phone=self.phone.text(),
            address=self.address.text(),
            status=str(self.status.value()),
            notes=self.notes.toPlainText(),
            version=self.version,
        )

    def do_save(self) -> int:
        if self.entity_id is None:
            return self.services.organisations.create(self.data()).id
        return self.services.organisations.update(self.entity_id, self.data()).id

    def after_save(self) -> None:
        self.load()
