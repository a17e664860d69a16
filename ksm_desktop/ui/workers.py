"""Run service calls off the GUI thread, with results delivered back on the GUI thread.

Services open their own session per call, so a job is just a callable. Like Anki's operations
helper: one entry point, `run_in_background`, used by every search, refresh and print.

Why not a QRunnable per job: the pool deletes a runnable on its worker thread, so whatever the
job held (a closure over a dialog, a per-job QObject) could lose its last reference there and
have its Qt object destroyed off the GUI thread, a native crash seen once in a long test run.
Here a job only ever holds plain Python; its callable, its callbacks and its outcome are kept in
`_jobs` on the GUI side, and dropped there after delivery. The worker keeps no reference once it
has announced the job is done, and the one QObject that carries announcements lives as long as
the application.
"""

from __future__ import annotations

import itertools
import logging
import os
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QThread, Signal, Slot

if TYPE_CHECKING:  # SQLAlchemy stays off the path to the window (imported while the file is checked)
    from ksm_desktop.db.engine import Database


log = logging.getLogger(__name__)


@dataclass
class _Job:
    fn: Callable[[], Any]
    on_success: Callable[[Any], None]
    on_failure: Callable[[BaseException], None] | None
    owner: QObject | None
    result: Any = None
    error: BaseException | None = None

    def owner_gone(self) -> bool:
        return self.owner is not None and not shiboken6.isValid(self.owner)


_jobs: dict[int, _Job] = {}  # written on the GUI thread; a worker reads its own entry only
_running: set[Future[None]] = set()
_keys = itertools.count()
_pool: ThreadPoolExecutor | None = None
_dispatcher: _Dispatcher | None = None


class _Dispatcher(QObject):
    """Lives on the GUI thread (a child of the application); a worker emits `done(key)` and Qt
    queues the delivery to the GUI thread."""

    done = Signal(object)

    def __init__(self, parent: QObject | None) -> None:
        super().__init__(parent)
        self.done.connect(self._deliver)

    @Slot(object)
    def _deliver(self, key: int) -> None:
        job = _jobs.pop(key)
        if job.error is None:
            if not job.owner_gone():
                job.on_success(job.result)
        elif job.owner_gone():
            log.info("background job failed after its window closed", exc_info=job.error)
        elif job.on_failure is not None:
            job.on_failure(job.error)
        else:
            from ksm_desktop.ui.errors import show_exception

            show_exception(type(job.error), job.error, job.error.__traceback__)


def _run(key: int) -> None:
    """Worker thread: no widget here. Locals are dropped before announcing, so the last
    reference to the job's callable and outcome is always the GUI thread's."""
    job = _jobs[key]
    fn = job.fn
    try:
        job.result = fn()
    except BaseException as exc:  # every failure is delivered, none kills the worker
        if not isinstance(exc, Exception):
            log.error("background job interrupted", exc_info=exc)
        job.error = exc
    del job, fn
    dispatcher = _dispatcher
    if dispatcher is not None and shiboken6.isValid(dispatcher):
        dispatcher.done.emit(key)


def _gui_dispatcher() -> _Dispatcher:
    global _dispatcher, _pool
    if _dispatcher is None or not shiboken6.isValid(_dispatcher):
        _dispatcher = _Dispatcher(QCoreApplication.instance())
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2), thread_name_prefix="ksm-job")
    return _dispatcher


def run_in_background(
    fn: Callable[[], Any],
    on_success: Callable[[Any], None],
    on_failure: Callable[[BaseException], None] | None = None,
    *,
    owner: QObject | None = None,
) -> None:
    """Call `fn()` on a worker thread, then `on_success(result)` or `on_failure(exc)` on the GUI
    thread; without `on_failure` the error dialog shows the failure. With an `owner` (the widget
    waiting for the result), nothing is delivered once that widget was deleted."""
    _gui_dispatcher()
    assert _pool is not None
    key = next(_keys)
    _jobs[key] = _Job(fn, on_success, on_failure, owner)
    future = _pool.submit(_run, key)
    _running.add(future)
    future.add_done_callback(_running.discard)


def wait_off_gui_thread(fn: Callable[[], Any]) -> Any:
    """`fn()` on a worker thread while the GUI thread keeps painting the windows (what the user
    types or clicks meanwhile waits for the end): its result, or its error raised here. Called
    off the GUI thread, just `fn()`."""
    app = QCoreApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        return fn()
    loop = QEventLoop()
    outcome: list[tuple[Any, BaseException | None]] = []

    def finish(result: Any, error: BaseException | None) -> None:
        outcome.append((result, error))
        loop.quit()

    run_in_background(fn, lambda result: finish(result, None), lambda error: finish(None, error))
    loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    result, error = outcome[0]
    if error is not None:
        raise error
    return result


@contextmanager
def saving_off_gui(db: Database) -> Iterator[None]:
    """Inside the block, each use case called on the GUI thread waits on a worker thread
    (`wait_off_gui_thread`): a save to a server that stopped answering (seconds until the
    connection gives up) leaves the window painted, not frozen, until its message."""
    previous, db.runner = db.runner, wait_off_gui_thread
    try:
        yield
    finally:
        db.runner = previous


def wait_for_jobs(msecs: int = 10_000) -> bool:
    """Block until no job runs (tests, screenshots, benchmarks, before the database is closed);
    their deliveries still need the event loop."""
    _, not_done = wait(list(_running), timeout=msecs / 1000)
    return not not_done
