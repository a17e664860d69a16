"""A Qt table model over a service search method: pages of frozen DTO rows, fetched off the
GUI thread; sorting and filtering are asked of the service, never done in Qt."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from ksm_desktop.services import ListQuery, Page
from ksm_desktop.ui.workers import run_in_background

PAGE_SIZE = 200
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    """One visible column: its title, how a row is shown, and the service's sort key (if any)."""

    title: str
    text: Callable[[Any], str]
    sort: str | None = None
    numeric: bool = False
    wide: bool = False  # a name or purpose: it gets the room the short columns leave


class RowTableModel(QAbstractTableModel):
    """Rows of one list page; `query` is what the service is asked, `loaded` fires with the total."""

    loaded = Signal(int)

    def __init__(
        self,
        search: Callable[[ListQuery], Page[Any]],
        columns: list[Column],
        query: ListQuery | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._search = search
        self.columns = columns
        self.query = dataclasses.replace(query or ListQuery(), offset=0, limit=PAGE_SIZE)
        self.rows: list[Any] = []
        self.total = 0
        self.more = False  # more than `total` rows were found (the service stopped counting)
        self._generation = 0  # bumped by every new query: older answers are stale
        self._fetching = False
        self.loading = False
        self.active = False  # nothing is asked of the service before the first refresh

    # --- queries ------------------------------------------------------------------------------

    def set_query(self, **changes: Any) -> None:
        """Ask the service again from the first page with some query fields changed."""
        self.query = dataclasses.replace(self.query, **changes, offset=0, limit=PAGE_SIZE)
        self.refresh()

    def refresh(self) -> None:
        self.active = True
        self._generation += 1
        generation = self._generation
        query = self.query
        self.loading = True
        run_in_background(
            lambda: self._search(query), lambda page: self._replace(generation, page), self._failed
        )

    def _replace(self, generation: int, page: Page[Any]) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self.rows = list(page.rows)
        self.total, self.more = page.total, page.more
        self._fetching = False
        self.loading = False
        self.endResetModel()
        self.loaded.emit(self.total)

    def _failed(self, exc: BaseException) -> None:
        self.loading = False
        self._fetching = False
        from ksm_desktop.ui.errors import show_exception

        show_exception(type(exc), exc, exc.__traceback__)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._fetching and (len(self.rows) < self.total or self.more)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        self._fetching = True
        generation = self._generation
        query = dataclasses.replace(self.query, offset=len(self.rows))
        run_in_background(
            lambda: self._search(query),
            lambda page: self._append(generation, query, page),
            self._failed,
        )

    def _append(self, generation: int, query: ListQuery, page: Page[Any]) -> None:
        if generation != self._generation or query.offset != len(self.rows):
            return
        self._fetching = False
        if page.rows:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(page.rows) - 1)
            self.rows.extend(page.rows)
        if page.more and len(page.rows) < (query.limit or 0):  # the rows not counted ran out
            self.total, self.more = len(self.rows), False
        else:
            self.total, self.more = page.total, page.more
        if page.rows:
            self.endInsertRows()  # the count shown follows the inserted rows
        else:
            self.loaded.emit(self.total)

    def export_query(self) -> ListQuery:
        """The current filter and sort, every row."""
        return dataclasses.replace(self.query, offset=0, limit=None)

    # --- Qt model -----------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole or role == Qt.ItemDataRole.ToolTipRole:
            return column.text(self.rows[index.row()])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            horizontal = Qt.AlignmentFlag.AlignTrailing if column.numeric else Qt.AlignmentFlag.AlignLeading
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.columns[column].sort if 0 <= column < len(self.columns) else None
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if not self.active:
            self.query = dataclasses.replace(self.query, sort=key, descending=descending)
        elif key != self.query.sort or descending != self.query.descending:
            self.set_query(sort=key, descending=descending)

    def row_id(self, row: int) -> int | None:
        return self.rows[row].id if 0 <= row < len(self.rows) else None
