"""Sign-in, and on first start the creation of the administrator account.

The dialog only collects input: checking the password, counting failures and locking the
account happen in services/users.py.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ksm_desktop.db.engine import Database
from ksm_desktop.domain.enums import AccountRole
from ksm_desktop.domain.errors import KsmError
from ksm_desktop.i18n import _
from ksm_desktop.services import Actor
from ksm_desktop.services.users import authenticate, create_first_admin, has_users


class LoginDialog(QDialog):
    """`exec()` returns Accepted with `actor` set once the user is signed in."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.actor: Actor | None = None
        self.first_run = not has_users(db)
        self.setWindowTitle(_("Create the administrator account") if self.first_run else _("Sign in"))
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.full_name = QLineEdit()
        self.error = QLabel()
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("User name"), self.username)
        if self.first_run:
            form.addRow(_("Full name"), self.full_name)
        form.addRow(_("Password"), self.password)
        if self.first_run:
            form.addRow(_("Password again"), self.confirm)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if self.first_run:
            intro = QLabel(
                _(
                    "This is the first start on this database. Create the administrator account: it "
                    "manages users and settings. The password needs at least 10 characters."
                )
            )
            intro.setWordWrap(True)
            layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def submit(self) -> None:
        try:
            if self.first_run:
                if self.password.text() != self.confirm.text():
                    raise KsmError(_("The two passwords differ."), "password")
                user = create_first_admin(
                    self.db, self.username.text(), self.password.text(), self.full_name.text().strip() or None
                )
                self.actor = Actor(user.username, AccountRole(user.role))
            else:
                self.actor = authenticate(self.db, self.username.text(), self.password.text())
        except KsmError as exc:
            self.password.clear()
            self.confirm.clear()
            self.error.setText(exc.message)
            return
        self.accept()
