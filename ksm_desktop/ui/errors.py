"""No traceback ever reaches the user: every uncaught exception goes to `show_exception`, which
logs it and shows the dialog of `ui.error_dialog` (imported then: nothing to pay at start-up)."""

from __future__ import annotations

import logging
import sys
from types import TracebackType

from ksm_desktop.domain.errors import KsmError

log = logging.getLogger(__name__)


def show_exception(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """Log the failure and show it modally over the active window."""
    if isinstance(exc, KsmError):
        log.info("refused: %s", exc.message)
    else:
        log.error("unexpected error", exc_info=(exc_type, exc, tb))
    from PySide6.QtWidgets import QApplication

    from ksm_desktop.ui.error_dialog import error_dialog

    if QApplication.instance() is None:
        sys.__excepthook__(exc_type, exc, tb)
        return
    error_dialog(exc_type, exc, tb, QApplication.activeWindow()).exec()


def install_excepthook() -> None:
    """Route every uncaught exception on the GUI thread to `show_exception`."""

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        show_exception(exc_type, exc, tb)

    sys.excepthook = hook
