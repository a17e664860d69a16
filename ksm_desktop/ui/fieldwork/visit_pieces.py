"""The equipment a follow-up visit finds: a piece with a serial number gets one condition (a tick
in its column) and may get a photo (its last column), an item's pieces without one are counted per
condition."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from ksm_desktop.domain.enums import PieceCondition
from ksm_desktop.i18n import _, ngettext
from ksm_desktop.services.dto_fieldwork import PieceConditionDTO, PieceDTO, PieceInput
from ksm_desktop.ui.qt_checked import cell

CONDITIONS = list(PieceCondition)
FIRST = 3  # the first condition column, after grant, equipment and serial number
PHOTO = FIRST + len(CONDITIONS)  # a serial-numbered piece's photos
_BAD = QBrush(QColor("#fde7e9"))


class PiecesTable(QTableWidget):
    """One row per serial-numbered piece, one per item for its pieces without a serial number."""

    changed = Signal()
    photo_wanted = Signal(int)  # a row whose piece is to get a photo

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, PHOTO + 1, parent)
        self.setHorizontalHeaderLabels(
            [_("Grant"), _("Equipment"), _("Serial number"), *[c.label for c in CONDITIONS], _("Photo")]
        )
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setVisible(False)
        self.setMinimumHeight(110)
        self.pieces: list[PieceDTO] = []
        self.errors: dict[int, str] = {}  # row → what is wrong with its counts
        self.recorded: dict[int, PieceConditionDTO] = {}  # row → what the saved visit says of it
        self._filling = False
        self.itemChanged.connect(self._item_changed)
        self.cellClicked.connect(self._clicked)

    def set_pieces(self, pieces: Sequence[PieceDTO], recorded: Sequence[PieceConditionDTO]) -> None:
        """The organisation's equipment, with what the visit already recorded."""
        self._filling = True
        self.pieces = list(pieces)
        self.setRowCount(0)
        by_serial = {r.serial_id: r for r in recorded if r.serial_id is not None}
        self.recorded = {}
        counts = {(r.item_id, r.condition): r.count for r in recorded if r.serial_id is None}
        for row, piece in enumerate(self.pieces):
            self.insertRow(row)
            serial = piece.serial or _("{count} without a serial number").format(count=piece.pieces)
            for col, text in enumerate((piece.grant_number, piece.designation, serial)):
                fixed = QTableWidgetItem(text)
                fixed.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.setItem(row, col, fixed)
            for n, condition in enumerate(CONDITIONS):
                item = QTableWidgetItem()
                if piece.serial_id is not None:  # one piece: a tick, one condition at most
                    item.setFlags(
                        Qt.ItemFlag.ItemIsEnabled
                        | Qt.ItemFlag.ItemIsSelectable
                        | Qt.ItemFlag.ItemIsUserCheckable
                    )
                    found = by_serial.get(piece.serial_id)
                    ticked = found is not None and found.condition == condition
                    item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
                else:
                    count = counts.get((piece.item_id, condition.value))
                    item.setText(str(count) if count else "")
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.setItem(row, FIRST + n, item)
            seen = by_serial.get(piece.serial_id) if piece.serial_id is not None else None
            self.setItem(row, PHOTO, self._photo_cell(piece, seen))
            if seen is not None:
                self.recorded[row] = seen
        self._filling = False
        self._check()

    def values(self) -> list[PieceInput]:
        """What the visit found, for the service (rows with an error are left to `errors`)."""
        found = []
        for row, piece in enumerate(self.pieces):
            for n, condition in enumerate(CONDITIONS):
                item = cell(self, row, FIRST + n)
                if piece.serial_id is not None:
                    if item.checkState() == Qt.CheckState.Checked:
                        found.append(PieceInput(piece.item_id, condition.value, piece.serial_id))
                elif (count := _count(item.text())) and count > 0:
                    found.append(PieceInput(piece.item_id, condition.value, count=count))
        return found

    def _photo_cell(self, piece: PieceDTO, seen: PieceConditionDTO | None) -> QTableWidgetItem:
        """A serial-numbered piece offers to add a photo, or says how many it has; the pieces
        counted without a serial number have none (their photos go with the visit's files)."""
        item = QTableWidgetItem()
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        if piece.serial_id is None:
            item.setFlags(Qt.ItemFlag.NoItemFlags)
        elif seen is not None and seen.photos:
            count = len(seen.photos)
            item.setText(ngettext("{count} photo", "{count} photos", count).format(count=count))
            item.setToolTip(_("Click to add another photo of this piece"))
        else:
            item.setText(_("Add a photo…"))
            item.setToolTip(_("A photo of this piece as the visit found it"))
        return item

    def _clicked(self, row: int, column: int) -> None:
        if column == PHOTO and self.pieces[row].serial_id is not None:
            self.photo_wanted.emit(row)

    def first_error(self) -> str | None:
        return self.errors[min(self.errors)] if self.errors else None

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() < FIRST:
            return
        row = item.row()
        if self.pieces[row].serial_id is not None and item.checkState() == Qt.CheckState.Checked:
            self._filling = True
            for col in range(FIRST, PHOTO):
                if col != item.column():
                    cell(self, row, col).setCheckState(Qt.CheckState.Unchecked)
            self._filling = False
        self._check()
        self.changed.emit()

    def _check(self) -> None:
        """Counts must be whole numbers, and no more than the item's pieces without a serial."""
        self.errors = {}
        for row, piece in enumerate(self.pieces):
            if piece.serial_id is not None:
                continue
            counts = [_count(cell(self, row, FIRST + n).text()) for n in range(len(CONDITIONS))]
            if any(c is None for c in counts):
                self.errors[row] = _("{item}: type a number of pieces.").format(item=piece.designation)
            elif sum(c or 0 for c in counts) > piece.pieces:
                self.errors[row] = _(
                    "“{item}” has {count} pieces without a serial number; {seen} are recorded."
                ).format(item=piece.designation, count=piece.pieces, seen=sum(c or 0 for c in counts))
            self._filling = True
            for n in range(len(CONDITIONS)):
                cell(self, row, FIRST + n).setBackground(_BAD if row in self.errors else QBrush())
            self._filling = False


def _count(text: str) -> int | None:
    """A typed number of pieces: empty is 0, anything but a whole number ≥ 0 is None."""
    text = text.strip()
    if not text:
        return 0
    return int(text) if text.isdigit() else None
