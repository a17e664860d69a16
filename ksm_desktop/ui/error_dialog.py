"""The error dialogs: a plain message for a KsmError (the user's own mistake), else a short
message, a copyable technical report and the log file's path. Shown by `ui.errors`."""

from __future__ import annotations

import platform
import traceback
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ksm_desktop import APP_NAME, version
from ksm_desktop.domain.errors import KsmError
from ksm_desktop.i18n import _
from ksm_desktop.logs import log_file


def technical_report(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> str:
    """What a support person needs: versions, platform and the traceback."""
    lines = [
        f"{APP_NAME} {version()}",
        f"Python {platform.python_version()} on {platform.platform()}",
        "",
        *traceback.format_exception(exc_type, exc, tb),
    ]
    return "\n".join(line.rstrip("\n") for line in lines)


class ErrorDialog(QDialog):
    """An unexpected error: what happened in one sentence, then the report to copy and send."""

    def __init__(self, report: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Unexpected error"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        message = QLabel(
            _(
                "Something went wrong and the last action may not have been completed. "
                "Your data already saved is safe. If this happens again, copy the report "
                "below and send it to your support contact."
            )
        )
        message.setWordWrap(True)
        layout.addWidget(message)
        self.report = QPlainTextEdit(report)
        self.report.setReadOnly(True)
        self.report.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        layout.addWidget(self.report, 1)
        self.log_label = QLabel(_("Log file: {path}").format(path=log_file()))
        self.log_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.log_label.setWordWrap(True)
        layout.addWidget(self.log_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(_("&Copy report"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_report)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)

    def copy_report(self) -> None:
        QApplication.clipboard().setText(self.report.toPlainText())


def error_dialog(
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
    parent: QWidget | None = None,
) -> QDialog:
    """The dialog for one exception: a plain message box for a KsmError, the report otherwise."""
    if isinstance(exc, KsmError):
        box = QMessageBox(
            QMessageBox.Icon.Warning, APP_NAME, exc.message, QMessageBox.StandardButton.Ok, parent
        )
        return box
    return ErrorDialog(technical_report(exc_type, exc, tb), parent)
