"""The Duplicates page: persons probably registered twice, compared side by side and merged with
a choice per field; and the donors' double-dipping report (who received more than once).

The pairs are computed off the GUI thread (a whole registry takes seconds); the comparison of one
pair reads two persons and is quick.
"""

from __future__ import annotations

import math
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ksm_desktop.domain.enums import Sex
from ksm_desktop.domain.errors import KsmError
from ksm_desktop.i18n import N_, _, ngettext
from ksm_desktop.i18n.formatting import format_date, format_list, format_percent
from ksm_desktop.services import ListQuery, Services
from ksm_desktop.services.double_dipping import DoubleDipRow, double_dip_headers
from ksm_desktop.services.dto import PersonDTO
from ksm_desktop.services.duplicates import DuplicatePair
from ksm_desktop.services.merges import DROP, KEEP, differing_fields
from ksm_desktop.ui.forms.base import error_label, show_message
from ksm_desktop.ui.qt_checked import cell
from ksm_desktop.ui.workers import run_in_background

ROLE = Qt.ItemDataRole.UserRole

# The person fields a merge may ask about, as the person form names them.
FIELD_LABELS = {
    "first_name": N_("First name"),
    "last_name": N_("Last name"),
    "full_name_ar": N_("Full name in Arabic"),
    "sex": N_("Sex"),
    "cin": N_("CIN"),
    "birth_date": N_("Birth date"),
    "birth_year": N_("Birth year"),
    "phone": N_("Phone"),
    "household_size": N_("Household size"),
    "location_id": N_("Place"),
    "notes": N_("Notes"),
    "consent_date": N_("Consent given on"),
    "consent_purpose": N_("Consent for"),
}


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().setVisible(False)
    return table


def _fill(table: QTableWidget, rows: list[list[str]], ids: list[Any] | None = None) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if ids is not None and c == 0:
                item.setData(ROLE, ids[r])
            table.setItem(r, c, item)
    header = table.horizontalHeader()
    for c in range(table.columnCount()):  # fitted to the text, except columns set to stretch
        if header.sectionResizeMode(c) == QHeaderView.ResizeMode.Interactive:
            table.resizeColumnToContents(c)


