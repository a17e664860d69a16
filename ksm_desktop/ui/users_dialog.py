"""Tools › Users… for administrators: the accounts, their roles, new accounts, password resets
and the single-user mode of a lone laptop. Every rule (admins only, one active administrator
left, password length) is enforced by services/users.py; this dialog only shows its messages."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ksm_desktop.domain.enums import AccountRole
from ksm_desktop.domain.errors import KsmError, ValidationError
from ksm_desktop.i18n import _
from ksm_desktop.i18n.formatting import format_datetime
from ksm_desktop.services import Services
from ksm_desktop.services.users import UserDTO, single_user_mode


def _role_combo() -> QComboBox:
    combo = QComboBox()
    for role in AccountRole:
        combo.addItem(role.label, role.value)
    return combo


def _password_field() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class _AccountDialog(QDialog):
    """A small form whose OK runs `submit`; a refused input shows its message and keeps the form."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def submit(self) -> None:
        raise NotImplementedError

    def _ok(self) -> None:
        try:
            self.submit()
        except KsmError as exc:
            self.error.setText(exc.message)
            return
        self.accept()


class NewUserDialog(_AccountDialog):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(_("New user"), parent)
        self.services = services
        self.username, self.full_name, self.role = QLineEdit(), QLineEdit(), _role_combo()
        self.role.setCurrentIndex(self.role.findData("agent"))
        self.password, self.confirm = _password_field(), _password_field()
        self.form.addRow(_("User name"), self.username)
        self.form.addRow(_("Full name"), self.full_name)
        self.form.addRow(_("Role"), self.role)
        self.form.addRow(_("Password"), self.password)
        self.form.addRow(_("Password again"), self.confirm)

    def submit(self) -> None:
        if self.password.text() != self.confirm.text():
            raise ValidationError(_("The two passwords differ."), "password")
        self.services.users.add(
            self.username.text(),
            self.password.text(),
            self.role.currentData(),
            self.full_name.text().strip() or None,
        )


class PasswordDialog(_AccountDialog):
    def __init__(self, services: Services, username: str, parent: QWidget | None = None) -> None:
        super().__init__(_("New password for {name}").format(name=username), parent)
        self.services, self.name = services, username
        self.password, self.confirm = _password_field(), _password_field()
        self.form.addRow(_("Password"), self.password)
        self.form.addRow(_("Password again"), self.confirm)

    def submit(self) -> None:
        if self.password.text() != self.confirm.text():
            raise ValidationError(_("The two passwords differ."), "password")
        self.services.users.set_password(self.name, self.password.text())


class UsersDialog(QDialog):
    """The list of accounts with the actions an administrator needs."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.users: list[UserDTO] = []
        self.setWindowTitle(_("Users"))
        self.resize(760, 420)
        headers = [_("User name"), _("Full name"), _("Role"), _("Active"), _("Last sign-in")]
        self.table = QTableWidget(0, len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.role = _role_combo()
        self.add_button = QPushButton(_("Add…"))
        self.role_button = QPushButton(_("Change role"))
        self.active_button = QPushButton(_("Deactivate"))
        self.password_button = QPushButton(_("Reset password…"))
        self.add_button.clicked.connect(self.add_user)
        self.role_button.clicked.connect(lambda: self._change(self._set_role))
        self.active_button.clicked.connect(lambda: self._change(self._toggle_active))
        self.password_button.clicked.connect(self.reset_password)
        self.single_user = QCheckBox(_("Single-user mode: start without signing in (one laptop, one person)"))
        self.single_user.setChecked(single_user_mode(services.db))
        self.single_user.toggled.connect(self.set_single_user)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        actions = QHBoxLayout()
        actions.addWidget(self.add_button)
        actions.addStretch(1)
        actions.addWidget(self.role)
        for button in (self.role_button, self.active_button, self.password_button):
            actions.addWidget(button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(self.single_user)
        layout.addWidget(close)
        self.reload()

    def reload(self, select: str | None = None) -> None:
        self.users = self.services.users.list()
        self.table.setRowCount(len(self.users))
        for row, user in enumerate(self.users):
            cells = [
                user.username,
                user.full_name or "",
                AccountRole(user.role).label,
                _("yes") if user.active else _("no"),
                format_datetime(user.last_login) if user.last_login else "",
            ]
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
            if user.username == select:
                self.table.selectRow(row)
        self._selection_changed()

    def selected(self) -> UserDTO | None:
        rows = self.table.selectionModel().selectedRows()
        return self.users[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        user = self.selected()
        for button in (self.role_button, self.active_button, self.password_button):
            button.setEnabled(user is not None)
        if user is not None:
            self.role.setCurrentIndex(self.role.findData(user.role))
            self.active_button.setText(_("Deactivate") if user.active else _("Reactivate"))

    def _change(self, action: Callable[[UserDTO], object]) -> None:
        user = self.selected()
        if user is None:
            return
        try:
            action(user)
        except KsmError as exc:
            QMessageBox.warning(self, _("Users"), exc.message)
        self.reload(select=user.username)

    def _set_role(self, user: UserDTO) -> None:
        self.services.users.set_role(user.username, self.role.currentData(), user.active)

    def _toggle_active(self, user: UserDTO) -> None:
        self.services.users.set_role(user.username, user.role, not user.active)

    def add_user(self) -> None:
        form = NewUserDialog(self.services, self)
        if form.exec() == QDialog.DialogCode.Accepted:
            self.reload(select=form.username.text().strip().lower())

    def reset_password(self) -> None:
        user = self.selected()
        if user is not None and PasswordDialog(self.services, user.username, self).exec():
            QMessageBox.information(self, _("Users"), _("The password was changed."))

    def set_single_user(self, enabled: bool) -> None:
        try:
            self.services.users.set_single_user_mode(enabled)
        except KsmError as exc:
            QMessageBox.warning(self, _("Users"), exc.message)
