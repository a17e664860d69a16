"""Small field widgets shared by the forms: optional dates, amounts, enum choices, Arabic text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QComboBox, QDateEdit, QLineEdit, QSpinBox, QWidget

from ksm_desktop.domain.amounts import parse_amount
from ksm_desktop.domain.enums import LabelledEnum
from ksm_desktop.domain.values import to_rate
from ksm_desktop.i18n import _
from ksm_desktop.i18n.formatting import format_amount

_NO_DATE = QDate(1900, 1, 1)


class OptionalDateEdit(QDateEdit):
    """A date that may be left empty: the minimum date stands for "no date" and shows blank."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setMinimumDate(_NO_DATE)
        self.setSpecialValueText(" ")
        self.setDisplayFormat("dd/MM/yyyy")
        self.set_value(None)

    def value(self) -> dt.date | None:
        date = self.date()
        return None if date == _NO_DATE else dt.date(date.year(), date.month(), date.day())

    def set_value(self, value: dt.date | None) -> None:
        self.setDate(QDate(value.year, value.month, value.day) if value else _NO_DATE)


class ChoiceCombo(QComboBox):
    """A combo box of (label, value) pairs; `value()` is the stored value, never the label."""

    def __init__(
        self,
        choices: Iterable[tuple[str, object]],
        *,
        empty: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if empty is not None:
            self.addItem(empty, None)
        for label, value in choices:
            self.addItem(label, value)

    @classmethod
    def of_enum(cls, enum: type[LabelledEnum], *, empty: str | None = None) -> ChoiceCombo:
        return cls(((member.label, member.value) for member in enum), empty=empty)

    def value(self) -> object:
        return self.currentData()

    def set_value(self, value: object) -> None:
        index = self.findData(value)
        self.setCurrentIndex(max(index, 0))


class CountSpin(QSpinBox):
    """A number of people (0 and up)."""

    def __init__(self, maximum: int = 1_000_000, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(0, maximum)
        self.setGroupSeparatorShown(True)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class AmountEdit(QLineEdit):
    """An amount typed the locale's way ('1 234,50' in French); `value()` raises a ValidationError."""

    def __init__(self, field: str = "amount", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def value(self) -> Decimal | None:
        return parse_amount(self.text(), field=self.field) if self.text().strip() else None

    def set_value(self, value: Decimal | None, places: int = 2) -> None:
        if value is None:
            self.clear()
        elif places == 2:
            self.setText(format_amount(value))
        else:
            self.setText(str(value).replace(".", _decimal_symbol()))


def check_rate(text: str) -> None:
    """Live check of a typed EUR → MAD rate (the locale's decimal separator, above zero)."""
    to_rate(parse_amount(text, field="eur_mad_rate"), "eur_mad_rate")


def _decimal_symbol() -> str:
    return format_amount(Decimal("0.5"))[1]


def arabic_line_edit(parent: QWidget | None = None) -> QLineEdit:
    """A line edit for Arabic text: typed right to left whatever the interface language."""
    edit = QLineEdit(parent)
    edit.setLayoutDirection(Qt.LayoutDirection.RightToLeft)  # so the text starts at the right
    edit.setPlaceholderText(_("In Arabic"))
    return edit