class DuplicatesPage(QTabWidget):
    """Two tabs: the review of likely duplicates and the double-dipping report."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("duplicatesPage")
        self.review = ReviewTab(services, self)
        self.double_dipping = DoubleDippingTab(services, self)
        self.addTab(self.review, _("Same person twice?"))
        self.addTab(self.double_dipping, _("Received more than once"))
        self.started = False

    def showEvent(self, event: Any) -> None:
        """The registry is read the first time the page is opened, not when the window starts."""
        super().showEvent(event)
        if not self.started:
            self.started = True
            self.refresh()

    def refresh(self) -> None:
        self.review.refresh()
        self.double_dipping.refresh()


class ReviewTab(QWidget):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.pairs: list[DuplicatePair] = []
        self.loading = False
        self.merge_dialog: MergeDialog | None = None
        self.min_score = QSpinBox()
        self.min_score.setRange(50, 100)
        self.min_score.setValue(80)
        self.searched_score = 0
        self.min_score.setSuffix(" %")
        self.min_score.setToolTip(_("Only pairs scored at least this much are listed"))
        self.search_button = QPushButton(_("Search"))
        self.search_button.clicked.connect(self.refresh)
        self.min_score.editingFinished.connect(self._score_typed)
        self.status = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Minimum score")))
        top.addWidget(self.min_score)
        top.addWidget(self.search_button)
        top.addWidget(self.status, 1)
        self.table = _table([_("Score"), _("Person"), _("Person"), _("Reasons")])
        self.table.itemSelectionChanged.connect(self._compare_selected)
        self.table.activated.connect(self._pair_activated)  # Enter or a double-click: Merge…
        self.comparison = _table([_("Field"), "", ""])
        self.comparison.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.comparison.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for column in (1, 2):  # the two persons side by side, as wide as each other
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.merge_button = QPushButton(_("Merge…"))
        self.merge_button.setEnabled(False)
        self.merge_button.setToolTip(
            _("Make one person of the two; the merge can be undone from the audit log")
            if services.actor.can_write
            else _("Your account can view and print, but not change data.")
        )
        self.merge_button.clicked.connect(self.open_merge)
        bottom = QWidget()
        below = QVBoxLayout(bottom)
        below.setContentsMargins(0, 0, 0, 0)
        below.addWidget(self.comparison)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.merge_button)
        below.addLayout(actions)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(bottom)
        splitter.setSizes([220, 380])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter)

    def _score_typed(self) -> None:
        """Enter or leaving the score field searches again, only if the score changed."""
        if self.min_score.value() != self.searched_score:
            self.refresh()

    def refresh(self) -> None:
        """Score the registry again in the background."""
        self.searched_score = self.min_score.value()
        self.loading = True
        self.status.setText(_("Looking for persons registered twice…"))
        self.search_button.setEnabled(False)
        find = partial(self.services.duplicates.find, self.min_score.value() / 100)
        run_in_background(find, self._show_pairs, self._failed, owner=self)

    def _failed(self, exc: BaseException) -> None:
        self.loading = False
        self.search_button.setEnabled(True)
        self.status.setText(exc.message if isinstance(exc, KsmError) else str(exc))

    def _show_pairs(self, pairs: list[DuplicatePair]) -> None:
        self.loading = False
        self.search_button.setEnabled(True)
        self.pairs = pairs
        rows = [
            [
                format_percent(math.floor(p.score * 100) / 100),  # 99.9 % is not yet certain
                f"{p.name_a} (#{p.a})",
                f"{p.name_b} (#{p.b})",
                format_list([r.label for r in p.reasons]),
            ]
            for p in pairs
        ]
        _fill(self.table, rows, list(range(len(pairs))))
        self.status.setText(
            ngettext("{n} pair to review.", "{n} pairs to review.", len(pairs)).format(n=len(pairs))
        )
        self.comparison.setRowCount(0)
        self.merge_button.setEnabled(False)

    def selected_pair(self) -> DuplicatePair | None:
        rows = self.table.selectionModel().selectedRows()
        return self.pairs[rows[0].row()] if rows else None

    def _compare_selected(self) -> None:
        pair = self.selected_pair()
        if pair is None:
            return
        try:
            a, b = self.services.persons.get(pair.a), self.services.persons.get(pair.b)
            left, right = self._facts(a), self._facts(b)
        except KsmError as exc:  # merged or deleted meanwhile
            self.status.setText(exc.message)
            return
        self.comparison.setHorizontalHeaderLabels([_("Field"), f"#{a.id}", f"#{b.id}"])
        _fill(self.comparison, [[label, left[label], right[label]] for label in left])
        bold = QFont()
        bold.setBold(True)
        for row, label in enumerate(left):
            if left[label] != right[label]:  # what differs stands out
                for column in (1, 2):
                    cell(self.comparison, row, column).setFont(bold)
        self.merge_button.setEnabled(self.services.actor.can_write)

    def _facts(self, p: PersonDTO) -> dict[str, str]:
        """What the user compares, labelled, in the order of the comparison table."""
        orgs = [m.organisation_name for m in self.services.persons.memberships_of(p.id)]
        grants = self.services.grants.search(ListQuery(filters={"person_id": p.id}, limit=None)).rows
        born = format_date(p.birth_date) if p.birth_date else (str(p.birth_year) if p.birth_year else "")
        return {
            _("Name"): p.full_name,
            _("Full name in Arabic"): p.full_name_ar or "",
            _("CIN"): p.cin or "",
            _("Sex"): Sex(p.sex).label,
            _("Birth date"): born,
            _("Douar / commune"): self.services.locations.get(p.location_id).path if p.location_id else "",
            _("Phone"): p.phone or "",
            _("Organisations"): ", ".join(orgs),
            _("Grants"): ", ".join(f"{g.number} ({g.programme or '—'})" for g in grants),
        }

    def _pair_activated(self, _index: QModelIndex) -> None:
        self.open_merge()

    def open_merge(self) -> None:
        """The merge dialog for the selected pair (window-modal; the list follows once merged)."""
        pair = self.selected_pair()
        if pair is None or not self.services.actor.can_write:
            return
        try:
            a, b = self.services.persons.get(pair.a), self.services.persons.get(pair.b)
        except KsmError as exc:
            self.status.setText(exc.message)
            return
        self.merge_dialog = MergeDialog(self.services, a, b, self)
        self.merge_dialog.accepted.connect(self._merged)
        self.merge_dialog.open()

    def _merged(self) -> None:
        dialog = self.merge_dialog
        if dialog is not None and dialog.merged is not None:
            self.status.setText(
                _("Merged into {name} (#{id}); the merge can be undone from the audit log.").format(
                    name=dialog.merged.full_name, id=dialog.merged.id
                )
            )
        self.table.setRowCount(0)
        self.comparison.setRowCount(0)
        self.merge_button.setEnabled(False)
        self.loading = True
        find = partial(self.services.duplicates.find, self.min_score.value() / 100)
        run_in_background(find, self._show_pairs_after_merge, self._failed, owner=self)

    def _show_pairs_after_merge(self, pairs: list[DuplicatePair]) -> None:
        """The list again, the status still saying what was merged."""
        told = self.status.text()
        self._show_pairs(pairs)
        self.status.setText(told)


class MergeDialog(QDialog):
    """Which record stays, and per field where both records hold different values, which value."""

    def __init__(self, services: Services, a: PersonDTO, b: PersonDTO, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.a, self.b = a, b
        self.merged: PersonDTO | None = None
        self.setWindowTitle(_("Merge two persons"))
        self.setMinimumWidth(480)
        intro = QLabel(
            _(
                "Memberships, grants, households and activities of the other record move to the "
                "record kept. The merge is written in the audit log, from where it can be undone."
            )
        )
        intro.setWordWrap(True)
        self.keep_a = QRadioButton(_("Keep {name} (#{id})").format(name=a.full_name, id=a.id))
        self.keep_b = QRadioButton(_("Keep {name} (#{id})").format(name=b.full_name, id=b.id))
        self.keep_a.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.keep_a)
        group.addButton(self.keep_b)
        self.keep_a.toggled.connect(self._follow_kept)
        self.choices: dict[str, QComboBox] = {}
        box = QGroupBox(_("Where the two records differ, keep:"))
        form = QFormLayout(box)
        for field in differing_fields(a, b):
            combo = QComboBox()
            combo.addItem(self._shown(field, getattr(a, field)), a.id)
            combo.addItem(self._shown(field, getattr(b, field)), b.id)
            combo.setObjectName(f"choice_{field}")
            self.choices[field] = combo
            form.addRow(_(FIELD_LABELS[field]), combo)
        if not self.choices:
            form.addRow(QLabel(_("The two records do not contradict each other: empty fields are filled.")))
        self.error = error_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge_button = buttons.addButton(_("Merge"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.merge)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (intro, self.keep_a, self.keep_b, box, self.error, buttons):
            layout.addWidget(widget)

    def _shown(self, field: str, value: Any) -> str:
        if field == "sex":
            return Sex(value).label
        if field == "location_id":
            return self.services.locations.get(value).path
        if field.endswith("_date"):
            return format_date(value)
        return str(value)

    def kept(self) -> tuple[PersonDTO, PersonDTO]:
        """(kept, dropped)."""
        return (self.a, self.b) if self.keep_a.isChecked() else (self.b, self.a)

    def _follow_kept(self) -> None:
        """Choosing the record to keep proposes its values; each can still be changed."""
        keep, _drop = self.kept()
        for combo in self.choices.values():
            combo.setCurrentIndex(combo.findData(keep.id))

    def merge(self) -> None:
        keep, drop = self.kept()
        choices = {f: KEEP if c.currentData() == keep.id else DROP for f, c in self.choices.items()}
        try:
            self.merged = self.services.persons.merge(keep.id, drop.id, choices)
        except KsmError as exc:
            show_message(self.error, exc.message)
            return
        self.accept()


class DoubleDippingTab(QWidget):
    """Who received under several programmes, or more than once in one, with an Excel export."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.rows: list[DoubleDipRow] = []
        self.loading = False
        explain = QLabel(
            _(
                "Persons and households (through their head) that received grants or equipment under "
                "more than one programme, or the same equipment twice in one programme. Cancelled grants do not count."
            )
        )
        explain.setWordWrap(True)
        self.status = QLabel()
        self.export_button = QPushButton(_("Export to Excel…"))
        self.export_button.clicked.connect(self.export)
        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.export_button)
        self.table = _table(double_dip_headers())
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(top)
        layout.addWidget(self.table)

    def refresh(self) -> None:
        self.loading = True
        run_in_background(self.services.double_dipping.report, self._show, owner=self)

    def _show(self, rows: list[DoubleDipRow]) -> None:
        self.loading = False
        self.rows = rows
        _fill(
            self.table,
            [r.cells() for r in rows],
            [r.person_id for r in rows],
        )
        for row in range(len(rows)):  # amounts line up on the right, like in the lists
            cell(self.table, row, 6).setTextAlignment(
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            )
        self.status.setText(
            ngettext(
                "{n} beneficiary received more than once.",
                "{n} beneficiaries received more than once.",
                len(rows),
            ).format(n=len(rows))
        )

    def export(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Export to Excel…"), _("double-dipping") + ".xlsx", "Excel (*.xlsx)"
        )
        if not name:
            return
        try:
            count = self.services.double_dipping.export_xlsx(Path(name))
        except KsmError as exc:
            self.status.setText(exc.message)
            return
        self.status.setText(
            ngettext(
                "{n} beneficiary exported to {file}.", "{n} beneficiaries exported to {file}.", count
            ).format(n=count, file=Path(name).name)
        )
