"""The audit log for administrators: filter by record type, user and dates; export to Excel."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ksm_desktop.db.audit import AUDITED
from ksm_desktop.domain.errors import KsmError
from ksm_desktop.i18n import _, ngettext
from ksm_desktop.i18n.formatting import format_datetime
from ksm_desktop.services import Services
from ksm_desktop.services.audit import AuditDTO, AuditQuery
from ksm_desktop.services.merges import MERGE_ACTION
from ksm_desktop.ui.forms.base import error_label, show_message


def _qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


class AuditView(QWidget):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.entity = QComboBox()
        self.entity.addItem(_("All records"), None)
        for name in sorted(AUDITED.values()):
            self.entity.addItem(name, name)
        self.user = QLineEdit()
        self.user.setPlaceholderText(_("User"))
        today = dt.date.today()
        self.since = QDateEdit(_qdate(today - dt.timedelta(days=30)))
        self.until = QDateEdit(_qdate(today))
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
        search = QPushButton(_("Search"))
        export = QPushButton(_("Export to Excel…"))
        search.clicked.connect(self.refresh)
        export.clicked.connect(self.export)
        filters = QHBoxLayout()
        for w in (self.entity, self.user, self.since, self.until, search, export):
            filters.addWidget(w)
        headers = [_("Date"), _("User"), _("Action"), _("Record"), _("Label"), _("Changes")]
        self.table = QTableWidget(0, len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.itemSelectionChanged.connect(self._update_undo)
        self.entries: list[AuditDTO] = []
        self.undo_button = QPushButton(_("Undo the merge…"))
        self.undo_button.setToolTip(_("Separate again the two persons of the selected merge"))
        self.undo_button.setVisible(services.actor.is_admin)
        self.undo_button.setEnabled(False)
        self.undo_button.clicked.connect(self.undo_merge)
        self.notice = error_label()
        actions = QHBoxLayout()
        actions.addWidget(self.notice, 1)
        actions.addWidget(self.undo_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table)
        layout.addLayout(actions)
        self.refresh()

    def query(self, limit: int | None = 1000) -> AuditQuery:
        return AuditQuery(
            entity=self.entity.currentData(),
            username=self.user.text().strip() or None,
            since=self.since.date().toPython(),  # type: ignore[arg-type]
            until=self.until.date().toPython(),  # type: ignore[arg-type]
            limit=limit,
        )

    def refresh(self) -> None:
        try:
            entries = self.services.audit.search(self.query())
        except KsmError as exc:
            QMessageBox.warning(self, _("Audit log"), exc.message)
            return
        self.entries = entries
        self.table.setRowCount(len(entries))
        for row, e in enumerate(entries):
            for col, text in enumerate(self._cells(e)):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

    def selected_entry(self) -> AuditDTO | None:
        rows = self.table.selectionModel().selectedRows()
        return self.entries[rows[0].row()] if rows else None

    def _update_undo(self) -> None:
        entry = self.selected_entry()
        self.undo_button.setEnabled(
            entry is not None and entry.entity == "person" and entry.action == MERGE_ACTION
        )

    def undo_merge(self) -> None:
        """The selected merge undone, after a confirmation; the outcome said below the list."""
        entry = self.selected_entry()
        if entry is None or entry.action != MERGE_ACTION:
            return
        answer = QMessageBox.question(
            self,
            _("Undo the merge"),
            _("Separate “{label}” again into two persons, each with what they had before?").format(
                label=entry.label or ""
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            back = self.services.persons.undo_merge(entry.id)
        except KsmError as exc:
            show_message(self.notice, exc.message)
            return
        self.refresh()
        show_message(
            self.notice,
            _("{name} (#{id}) is a separate person again, with what the merge had moved.").format(
                name=back.full_name, id=back.id
            ),
            error=False,
        )

    @staticmethod
    def _cells(e: AuditDTO) -> list[str]:
        changes = "; ".join(f"{k}: {before} → {after}" for k, (before, after) in sorted(e.changes.items()))
        return [format_datetime(e.at), e.username, e.action, e.entity, e.label or "", changes]

    def export(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Export to Excel…"), "audit.xlsx", "Excel (*.xlsx)"
        )
        if not name:
            return
        try:
            count = self.services.audit.export_xlsx(Path(name), self.query(limit=None))
        except KsmError as exc:
            QMessageBox.warning(self, _("Audit log"), exc.message)
            return
        QMessageBox.information(
            self,
            _("Audit log"),
            ngettext("{count} entry exported.", "{count} entries exported.", count).format(count=count),
        )
