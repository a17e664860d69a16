"""Run one function off the GUI thread and get its result (or error) back on the GUI thread.

Deliberately minimal; the shared ui/workers.py (another branch) can replace it when merged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn = fn
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # handed to the GUI thread, shown there
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)


_pool: QThreadPool | None = None
_running: set[_Job] = set()  # Python keeps each job alive until its result is delivered


def pool() -> QThreadPool:
    """A small pool of its own: background reads never starve Qt's global pool."""
    global _pool
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(2)
    return _pool


def run_in_background(
    owner: QObject,
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[Exception], None],
) -> None:
    """Call `fn()` on a worker thread; `on_done(result)` or `on_error(exc)` then run on the GUI
    thread, unless `owner` (the widget waiting for it) was closed meanwhile."""
    relay = _Relay()  # created here, so it lives in the GUI thread and its signals arrive there
    job = _Job(fn, relay)
    job.setAutoDelete(False)
    _running.add(job)

    def deliver(callback: Callable[[Any], None]) -> Callable[[Any], None]:
        def call(value: Any) -> None:
            _running.discard(job)
            if shiboken6.isValid(owner):
                callback(value)

        return call

    relay.done.connect(deliver(on_done))
    relay.failed.connect(deliver(on_error))
    pool().start(job)
