"""The grant's line items: an editable table whose totals are computed as the user types,
with the service's own arithmetic so the screen and the printed sheet agree to the cent, and the
serial numbers of each line's pieces (typed in the cell, or pasted as a list in a dialog)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ksm_desktop.domain.errors import ValidationError
from ksm_desktop.domain.typed import parse_amount
from ksm_desktop.domain.values import CENT, normalize_serials, split_serials
from ksm_desktop.i18n import N_, _
from ksm_desktop.i18n.formatting import format_amount, format_decimal
from ksm_desktop.services.dto import GrantItemDTO, GrantItemInput
from ksm_desktop.services.money import line_total
from ksm_desktop.ui.qt_checked import cell

QUANTITY_STEP = Decimal("0.001")
COLUMNS = (
    ("designation", N_("Designation")),
    ("quantity", N_("Quantity")),
    ("unit", N_("Unit")),
    ("unit_price", N_("Unit price")),
    ("supplier", N_("Supplier")),
    ("invoice_ref", N_("Invoice ref.")),
    ("total", N_("Line total")),
    ("serials", N_("Serial numbers")),
)
FIELDS = [name for name, _label in COLUMNS]
TOTAL_COL = FIELDS.index("total")
SERIALS_COL = FIELDS.index("serials")
_BAD = QBrush(QColor("#fde7e9"))


class ItemsTable(QWidget):
    """Rows of (designation, quantity, unit, unit price, supplier, invoice, total, serial numbers);
    without `serials` (one grant for many households) the serial numbers column is hidden."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, serials: bool = True) -> None:
        super().__init__(parent)
        self.with_serials = serials
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels([_(label) for _name, label in COLUMNS])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, len(COLUMNS)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setColumnHidden(SERIALS_COL, not serials)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.itemChanged.connect(self._cell_changed)
        box.addWidget(self.table)
        buttons = QHBoxLayout()
        self.buttons: list[QPushButton] = []
        for text, slot in (
            (_("Add a line"), self.add_row),
            (_("Remove"), self.remove_row),
            (_("Move up"), lambda: self.move_row(-1)),
            (_("Move down"), lambda: self.move_row(1)),
            *([(_("Serial numbers…"), self.edit_serials)] if serials else []),
        ):
            button = QPushButton(text)
            button.setProperty("editing", True)
            button.clicked.connect(slot)
            buttons.addWidget(button)
            self.buttons.append(button)
        buttons.addStretch(1)
        box.addLayout(buttons)
        self._updating = False
        self.errors: dict[tuple[int, int], str] = {}

    # --- rows -------------------------------------------------------------------------------

    def set_items(self, items: tuple[GrantItemDTO, ...] | list[GrantItemDTO]) -> None:
        self._updating = True
        self.table.setRowCount(0)
        for item in items:
            self._append(
                [
                    item.designation,
                    format_decimal(item.quantity),
                    item.unit or "",
                    format_amount(item.unit_price),
                    item.supplier or "",
                    item.invoice_ref or "",
                ],
                ", ".join(item.serials),
            )
        self._updating = False
        self.recompute()

    def _append(self, texts: list[str], serials: str = "") -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for col, text in enumerate([*texts, "", serials]):
            cell = QTableWidgetItem(text)
            if col in (1, 3, TOTAL_COL):
                cell.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if col == TOTAL_COL:
                cell.setFlags(cell.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, col, cell)
        return row

    def add_row(self) -> None:
        self._updating = True
        row = self._append(["", "1", "", "", "", ""])
        self._updating = False
        self.recompute()
        self.table.setCurrentCell(row, 0)
        self.table.editItem(cell(self.table, row, 0))
        self.changed.emit()

    def remove_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)
            self.recompute()
            self.changed.emit()

    def move_row(self, step: int) -> None:
        row, col = self.table.currentRow(), max(self.table.currentColumn(), 0)
        other = row + step
        if row < 0 or not 0 <= other < self.table.rowCount():
            return
        self._updating = True
        for c in range(len(COLUMNS)):
            a, b = self.table.takeItem(row, c), self.table.takeItem(other, c)
            self.table.setItem(row, c, b)
            self.table.setItem(other, c, a)
        self._updating = False
        self.table.setCurrentCell(other, col)
        self.recompute()
        self.changed.emit()

    def edit_serials(self) -> None:
        """The current line's serial numbers one per line, in a box a copied column pastes into."""
        row = self.table.currentRow()
        if row < 0:
            return
        text, ok = QInputDialog.getMultiLineText(
            self,
            _("Serial numbers"),
            _("Line {n}: {designation}\nOne serial number or inventory tag per piece, one per line.").format(
                n=row + 1, designation=self._text(row, 0)
            ),
            "\n".join(split_serials(self._text(row, SERIALS_COL))),
        )
        if ok:
            cell(self.table, row, SERIALS_COL).setText(", ".join(split_serials(text)))

    def set_editable(self, editable: bool) -> None:
        triggers = (
            QTableWidget.EditTrigger.DoubleClicked
            | QTableWidget.EditTrigger.EditKeyPressed
            | QTableWidget.EditTrigger.AnyKeyPressed
        )
        self.table.setEditTriggers(triggers if editable else QTableWidget.EditTrigger.NoEditTriggers)
        for button in self.buttons:
            button.setEnabled(editable)

    # --- values -----------------------------------------------------------------------------

    def _text(self, row: int, col: int) -> str:
        item = self.table.item(row, col)
        return item.text() if item else ""

    def _parse(self, row: int) -> tuple[Decimal | None, Decimal | None]:
        """Quantity and unit price of `row`, rounded like the service; records errors by cell."""
        quantity = price = None
        field = f"items.{row}."
        try:
            quantity = parse_amount(self._text(row, 1), field=field + "quantity").quantize(
                QUANTITY_STEP, rounding=ROUND_HALF_UP
            )
            if quantity <= 0:
                raise ValidationError(_("The quantity must be greater than zero."), field + "quantity")
        except ValidationError as exc:
            self.errors[(row, 1)] = exc.message
            quantity = None
        try:
            price = parse_amount(self._text(row, 3), field=field + "unit_price").quantize(
                CENT, rounding=ROUND_HALF_UP
            )
            if price < 0:
                raise ValidationError(_("The unit price cannot be negative."), field + "unit_price")
        except ValidationError as exc:
            self.errors[(row, 3)] = exc.message
            price = None
        if not self._text(row, 0).strip():
            self.errors[(row, 0)] = _("Designation is required.")
        if quantity is not None:
            try:
                normalize_serials(self._serials(row), int(quantity), field + "serials")
            except ValidationError as exc:
                self.errors[(row, SERIALS_COL)] = exc.message
        return quantity, price

    def _serials(self, row: int) -> list[str]:
        return split_serials(self._text(row, SERIALS_COL)) if self.with_serials else []

    def recompute(self) -> Decimal:
        """Refresh line totals and error colours; returns the grant total (valid lines only)."""
        self._updating = True
        self.errors = {}
        total = Decimal("0.00")
        for row in range(self.table.rowCount()):
            quantity, price = self._parse(row)
            line = line_total(quantity, price) if quantity is not None and price is not None else None
            cell(self.table, row, TOTAL_COL).setText(format_amount(line) if line is not None else "—")
            total += line or 0
            for col in (0, 1, 3, SERIALS_COL):
                item = cell(self.table, row, col)
                message = self.errors.get((row, col))
                item.setBackground(_BAD if message else QBrush())
                item.setToolTip(message or "")
        self._updating = False
        return total

    def first_error(self) -> str | None:
        if not self.errors:
            return None
        (row, _col), message = min(self.errors.items())
        return _("Line {n}: {message}").format(n=row + 1, message=message)

    def items(self) -> list[GrantItemInput]:
        result = []
        for row in range(self.table.rowCount()):
            quantity, price = self._parse(row)
            result.append(
                GrantItemInput(
                    designation=self._text(row, 0),
                    quantity=quantity if quantity is not None else Decimal(0),
                    unit_price=price if price is not None else Decimal(0),
                    unit=self._text(row, 2),
                    supplier=self._text(row, 4),
                    invoice_ref=self._text(row, 5),
                    serials=self._serials(row),
                )
            )
        return result

    def mark(self, field: str) -> None:
        """Select the cell a service error names ('items.2.quantity')."""
        parts = field.split(".")
        if len(parts) == 3 and parts[1].isdigit() and parts[2] in FIELDS:
            row, col = int(parts[1]), FIELDS.index(parts[2])
            if row < self.table.rowCount():
                self.table.setCurrentCell(row, col)
                cell(self.table, row, col).setBackground(_BAD)

    def _cell_changed(self, item: QTableWidgetItem) -> None:
        if self._updating or item.column() == TOTAL_COL:
            return
        self.recompute()
        self.changed.emit()
