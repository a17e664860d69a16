"""Small field widgets shared by the forms: typed dates, amounts, enum choices, Arabic text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QSpinBox,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from ksm_desktop.domain.enums import LabelledEnum
from ksm_desktop.domain.errors import ValidationError
from ksm_desktop.domain.typed import date_typed_in_full, parse_amount, parse_date
from ksm_desktop.domain.values import to_rate
from ksm_desktop.i18n import _
from ksm_desktop.i18n.formatting import date_placeholder, format_amount, format_date_numeric

_INVALID_STYLE = "QLineEdit { border: 1px solid #b3261e; }"


class OptionalDateEdit(QWidget):
    """A date typed the locale's way ('15/03/2021', '15/3/21') or picked in a calendar (the
    button, F4 or Alt+Down), left empty when unknown. A date that cannot be read, or does not
    exist (31/02), is outlined in red with the reason in `problem()`; it is never dropped silently.

    Tab leaves it like any text field: the calendar button takes no keyboard focus."""

    changed = Signal()  # the text changed: the form is modified
    finished = Signal()  # the user left the field: time to say what is wrong with it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(date_placeholder())
        self.edit.setMaxLength(12)
        self.edit.setMinimumWidth(self.edit.fontMetrics().horizontalAdvance("00/00/00000") + 16)
        self.edit.setMaximumWidth(self.edit.minimumWidth() + 40)
        self.button = QToolButton()
        self.button.setArrowType(Qt.ArrowType.DownArrow)
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.setToolTip(_("Choose in a calendar (F4)"))
        self.button.setProperty("editing", True)  # disabled with the form when it is read-only
        row.addWidget(self.edit)
        row.addWidget(self.button)
        row.addStretch(1)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        self.popup = QMenu(self)
        action = QWidgetAction(self.popup)
        action.setDefaultWidget(self.calendar)
        self.popup.addAction(action)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)
        self.button.clicked.connect(self.open_calendar)
        self.edit.textChanged.connect(self._typed)
        self.edit.editingFinished.connect(self.finish_typing)
        self.edit.installEventFilter(self)
        self.setFocusProxy(self.edit)
        self._finished_typing = False

    # --- value ------------------------------------------------------------------------------

    def value(self) -> dt.date | None:
        """The date, or None when empty or unreadable (then `problem()` says why)."""
        try:
            return parse_date(self.edit.text())
        except ValidationError:
            return None

    def set_value(self, value: dt.date | None) -> None:
        self._finished_typing = False
        self.edit.setText(format_date_numeric(value))

    def problem(self) -> str | None:
        """Why the typed text is not a date, else None."""
        try:
            parse_date(self.edit.text())
        except ValidationError as exc:
            return exc.message
        return None

    def shown_problem(self) -> str | None:
        """The problem once the user has finished typing (left the field or typed a whole date):
        half a date being typed is not an error yet."""
        problem = self.problem()
        if problem and (self._finished_typing or date_typed_in_full(self.edit.text())):
            return problem
        return None

    def setReadOnly(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)
        self.button.setEnabled(not read_only)

    # --- typing and picking -----------------------------------------------------------------

    def _typed(self) -> None:
        self._outline()
        self.changed.emit()

    def _outline(self) -> None:
        problem = self.shown_problem()
        self.edit.setStyleSheet(_INVALID_STYLE if problem else "")
        self.edit.setToolTip(problem or "")

    def finish_typing(self) -> None:
        """Leaving the field writes the date out in full ('15/3/21' → '15/03/2021') or says
        what is wrong with it."""
        self._finished_typing = True
        date = self.value()
        if date is not None and self.edit.text() != format_date_numeric(date):
            self.edit.setText(format_date_numeric(date))
        self._outline()
        self.finished.emit()

    def open_calendar(self) -> None:
        """The calendar opens at the field's date, or at today when it is empty."""
        if self.edit.isReadOnly():
            return
        day = self.value() or dt.date.today()
        self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))
        self.calendar.setLayoutDirection(self.layoutDirection())
        corner = self.edit.rect().bottomRight() if self.isRightToLeft() else self.edit.rect().bottomLeft()
        where = self.edit.mapToGlobal(corner)
        if self.isRightToLeft():
            where.setX(where.x() - self.popup.sizeHint().width())
        self.popup.popup(where)
        self.calendar.setFocus()

    def _picked(self, day: QDate) -> None:
        self.popup.hide()
        self.set_value(dt.date(day.year(), day.month(), day.day()))
        self.edit.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The event type first and `getattr`: while Python tears the field down, its line edit
        # still sends events (hide, destroy) to a wrapper whose attributes are already gone.
        if (
            event.type() == QEvent.Type.KeyPress
            and watched is getattr(self, "edit", None)
            and isinstance(event, QKeyEvent)
            and (
                event.key() == Qt.Key.Key_F4
                or (event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier)
            )
        ):
            self.open_calendar()
            return True
        return super().eventFilter(watched, event)


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
