"""Run service calls off the GUI thread, with results delivered back on the GUI thread.

Services open their own session per call, so a job is just a callable. Like Anki's operations
helper: one entry point, `run_in_background`, used by every search and refresh.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

_pending: set[_Relay] = set()  # keeps each relay alive until its callback has run


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits, Qt queues the call to these slots."""

    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(
        self,
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None] | None,
        owner: QObject | None,
    ) -> None:
        super().__init__()
        self._on_success = on_success
        self._on_failure = on_failure
        self._owner = owner
        self.succeeded.connect(self._deliver_success)
        self.failed.connect(self._deliver_failure)

    def _owner_gone(self) -> bool:
        return self._owner is not None and not shiboken6.isValid(self._owner)

    @Slot(object)
    def _deliver_success(self, result: Any) -> None:
        _pending.discard(self)
        if not self._owner_gone():
            self._on_success(result)

    @Slot(object)
    def _deliver_failure(self, exc: BaseException) -> None:
        _pending.discard(self)
        if self._owner_gone():
            log.info("background job failed after its window closed", exc_info=exc)
        elif self._on_failure is not None:
            self._on_failure(exc)
        else:
            from ksm_desktop.ui.errors import show_exception

            show_exception(type(exc), exc, exc.__traceback__)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:
            if not isinstance(exc, Exception):
                log.error("background job interrupted", exc_info=sys.exc_info())
            self._relay.failed.emit(exc)
        else:
            self._relay.succeeded.emit(result)


def run_in_background(
    fn: Callable[[], Any],
    on_success: Callable[[Any], None],
    on_failure: Callable[[BaseException], None] | None = None,
    *,
    owner: QObject | None = None,
) -> None:
    """Call `fn()` on the thread pool, then `on_success(result)` or `on_failure(exc)` on the GUI
    thread; without `on_failure` the error dialog shows the failure. With an `owner` (the widget
    waiting for the result), nothing is delivered once that widget was deleted."""
    relay = _Relay(on_success, on_failure, owner)
    _pending.add(relay)
    QThreadPool.globalInstance().start(_Job(fn, relay))


def wait_for_jobs(msecs: int = 10_000) -> bool:
    """Block until the pool is idle (tests, screenshots, benchmarks); callbacks still need events."""
    return bool(QThreadPool.globalInstance().waitForDone(msecs))
