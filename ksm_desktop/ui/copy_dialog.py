"""Moving the office to its server: the whole open database copied into an empty PostgreSQL
database, verified table by table, off the GUI thread with a progress bar."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from ksm_desktop.db.engine import Database
from ksm_desktop.db.transfer import CopyReport, copy_database
from ksm_desktop.domain.errors import KsmError
from ksm_desktop.i18n import _
from ksm_desktop.i18n.formatting import format_decimal
from ksm_desktop.ui.workers import run_in_background


class CopyDialog(QDialog):
    """The database this window has open stays as it is; the copy only counts once verified."""

    progressed = Signal(int, int, str)  # emitted by the worker, delivered on the GUI thread

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.report: CopyReport | None = None
        self.setWindowTitle(_("Copy to a server"))
        self.resize(620, 260)
        intro = QLabel(
            _(
                "Copies the whole database (every record, the users and the audit log) into an empty "
                "PostgreSQL database on the office server, then checks the copy table by table. "
                "The database open here is not changed."
            )
        )
        intro.setWordWrap(True)
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText("postgresql+psycopg://ksm@serveur/ksm")
        self.url_edit.textChanged.connect(self._update_button)
        form = QFormLayout()
        form.addRow(_("Server database:"), self.url_edit)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = self.buttons.addButton(_("Copy"), QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.setEnabled(False)
        self.copy_button.clicked.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        self.progressed.connect(self._show_progress)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status, 1, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.buttons)

    @property
    def busy(self) -> bool:
        return self.progress.isVisible()

    def _update_button(self) -> None:
        ready = bool(self.url_edit.text().strip()) and not self.busy and self.report is None
        self.copy_button.setEnabled(ready)

    def start(self) -> None:
        url = self.url_edit.text().strip()
        if not url or self.busy:
            return
        self.url_edit.setEnabled(False)
        self.progress.setVisible(True)
        self.progress.setValue(0)
        self._update_button()
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setEnabled(False)
        self.status.setText(_("Copying…"))
        run_in_background(
            lambda: copy_database(self.db, url, self.progressed.emit), self._done, self._failed, owner=self
        )

    def _show_progress(self, done: int, total: int, table: str) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        if table:
            self.status.setText(_("Copying {table}…").format(table=table))

    def _finish(self, message: str) -> None:
        self.progress.setVisible(False)
        self.url_edit.setEnabled(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setEnabled(True)
        self._update_button()
        self.status.setText(message)

    def _done(self, report: CopyReport) -> None:
        self.report = report  # done once: a second copy into the same server would be refused
        self._finish(
            _("Copied and verified: {tables} tables, {rows} rows, into {target}.").format(
                tables=format_decimal(len(report.tables)),
                rows=format_decimal(report.rows),
                target=report.target,
            )
            + "\n"
            + _("Each laptop now opens the server with --db-url or KSM_DB_URL (see the server guide).")
        )

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, KsmError):
            self._finish(exc.message)
            return
        from ksm_desktop.ui.errors import show_exception

        self._finish("")
        show_exception(type(exc), exc, exc.__traceback__)

    def reject(self) -> None:
        if not self.busy:  # Escape does not leave a copy running behind a closed dialog
            super().reject()
