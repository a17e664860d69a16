"""Import members of one organisation from an Excel or CSV file, in four steps:
file → columns (what each column holds) → preview (rejected rows with their reason, and new
people who look like someone already registered, each to mark "same" or "different") → summary.

Import is all or nothing: the button stays disabled while any row is rejected. Reading, checking
and importing run off the GUI thread.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ksm_desktop.domain.errors import KsmError
from ksm_desktop.exchange.members import (
    FIELDS,
    IGNORE,
    check_mapping,
    guess_mapping,
    parse_rows,
    read_members,
    save_mapping,
)
from ksm_desktop.exchange.sheets import Table
from ksm_desktop.i18n import _
from ksm_desktop.i18n.formatting import format_date_numeric
from ksm_desktop.services import Services
from ksm_desktop.services.imports import ImportDecision, ImportReport, LookAlike, MemberRow
from ksm_desktop.ui.forms.candidates_panel import isolated, likeness_text
from ksm_desktop.ui.workers import run_in_background

FILE, MAPPING, PREVIEW, SUMMARY = range(4)
SAMPLES = 3


def sample_text(value: object) -> str:
    """A cell as the user wrote it: an Excel date is '15/03/1984', not '1984-03-15 00:00:00'."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return format_date_numeric(value)
    return str(value)


