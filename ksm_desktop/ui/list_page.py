"""One list page (organisations, members, programmes, grants): search as you type, filter
combos, a row count, a table fetched page by page, and hooks to open, create and export."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ksm_desktop.i18n import N_, _, ngettext
from ksm_desktop.i18n.formatting import format_date, format_decimal, format_list
from ksm_desktop.services import ListQuery, Services
from ksm_desktop.ui.icons import ui_icon
from ksm_desktop.ui.list_specs import FilterSpec, ListSpec, Options
from ksm_desktop.ui.table_model import RowTableModel
from ksm_desktop.ui.workers import run_in_background

log = logging.getLogger(__name__)
SEARCH_DELAY_MS = 150  # typing pause before the list is asked again
SHORT_COLUMN_MAX = 190  # px: a code, a type, a sector is elided past this (whole in its tooltip)
WIDE_COLUMN_MIN = 160  # px a name keeps however narrow the window
CELL_PADDING = 12
HEADER_PADDING = 14  # px around a header's title (the sort arrow overlaps it on the sorted column only)
EXTRA_FILTER_LABELS = {
    "year": N_("year"),
    "sector": N_("sector"),
    "organisation_id": N_("organisation"),
    "person_id": N_("member"),
}


COMBO_PADDING = 48  # px around a filter combo's text: frame, margins, arrow
CHIP_MAX_WIDTH = 640  # px of text; the whole filter is in the tooltip


def describe_filter(key: str, value: object) -> str:
    """How a filter without a combo reads on the removable chip: "year 2021", "from 1 Jan 2026"."""
    if key == "live":
        return _("not cancelled")
    if key in ("date_from", "date_to") and isinstance(value, dt.date):
        text = _("from {date}") if key == "date_from" else _("until {date}")
        return text.format(date=format_date(value))
    return f"{_(EXTRA_FILTER_LABELS.get(key, key))} {value}"


def share_room(room: int, natural: list[int], floor: int) -> dict[int, int]:
    """Widths of the wide columns sharing `room` px: each gets up to `floor` first, then the
    rest goes in proportion to what each still lacks, and any room left over in proportion to
    their content (names, never the last column)."""
    floors = [min(width, floor) for width in natural]
    extra = max(room - sum(floors), 0)
    lacking = [width - least for width, least in zip(natural, floors, strict=True)]
    if extra <= sum(lacking):
        total = sum(lacking) or 1
        return {n: floors[n] + extra * lacking[n] // total for n in range(len(natural))}
    left = extra - sum(lacking)
    total = sum(natural) or 1
    return {n: natural[n] + left * natural[n] // total for n in range(len(natural))}


class ListTable(QTableView):
    """A table that opens the current row on Enter as well as on double-click."""

    open_requested = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit(self.currentIndex().row())
            return
        super().keyPressEvent(event)


class ListPage(QWidget):
    """A page of the main window built from a `ListSpec`; `saved` fires after a form saved."""

    saved = Signal()

    selection_changed = Signal()  # what Ctrl+P would print changed

    def __init__(self, spec: ListSpec, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.services = services
        self.setObjectName(f"{spec.name}Page")
        self.model = RowTableModel(spec.search(services), spec.columns(), parent=self)
        self.model.loaded.connect(self._update_count)
        self.model.rowsInserted.connect(lambda *_args: self._update_count(self.model.total))

        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(spec.search_hint())
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(180)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_search)
        self.search_edit.textChanged.connect(lambda _text: self._search_timer.start())

        bar = self.tool_bar = QHBoxLayout()  # search, filters, count: pages may add buttons
        bar.setSpacing(8)
        bar.addWidget(self.search_edit, 2)
        self.filter_combos: dict[str, QComboBox] = {}
        self._filters = spec.filters()
        self._options_requested = False  # the combos' choices are read when the page is first shown
        for filt in self._filters:
            combo = QComboBox()
            combo.setObjectName(f"filter_{filt.key}")
            everything = _("{label}: all").format(label=filt.label)
            # As wide as "Province: all", not as the longest province: the search box keeps its
            # room; a longer choice is elided in the closed combo and whole in its list.
            combo.setMaximumWidth(combo.fontMetrics().horizontalAdvance(everything) + COMBO_PADDING)
            combo.setMinimumWidth(100)  # on a narrow screen the combos shrink, not the window
            combo.setToolTip(filt.label)
            combo.addItem(everything, None)
            combo.currentIndexChanged.connect(lambda _i: self._apply_filters())
            self.filter_combos[filt.key] = combo
            bar.addWidget(combo)
        self._extra_filters: dict[str, object] = {}  # keys with no combo, e.g. the dashboard's "year"
        self._pending_filters: dict[str, object] = {}  # combo values waiting for the combo's choices
        self.extra_chip = QToolButton()
        self.extra_chip.setObjectName("extraFilterChip")
        self.extra_chip.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.extra_chip.setIcon(ui_icon("x"))  # a click clears the scope it names
        self.extra_chip.setMinimumWidth(120)
        self.extra_chip.clicked.connect(self.clear_extra_filters)
        self.extra_chip.hide()
        chip_row = QHBoxLayout()  # under the combos: a long scope never widens the window
        chip_row.addWidget(self.extra_chip)
        chip_row.addStretch(1)
        bar.addStretch(1)
        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        bar.addWidget(self.count_label)

        self.table = ListTable()
        self.table.setObjectName(f"{spec.name}Table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(
            QAbstractItemView.SelectionMode.ExtendedSelection
            if spec.multi_select
            else QAbstractItemView.SelectionMode.SingleSelection
        )
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)  # the room goes to the names, not to "Status"
        header.setMinimumSectionSize(self.fontMetrics().horizontalAdvance("0000"))
        header.setHighlightSections(False)
        header.setSectionsMovable(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
        header.setSortIndicator(spec.sort_column, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        self.table.open_requested.connect(self.open_row)
        self.model.modelReset.connect(self._select_first_if_focused)
        self.model.modelReset.connect(self._size_columns_once)
        self._columns_sized = False
        self._fitting = False
        self._user_widths = False  # restored from the settings or dragged: never refitted
        header.sectionResized.connect(self._user_resized)
        header.sectionMoved.connect(self._user_resized)
        self.table.viewport().installEventFilter(self)
        self.table.selectionModel().selectionChanged.connect(lambda *_args: self.selection_changed.emit())
        self.model.modelReset.connect(self.selection_changed.emit)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addLayout(bar)
        layout.addLayout(chip_row)
        layout.addWidget(self.table, 1)

        clear = QAction(self)
        clear.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        clear.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        clear.triggered.connect(self.search_edit.clear)
        self.addAction(clear)

        self.setTabOrder(self.search_edit, next(iter(self.filter_combos.values()), self.table))
        combos = list(self.filter_combos.values())
        for before, after in zip(combos, [*combos[1:], self.table], strict=True):
            self.setTabOrder(before, after)

    # --- data ---------------------------------------------------------------------------------

    def start(self) -> None:
        """First load, when the page is first shown (pages never shown cost nothing)."""
        if not self.model.active:
            self.model.refresh()
        if not self._options_requested:
            self._options_requested = True
            for filt in self._filters:
                self._load_options(filt, self.filter_combos[filt.key])

    def refresh(self) -> None:
        self.model.refresh()

    def _apply_search(self) -> None:
        self.model.set_query(text=self.search_edit.text().strip())

    def _apply_filters(self) -> None:
        self.model.set_query(filters=self._current_filters())

    def _current_filters(self) -> dict[str, object]:
        filters = {k: c.currentData() for k, c in self.filter_combos.items() if c.currentData() is not None}
        return self._pending_filters | filters | self._extra_filters

    def apply_filters(self, filters: dict[str, object]) -> None:
        """Show exactly these filters (from a dashboard click): combos are set, the search is
        cleared, keys without a combo stay in the query behind a removable chip."""
        self._pending_filters = {}
        self._extra_filters = {k: v for k, v in filters.items() if k not in self.filter_combos}
        for key, combo in self.filter_combos.items():
            combo.blockSignals(True)
            index = combo.findData(filters[key]) if key in filters else 0
            if index < 0:  # the choices are not loaded yet: selected when they arrive
                self._pending_filters[key] = filters[key]
                index = 0
            combo.setCurrentIndex(index)
            combo.blockSignals(False)
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
        self._search_timer.stop()
        self._show_extra_chip()
        self.model.set_query(text="", filters=self._current_filters())
        self.start()

    def clear_extra_filters(self) -> None:
        self._extra_filters = {}
        self._show_extra_chip()
        self._apply_filters()

    def _show_extra_chip(self) -> None:
        what = format_list([describe_filter(k, v) for k, v in self._extra_filters.items()])
        text = _("Filtered: {what}").format(what=what)
        metrics = self.extra_chip.fontMetrics()
        self.extra_chip.setText(metrics.elidedText(text, Qt.TextElideMode.ElideRight, CHIP_MAX_WIDTH))
        remove = _("Remove this filter")
        self.extra_chip.setToolTip(f"{text}\n{remove}")
        self.extra_chip.setVisible(bool(self._extra_filters))

    def _load_options(self, filt: FilterSpec, combo: QComboBox) -> None:
        def fill(options: Options) -> None:
            combo.blockSignals(True)
            for text, value in options:
                combo.addItem(text, value)
            combo.view().setMinimumWidth(combo.view().sizeHintForColumn(0) + 24)
            if filt.key in self._pending_filters:
                combo.setCurrentIndex(max(0, combo.findData(self._pending_filters.pop(filt.key))))
            combo.blockSignals(False)

        services = self.services
        run_in_background(lambda: filt.options(services), fill)

    def _update_count(self, total: int) -> None:
        counted = self.spec.count_text(total)
        self.count_label.setText(_("More than {count}").format(count=counted) if self.model.more else counted)

    def _select_first_if_focused(self) -> None:
        if self.table.hasFocus() and self.model.rowCount():
            self.table.selectRow(0)

    def _size_columns_once(self) -> None:
        """Fit the columns to the first rows shown, unless the user's own widths were restored."""
        if self._columns_sized or not self.model.rowCount():
            return
        self._columns_sized = True
        self.fit_columns()

    def fit_columns(self) -> None:
        """Short columns as wide as their content (capped); names and purposes share the rest
        of the table's width, in proportion to their content, so nothing scrolls sideways
        when it can be avoided."""
        header = self.table.horizontalHeader()
        wide = [n for n, column in enumerate(self.model.columns) if column.wide]
        self._fitting = True
        try:
            metrics = header.fontMetrics()
            natural = [
                max(
                    self.table.sizeHintForColumn(n),
                    metrics.horizontalAdvance(str(self.model.headerData(n, Qt.Orientation.Horizontal)))
                    + HEADER_PADDING,
                )
                + CELL_PADDING
                for n in range(header.count())
            ]
            short = {n: min(width, SHORT_COLUMN_MAX) for n, width in enumerate(natural) if n not in wide}
            for n, width in short.items():
                header.resizeSection(n, width)
            room = self.table.viewport().width() - sum(header.sectionSize(n) for n in short)
            for n, width in share_room(room, [natural[n] for n in wide], WIDE_COLUMN_MIN).items():
                header.resizeSection(wide[n], width)
        finally:
            self._fitting = False

    def _user_resized(self, *_args: object) -> None:
        """A width the user dragged is theirs: the page stops fitting the columns itself."""
        if not self._fitting and self._columns_sized:
            self._user_widths = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """A wider or narrower table (window resized, scroll bar shown) gives or takes the room
        from the names."""
        if (
            event.type() == QEvent.Type.Resize
            and hasattr(self, "table")  # see OptionalDateEdit.eventFilter
            and watched is self.table.viewport()
            and self._columns_sized
            and not self._user_widths
        ):
            self.fit_columns()
        return super().eventFilter(watched, event)

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.row_id(index.row()) if index.isValid() else None

    def selected_rows(self) -> list[object]:
        """The selected rows' DTOs, top to bottom."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [self.model.rows[row] for row in rows if 0 <= row < len(self.model.rows)]

    # --- actions ------------------------------------------------------------------------------

    def can_print(self) -> bool:
        return self.spec.printer is not None and bool(self.selected_rows())

    def print_selected(self) -> object:
        """Ctrl+P: the documents of the selected rows (grant sheets, signature list…)."""
        rows = self.selected_rows()
        if self.spec.printer is None or not rows:
            return None
        return self.spec.printer(self, self.services, rows)

    def open_row(self, row: int) -> None:
        entity_id = self.model.row_id(row)
        if entity_id is not None:
            self._edit(entity_id)

    def create_new(self) -> None:
        self._edit(None)

    def _edit(self, entity_id: int | None) -> None:
        from ksm_desktop.ui.forms import open_editor

        if open_editor(self.spec.editor_kind, self.services, entity_id, self):
            self.refresh()
            self.saved.emit()

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def export(self) -> None:
        """Ask for a file, then write every row of the current filter and sort to it."""
        path_text, _filter = QFileDialog.getSaveFileName(
            self,
            _("Export the list"),
            self.export_file_name(),
            _("Excel workbook (*.xlsx);;CSV file (*.csv)"),
        )
        if not path_text:
            return
        path = Path(path_text)
        if path.suffix.lower() not in {".xlsx", ".csv"}:
            path = path.with_suffix(".csv" if "csv" in _filter.lower() else ".xlsx")
        self.export_to(path)

    def export_file_name(self) -> str:
        """'dotations-2026-11-29.xlsx' in French: the list's name in the user's language and today."""
        name = self.spec.export_name() or self.spec.export_kind
        return f"{name}-{dt.date.today().isoformat()}.xlsx"

    def export_to(self, path: Path) -> None:
        from ksm_desktop.exchange.export import export_list

        services, kind, query = self.services, self.spec.export_kind, self.model.export_query()

        def done(count: int) -> None:
            QMessageBox.information(
                self,
                _("Export"),
                ngettext("{count} row written to {path}", "{count} rows written to {path}", count).format(
                    count=format_decimal(count), path=path
                ),
            )

        run_in_background(lambda: export_list(services, kind, query, path), done)

    def current_query(self) -> ListQuery:
        return self.model.query

    # --- remembered layout --------------------------------------------------------------------

    def save_state(self, settings: QSettings) -> None:
        """Column order, sort and, once the user has set them, the widths of this list."""
        settings.setValue(f"lists/{self.spec.name}/header", self.table.horizontalHeader().saveState())
        settings.setValue(f"lists/{self.spec.name}/own_widths", self._user_widths)

    def restore_state(self, settings: QSettings) -> None:
        state = settings.value(f"lists/{self.spec.name}/header")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self._fitting = True
            self.table.horizontalHeader().restoreState(state)
            self._fitting = False
            own = settings.value(f"lists/{self.spec.name}/own_widths", False, type=bool)
            self._user_widths = self._columns_sized = bool(own)  # else fitted to this window
            header = self.table.horizontalHeader()
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
