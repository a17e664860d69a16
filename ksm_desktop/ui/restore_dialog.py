"""Choosing a backup to restore: date, reason, size and what each copy holds."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ksm_desktop.db.backups_policy import BackupInfo, list_backups
from ksm_desktop.db.restore import restore_file
from ksm_desktop.domain.errors import KsmError
from ksm_desktop.i18n import _
from ksm_desktop.i18n.formatting import format_datetime, format_decimal
from ksm_desktop.ui.workers import wait_for_jobs


class RestoreDialog(QDialog):
    """Accepted once the chosen backup replaced the database (the caller then reopens it);
    `aside` is where the replaced database was kept."""

    def __init__(self, db_path: Path, backup_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db_path = db_path
        self.aside: Path | None = None
        self.source: Path | None = None  # the backup restored
        self.backups: list[BackupInfo] = list_backups(backup_dir, db_path)
        self.setWindowTitle(_("Restore a backup"))
        self.resize(720, 360)
        headers = [_("Date"), _("Reason"), _("Size (KB)"), _("Organisations"), _("Persons"), _("Grants")]
        self.table = QTableWidget(len(self.backups), len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, info in enumerate(self.backups):
            cells = [
                format_datetime(info.made_at),
                info.reason,
                format_decimal(info.size // 1024),
                *(
                    "" if info.counts[k] is None else format_decimal(info.counts[k] or 0)
                    for k in ("organisations", "persons", "grants")
                ),
            ]
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        if self.backups:
            self.table.selectRow(0)
        note = QLabel(
            _("The current database is kept aside under a dated name; nothing is deleted.")
            if self.backups
            else _("No backup in {folder}.").format(folder=backup_dir)
        )
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = self.buttons.addButton(_("Restore"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setEnabled(bool(self.backups))
        self.buttons.accepted.connect(self.restore)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(note)
        layout.addWidget(self.buttons)

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def restore(self) -> None:
        """The caller must have closed the database (Database.dispose) before this runs."""
        info = self.selected()
        if info is None:
            return
        wait_for_jobs()  # the minute's backup check may be reading the file in the background
        try:
            self.aside = restore_file(info.path, self.db_path)
            self.source = info.path
        except KsmError as exc:
            QMessageBox.critical(self, _("Restore a backup"), exc.message)
            return
        self.accept()