class ImportMembersDialog(QDialog):
    """Emits `imported(report)` after a successful import (the caller refreshes its lists)."""

    imported = Signal(object)

    def __init__(self, services: Services, organisation_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.organisation_id = organisation_id
        self.table: Table | None = None
        self.rows: list[MemberRow] = []
        self.bad: list[tuple[int, KsmError]] = []
        self.report: ImportReport | None = None
        # the user's answers about look-alikes: (line, person id, earlier line) → same?
        self.decisions: dict[tuple[int, int | None, int | None], bool] = {}
        self.busy = False
        org = services.organisations.get(organisation_id)
        self.setWindowTitle(_("Import members into {name}").format(name=org.name))
        self.resize(820, 560)

        self.pages = QStackedWidget()
        self.pages.addWidget(self._file_page())
        self.pages.addWidget(self._mapping_page())
        self.pages.addWidget(self._preview_page())
        self.pages.addWidget(self._summary_page())
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setObjectName("status")

        self.back_button = QPushButton(_("Back"))
        self.next_button = QPushButton(_("Next"))
        self.import_button = QPushButton(_("Import"))
        self.close_button = QPushButton(_("Cancel"))
        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.go_next)
        self.import_button.clicked.connect(self.start_import)
        self.close_button.clicked.connect(self.reject)
        buttons = QDialogButtonBox()
        for button, role in (
            (self.back_button, QDialogButtonBox.ButtonRole.ActionRole),
            (self.next_button, QDialogButtonBox.ButtonRole.ActionRole),
            (self.import_button, QDialogButtonBox.ButtonRole.AcceptRole),
            (self.close_button, QDialogButtonBox.ButtonRole.RejectRole),
        ):
            buttons.addButton(button, role)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self._update_buttons()

    # --- pages ---------------------------------------------------------------------------------

    def _file_page(self) -> QWidget:
        page = QWidget()
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(_("Spreadsheet (.xlsx, .ods) or text file (.csv, .txt)"))
        self.path_edit.textChanged.connect(self._update_buttons)
        browse = QPushButton(_("Choose…"))
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        layout = QVBoxLayout(page)
        intro = QLabel(
            _(
                "Choose the list of members. The first row must hold the column titles "
                "(Nom, Prénom, CIN, Sexe…, in French, Arabic or English). Nothing is imported "
                "before you have seen the preview."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addStretch(1)
        return page

    def _mapping_page(self) -> QWidget:
        page = QWidget()
        self.mapping_table = QTableWidget(0, 3)
        self.mapping_table.setHorizontalHeaderLabels([_("Column in the file"), _("First values"), _("Holds")])
        self.mapping_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.mapping_table.verticalHeader().setVisible(False)
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel(_("Check what each column holds; your choice is remembered.")))
        layout.addWidget(self.mapping_table)
        return page

    def _preview_page(self) -> QWidget:
        page = QWidget()
        self.counts = QFormLayout()
        self.count_labels = {
            key: QLabel() for key in ("rows_read", "to_add", "linked", "already", "rejected")
        }
        titles = {
            "rows_read": _("Rows read"),
            "to_add": _("New people to add"),
            "linked": _("Registered people who become members"),
            "already": _("Already members (left as they are)"),
            "rejected": _("Rejected rows"),
        }
        for key, label in self.count_labels.items():
            self.counts.addRow(titles[key], label)
        self.rejected_table = QTableWidget(0, 2)
        self.rejected_table.setHorizontalHeaderLabels([_("Line"), _("Reason")])
        self.rejected_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.rejected_table.verticalHeader().setVisible(False)
        self.rejected_note = QLabel(
            _("Correct these rows in the file, then choose it again: the import is all or nothing.")
        )
        self.rejected_note.setWordWrap(True)
        self.alike_note = QLabel(
            _(
                "These new people look like someone already registered or like another line of the "
                "file. “Same person” makes the registered person a member (or keeps the earlier line "
                "only) instead of creating them again; “Different person” is remembered."
            )
        )
        self.alike_note.setWordWrap(True)
        self.alike_table = QTableWidget(0, 4)
        self.alike_table.setHorizontalHeaderLabels(
            [_("Line"), _("In the file"), _("Looks like"), _("Decision")]
        )
        self.alike_table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.alike_table.verticalHeader().setVisible(False)
        self.alike_table.setWordWrap(True)
        layout = QVBoxLayout(page)
        layout.addLayout(self.counts)
        layout.addWidget(self.rejected_note)
        layout.addWidget(self.rejected_table, 1)
        layout.addWidget(self.alike_note)
        layout.addWidget(self.alike_table, 1)
        return page

    def _summary_page(self) -> QWidget:
        page = QWidget()
        self.summary = QPlainTextEdit()
        self.summary.setReadOnly(True)
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel(_("Import finished.")))
        layout.addWidget(self.summary)
        return page

    # --- steps ---------------------------------------------------------------------------------

    def browse(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Choose the list of members"), "", _("Spreadsheets (*.xlsx *.ods *.csv *.txt)")
        )
        if name:
            self.path_edit.setText(name)

    def go_next(self) -> None:
        if self.pages.currentIndex() == FILE:
            self.read_file(Path(self.path_edit.text().strip()))
        elif self.pages.currentIndex() == MAPPING:
            self.preview()

    def go_back(self) -> None:
        self.pages.setCurrentIndex(max(FILE, self.pages.currentIndex() - 1))
        self.status.clear()
        self._update_buttons()

    def read_file(self, path: Path) -> None:
        self._start(_("Reading {name}…").format(name=path.name), lambda: read_members(path), self._file_read)

    def _file_read(self, table: Table) -> None:
        self.table = table
        self.decisions = {}
        mapping = guess_mapping(table.headers)
        self.mapping_table.setRowCount(len(table.headers))
        for i, (header, field) in enumerate(zip(table.headers, mapping, strict=True)):
            self.mapping_table.setItem(i, 0, QTableWidgetItem(header))
            samples = [
                sample_text(cells[i])
                for _n, cells in table.rows[:SAMPLES]
                if i < len(cells) and cells[i] is not None
            ]
            self.mapping_table.setItem(i, 1, QTableWidgetItem(" · ".join(samples)))
            combo = QComboBox()
            combo.addItem(_("(ignore)"), IGNORE)
            for key, label in FIELDS.items():
                combo.addItem(_(label), key)
            combo.setCurrentIndex(max(0, combo.findData(field)))
            self.mapping_table.setCellWidget(i, 2, combo)
        self.mapping_table.resizeColumnToContents(0)
        self.pages.setCurrentIndex(MAPPING)
        self.status.setText(
            _("{rows} rows found. Check the columns, then continue.").format(rows=len(table.rows))
        )
        self._update_buttons()

    def mapping(self) -> list[str]:
        combos = [self.mapping_table.cellWidget(i, 2) for i in range(self.mapping_table.rowCount())]
        return [str(combo.currentData()) for combo in combos if isinstance(combo, QComboBox)]

    def set_field(self, column: int, field: str) -> None:
        combo = self.mapping_table.cellWidget(column, 2)
        assert isinstance(combo, QComboBox)
        combo.setCurrentIndex(combo.findData(field))

    def preview(self) -> None:
        assert self.table is not None
        mapping = self.mapping()
        try:
            check_mapping(mapping)
        except KsmError as exc:
            self.status.setText(exc.message)
            return
        save_mapping(self.table.headers, mapping)
        table, org, decisions = self.table, self.organisation_id, self.decision_list()

        def work() -> tuple[list[MemberRow], list[tuple[int, KsmError]], ImportReport]:
            rows, bad = parse_rows(table, mapping)
            return rows, list(bad), self.services.imports.preview(org, rows, bad, decisions)

        self._start(_("Checking the rows…"), work, self._previewed)

    def _previewed(self, result: tuple[list[MemberRow], list[tuple[int, KsmError]], ImportReport]) -> None:
        self.rows, self.bad, self.report = result
        report = self.report
        values = {
            "rows_read": report.rows_read,
            "to_add": report.to_add,
            "linked": report.linked,
            "already": len(report.already_members),
            "rejected": len(report.rejected),
        }
        for key, value in values.items():
            self.count_labels[key].setText(str(value))
        self.rejected_table.setRowCount(len(report.rejected))
        for i, line in enumerate(report.rejected):
            number = QTableWidgetItem(str(line.line))
            number.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.rejected_table.setItem(i, 0, number)
            self.rejected_table.setItem(i, 1, QTableWidgetItem(line.reason))
        self.rejected_table.setVisible(not report.ok)
        self.rejected_note.setVisible(not report.ok)
        self._fill_look_alikes(report.look_alikes)
        self.pages.setCurrentIndex(PREVIEW)
        self.status.setText(
            _("Ready to import.") if report.ok else _("Nothing can be imported while rows are rejected.")
        )
        self._update_buttons()

    def _fill_look_alikes(self, alikes: tuple[LookAlike, ...]) -> None:
        self.alike_table.setRowCount(len(alikes))
        for i, alike in enumerate(alikes):
            number = QTableWidgetItem(str(alike.line))
            number.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.alike_table.setItem(i, 0, number)
            self.alike_table.setItem(i, 1, QTableWidgetItem(alike.name))
            why = likeness_text(isolated(alike.other_name), alike.score, alike.reasons)
            self.alike_table.setItem(i, 2, QTableWidgetItem(why))
            combo = QComboBox()
            for label, value in (
                (_("Not decided"), None),
                (_("Same person"), True),
                (_("Different person"), False),
            ):
                combo.addItem(label, value)
            key = (alike.line, alike.person_id, alike.other_line)
            combo.setCurrentIndex(max(0, combo.findData(self.decisions.get(key))))
            combo.currentIndexChanged.connect(partial(self._decided, key, combo))
            self.alike_table.setCellWidget(i, 3, combo)
        self.alike_table.resizeColumnsToContents()
        self.alike_table.resizeRowsToContents()
        self.alike_table.setVisible(bool(alikes))
        self.alike_note.setVisible(bool(alikes))

    def _decided(self, key: tuple[int, int | None, int | None], combo: QComboBox, _index: int) -> None:
        """A decision changes what the import will do: the counts are checked again."""
        same = combo.currentData()
        if same is None:
            self.decisions.pop(key, None)
        else:
            self.decisions[key] = bool(same)
        rows, bad, org, decisions = self.rows, self.bad, self.organisation_id, self.decision_list()
        self._start(
            _("Checking the rows…"),
            lambda: (rows, bad, self.services.imports.preview(org, rows, bad, decisions)),  # type: ignore[arg-type]
            self._previewed,
        )

    def decision_list(self) -> list[ImportDecision]:
        return [
            ImportDecision(line, same, person_id=person_id, other_line=other)
            for (line, person_id, other), same in sorted(self.decisions.items(), key=lambda kv: kv[0][0])
        ]

    def start_import(self) -> None:
        if self.report is None or not self.report.ok:
            return
        rows, bad, org, decisions = self.rows, self.bad, self.organisation_id, self.decision_list()
        self._start(
            _("Backing up the database and importing…"),
            lambda: self.services.imports.commit(org, rows, bad, decisions),  # type: ignore[arg-type]
            self._imported,
        )

    def _imported(self, report: ImportReport) -> None:
        self.report = report
        lines = report.lines()
        if report.backup is not None:
            lines.append(_("Backup made before the import: {path}").format(path=report.backup))
        self.summary.setPlainText("\n".join(lines))
        self.pages.setCurrentIndex(SUMMARY)
        self.status.clear()
        self.close_button.setText(_("Close"))
        self._update_buttons()
        self.imported.emit(report)

    # --- plumbing ------------------------------------------------------------------------------

    def _start(self, message: str, work, on_done) -> None:  # type: ignore[no-untyped-def]
        self.busy = True
        self.status.setText(message)
        self._update_buttons()

        def done(result: object) -> None:
            self.busy = False
            on_done(result)

        run_in_background(work, done, self._failed, owner=self)

    def _failed(self, exc: BaseException) -> None:
        self.busy = False
        self.status.setText(
            exc.message if isinstance(exc, KsmError) else _("Unexpected error: {error}").format(error=exc)
        )
        self._update_buttons()

    def _update_buttons(self) -> None:
        page = self.pages.currentIndex()
        idle = not self.busy
        self.close_button.setEnabled(idle)
        self.alike_table.setEnabled(idle)  # one check at a time
        self.back_button.setEnabled(idle and page in (MAPPING, PREVIEW))
        self.next_button.setVisible(page in (FILE, MAPPING))
        self.next_button.setEnabled(idle and (page == MAPPING or bool(self.path_edit.text().strip())))
        self.import_button.setVisible(page == PREVIEW)
        self.import_button.setEnabled(
            idle
            and page == PREVIEW
            and self.report is not None
            and self.report.ok
            and not self.report.committed
        )
