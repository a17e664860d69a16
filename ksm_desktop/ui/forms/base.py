"""What every form shares: errors under their field, Save enabled only when valid, the
unsaved-changes prompt on close, the focus in the first field, Enter and Ctrl+S to save, Esc."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from ksm_desktop.domain.errors import KsmError, StaleRecordError, ValidationError
from ksm_desktop.i18n import _
from ksm_desktop.services import Services
from ksm_desktop.ui.forms.fields import OptionalDateEdit
from ksm_desktop.ui.workers import saving_off_gui

W = TypeVar("W", bound=QWidget)  # add_row hands back the widget it was given, with its own type

ERROR_STYLE = "color: #b3261e;"
HINT_STYLE = "color: #5f6368;"
# A field that cannot change (a delivered grant's, a read-only account's) looks it: grey, no frame.
READ_ONLY_STYLE = (
    'QLineEdit:read-only, QPlainTextEdit[readOnly="true"] '
    "{ background: #eceff1; color: #37474f; border: 1px solid #d5dadd; }"
)


def error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setVisible(False)
    return label


def show_message(label: QLabel, text: str | None, *, error: bool = True) -> None:
    label.setText(text or "")
    label.setStyleSheet(ERROR_STYLE if error else HINT_STYLE)
    label.setVisible(bool(text))


class FormDialog(QDialog):
    """A modal form over one entity. Subclasses build fields with `add_row`, implement
    `do_save` (call the service, return the saved id) and may override `problems`."""

    def __init__(self, services: Services, entity_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.entity_id = entity_id
        self.version: int | None = None  # of the record as loaded: a save checks nobody saved since
        self.saved = False
        self.dirty = False
        self._loading = False
        self._errors: dict[str, QLabel] = {}
        self._widgets: dict[str, QWidget] = {}
        self._required: dict[str, Callable[[], bool]] = {}
        self._live_errors: set[str] = set()
        self._date_errors: set[str] = set()
        self.setModal(True)
        self.setMinimumWidth(560)
        self.setStyleSheet(READ_ONLY_STYLE)

        self.body = QVBoxLayout(self)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)
        self.banner.setStyleSheet("background: #fff4e5; color: #663c00; padding: 6px; border-radius: 3px;")
        self.body.addWidget(self.banner)
        self.content = QVBoxLayout()
        self.body.addLayout(self.content, 1)
        self.general_error = error_label()
        self.body.addWidget(self.general_error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(_("Save"))
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        self.save_button.setToolTip(_("Save (Enter or Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        self._focused_once = False
        self.buttons.rejected.connect(self.close)
        self.body.addWidget(self.buttons)
        # Enter anywhere in the form saves (once the box is in the dialog, so Qt records it as
        # the dialog's default); Close is never the default: Enter would close the form.
        self.save_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setAutoDefault(False)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self).activated.connect(self._shortcut_save)

    # --- building ---------------------------------------------------------------------------

    def add_row(
        self,
        form: QFormLayout,
        label: str,
        widget: W,
        field: str | None = None,
        *,
        required: bool = False,
    ) -> W:
        """Add `widget` with an error label under it; `field` is the service's field name."""
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(widget)
        if field:
            label_widget = error_label()
            box.addWidget(label_widget)
            self._errors[field] = label_widget
            self._widgets[field] = widget
            if required:
                self._required[field] = lambda: _has_value(widget)
        form.addRow(label + (" *" if required else ""), holder)
        self.watch(widget)
        return widget

    def watch(self, *widgets: QWidget) -> None:
        """Changes in these widgets mark the form modified and re-check it."""
        for widget in widgets:
            signal = _change_signal(widget)
            if signal is not None:
                signal.connect(self._changed)
            if isinstance(widget, OptionalDateEdit):
                widget.finished.connect(self.refresh)

    def _changed(self, *_args: object) -> None:
        if self._loading:
            return
        self.dirty = True
        self.refresh()

    # --- validity ---------------------------------------------------------------------------

    def set_live_error(self, field: str, message: str | None, *, hint: str | None = None) -> None:
        """Show a live validator's result under `field`: an error blocks Save, a hint does not."""
        label = self._errors.get(field)
        if message:
            self._live_errors.add(field)
        else:
            self._live_errors.discard(field)
        if label is not None:
            show_message(label, message or hint, error=bool(message))

    def live(self, field: str, edit: QLineEdit, check: Callable[[str], str | None]) -> None:
        """Run `check` on every keystroke: a ValidationError shows under the field and blocks
        Save; a returned text is shown as a hint (e.g. the normalised value)."""

        def run(text: str) -> None:
            try:
                hint = check(text) if text.strip() else None
            except ValidationError as exc:
                self.set_live_error(field, exc.message)
            else:
                self.set_live_error(field, None, hint=hint)
            self.refresh()

        edit.textChanged.connect(run)

    def problems(self) -> list[str]:
        """Fields that stop saving now: empty required ones, live errors, dates that are not dates."""
        missing = [f for f, filled in self._required.items() if not filled()]
        dates = [self._field_of(w) or "date" for w in self.findChildren(OptionalDateEdit) if w.problem()]
        return missing + sorted(self._live_errors) + dates

    def refresh(self) -> None:
        self._show_date_problems()
        self.save_button.setEnabled(not self.problems() and not self.read_only())

    def _field_of(self, widget: QWidget) -> str | None:
        """The field whose row holds `widget` (a date beside another one shares its row)."""
        for field, holder in self._widgets.items():
            if holder is widget or holder.isAncestorOf(widget):
                return field
        return None

    def _show_date_problems(self) -> None:
        """'31/02/2021 does not exist…' under the date's row (or above the buttons)."""
        shown: dict[str | None, str | None] = {}
        for widget in self.findChildren(OptionalDateEdit):
            field = self._field_of(widget)
            shown[field] = shown.get(field) or widget.shown_problem()
        for field, message in shown.items():
            if field is None:
                if message or self.general_error.property("date"):
                    show_message(self.general_error, message)
                    self.general_error.setProperty("date", bool(message))
            elif message or field in self._date_errors:
                self.set_live_error(field, message)
                self._date_errors.discard(field)
                if message:
                    self._date_errors.add(field)

    def read_only(self) -> bool:
        """True when nothing can be saved: a read-only account (subclasses add their own cases)."""
        return not self.services.actor.can_write

    # --- saving -----------------------------------------------------------------------------

    def show_error(self, exc: KsmError) -> None:
        """Put a service error under the field it names, else above the buttons."""
        label = self.error_label_for(exc.field)
        if label is None:
            show_message(self.general_error, exc.message)
            return
        show_message(label, exc.message)
        widget = self._widgets.get(exc.field or "")
        if widget is not None:
            widget.setFocus()

    def error_label_for(self, field: str | None) -> QLabel | None:
        return self._errors.get(field or "")

    def clear_errors(self) -> None:
        for field, label in self._errors.items():
            if field not in self._live_errors:
                show_message(label, None)
        show_message(self.general_error, None)

    def do_save(self) -> int:
        raise NotImplementedError

    def save(self) -> bool:
        for date in self.findChildren(OptionalDateEdit):
            date.finish_typing()  # a date still being typed is checked now
        if not self.save_button.isEnabled():
            return False
        self.clear_errors()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            with saving_off_gui(self.services.db):
                self.entity_id = self.do_save()
        except StaleRecordError as exc:
            self.offer_reload(exc)
            return False
        except KsmError as exc:
            self.show_error(exc)
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self.saved = True
        self.dirty = False
        self.after_save()
        self.refresh()
        return True

    def offer_reload(self, exc: StaleRecordError) -> None:
        """Someone saved this record after it was opened here: say who and when, and offer to
        show their version (this form's changes are then dropped); otherwise the message stays."""
        show_message(self.general_error, exc.message)
        answer = QMessageBox.question(
            self,
            _("Changed by someone else"),
            exc.message
            + "\n\n"
            + _("Reload the record to see the changes? What you typed here will be lost."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.load()
            self.dirty = False
            self.clear_errors()
            self.refresh()

    def load(self) -> None:
        """Fill the form from the stored record (subclasses)."""

    def after_save(self) -> None:
        """Reload what the service returned (codes, numbers, computed figures)."""

    def _shortcut_save(self) -> None:
        self.save()

    # --- closing ----------------------------------------------------------------------------

    def confirm_close(self) -> bool:
        """Save / Discard / Cancel when the form was modified; True when it may close."""
        if not self.dirty or self.read_only():
            return True
        answer = QMessageBox.question(
            self,
            _("Unsaved changes"),
            _("This form has changes that are not saved. Save them?"),
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def reject(self) -> None:  # Esc and the Close button
        if self.confirm_close():
            self.dirty = False
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # the window's close box
        if self.confirm_close():
            self.dirty = False
            event.accept()
            super().reject()
        else:
            event.ignore()

    def set_read_only(self, why: str, *, every_button: bool = False) -> None:
        """Disable every input and say why in the banner; `every_button` also disables the
        form's action buttons except Close and those marked `reading` (Print)."""
        self.banner.setText(why)
        self.banner.setVisible(True)
        closing = set(self.buttons.buttons())
        for widget in self.findChildren(QWidget):
            if isinstance(widget, (QLineEdit, QPlainTextEdit)):
                widget.setReadOnly(True)
            elif isinstance(widget, (QComboBox, QDateEdit, QSpinBox, QCheckBox)) or (
                isinstance(widget, QAbstractButton)
                and (widget.property("editing") or (every_button and widget not in closing))
                and not widget.property("reading")
                and not isinstance(widget.parent(), QTabBar)
            ):
                widget.setEnabled(False)
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        """A read-only account sees every form read-only, without a Save button. The first
        showing puts the cursor in the first field, so typing goes where the eye starts."""
        if not self.services.actor.can_write and self.save_button.isVisibleTo(self):
            self.save_button.setVisible(False)
            self.set_read_only(_("Your account can view and print, but not change data."), every_button=True)
        super().showEvent(event)
        if not self._focused_once:
            self._focused_once = True
            first = self.first_field()
            if first is not None:
                first.setFocus(Qt.FocusReason.TabFocusReason)

    def first_field(self) -> QWidget | None:
        """The first field, in layout order, that can take the keyboard now."""
        for widget in self._widgets.values():
            for candidate in (widget, *widget.findChildren(QWidget)):
                target = candidate.focusProxy() or candidate
                if (
                    target.focusPolicy() & Qt.FocusPolicy.TabFocus
                    and target.isEnabled()
                    and target.isVisibleTo(self)
                    and not getattr(target, "isReadOnly", lambda: False)()
                ):
                    return target
        return None


def _has_value(widget: QWidget) -> bool:
    if isinstance(widget, QLineEdit):
        return bool(widget.text().strip())
    if isinstance(widget, QComboBox):
        return widget.currentData() is not None
    value = getattr(widget, "value", None)
    return value() is not None if callable(value) else True


def _change_signal(widget: QWidget) -> SignalInstance | None:
    if isinstance(widget, QLineEdit):
        return widget.textChanged
    if isinstance(widget, QPlainTextEdit):
        return widget.textChanged
    if isinstance(widget, QComboBox):
        return widget.currentIndexChanged
    if isinstance(widget, QDateEdit):
        return widget.dateChanged
    if isinstance(widget, QSpinBox):
        return widget.valueChanged
    if isinstance(widget, QCheckBox):
        return widget.toggled
    changed = getattr(widget, "changed", None)
    return changed if isinstance(changed, SignalInstance) else None


__all__ = ["FormDialog", "error_label", "show_message"]
