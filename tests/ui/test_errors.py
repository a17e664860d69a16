"""No traceback reaches the user: unexpected errors show a report and the log path; a user's
mistake (KsmError) shows only its message; background failures go the same way."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from ksm_desktop.domain.errors import ValidationError
from ksm_desktop.logs import log_file
from ksm_desktop.ui import errors
from ksm_desktop.ui.error_dialog import ErrorDialog, error_dialog
from ksm_desktop.ui.errors import install_excepthook
from ksm_desktop.ui.workers import run_in_background


def raised(exc: BaseException) -> tuple[type[BaseException], BaseException, Any]:
    try:
        raise exc
    except BaseException as caught:
        return type(caught), caught, caught.__traceback__


def test_unexpected_error_shows_a_copyable_report_and_the_log_path(qtbot: Any) -> None:
    dialog = error_dialog(*raised(RuntimeError("disk on fire")))
    qtbot.addWidget(dialog)
    assert isinstance(dialog, ErrorDialog)
    report = dialog.report.toPlainText()
    assert "RuntimeError: disk on fire" in report and "Traceback" in report
    assert str(log_file()) in dialog.log_label.text()
    dialog.copy_button.click()
    assert QApplication.clipboard().text() == report


def test_a_ksm_error_shows_only_its_message(qtbot: Any) -> None:
    dialog = error_dialog(*raised(ValidationError("The CIN AB12 is not valid.", "cin")))
    qtbot.addWidget(dialog)
    assert isinstance(dialog, QMessageBox)
    assert dialog.text() == "The CIN AB12 is not valid."
    assert "Traceback" not in dialog.text() and not dialog.detailedText()


def test_the_excepthook_shows_the_dialog(monkeypatch: pytest.MonkeyPatch, qtbot: Any) -> None:
    shown: list[QDialog] = []
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(QDialog, "exec", lambda self: shown.append(self) or 0)
    install_excepthook()
    sys.excepthook(*raised(KeyError("organisation")))
    sys.excepthook(*raised(ValidationError("Name is required.")))
    assert isinstance(shown[0], ErrorDialog) and "KeyError" in shown[0].report.toPlainText()
    assert isinstance(shown[1], QMessageBox) and shown[1].text() == "Name is required."


def test_background_results_arrive_on_the_gui_thread(qtbot: Any) -> None:
    results: list[tuple[int, bool]] = []
    gui_thread = QThread.currentThread()
    run_in_background(
        lambda: 6 * 7, lambda value: results.append((value, QThread.currentThread() is gui_thread))
    )
    qtbot.waitUntil(lambda: bool(results))
    assert results == [(42, True)]


def test_background_failure_without_handler_reaches_the_error_dialog(
    monkeypatch: pytest.MonkeyPatch, qtbot: Any
) -> None:
    shown: list[BaseException] = []
    monkeypatch.setattr(errors, "show_exception", lambda _type, exc, _tb: shown.append(exc))
    run_in_background(lambda: 1 / 0, lambda _value: None)
    qtbot.waitUntil(lambda: bool(shown))
    assert isinstance(shown[0], ZeroDivisionError)


def test_background_result_is_dropped_when_its_owner_was_deleted(qtbot: Any) -> None:
    import threading

    import shiboken6
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QWidget

    from ksm_desktop.ui.workers import wait_for_jobs

    gate = threading.Event()
    delivered: list[int] = []
    owner, kept = QWidget(), QWidget()
    qtbot.addWidget(kept)
    run_in_background(lambda: gate.wait(5) and 1, delivered.append, owner=owner)
    run_in_background(lambda: gate.wait(5) and 2, delivered.append, owner=kept)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(owner))
    gate.set()
    wait_for_jobs()
    qtbot.waitUntil(lambda: delivered == [2])
    QCoreApplication.processEvents()  # every queued delivery handed out: none for the deleted owner
    assert delivered == [2]


def test_what_a_background_job_holds_is_released_on_the_gui_thread(qtbot: Any) -> None:
    """A job's callable, callbacks and result often hold a dialog: losing their last reference
    on a worker thread would destroy that dialog's Qt object off the GUI thread (a native crash)."""
    import gc
    import threading

    from ksm_desktop.ui.workers import wait_for_jobs

    released: list[tuple[str, bool]] = []

    class Tracker:
        def __init__(self, name: str) -> None:
            self.name = name

        def __del__(self) -> None:
            released.append((self.name, threading.current_thread() is threading.main_thread()))

    def start() -> None:  # the trackers are referenced only by the job from here on
        work, answer, callback = Tracker("callable"), Tracker("result"), Tracker("callback")
        seen: list[object] = []
        run_in_background(lambda: (work, answer)[1], lambda result: seen.extend((callback, result)))

    assert not gc.isenabled()  # only reference counting decides where the trackers die
    for _ in range(20):
        start()
    wait_for_jobs()
    qtbot.waitUntil(lambda: len(released) == 60)
    assert {name for name, _on_gui in released} == {"callable", "result", "callback"}
    assert [name for name, on_gui in released if not on_gui] == []


def test_garbage_cycles_are_collected_on_the_gui_thread_only(qtbot: Any) -> None:
    """A background job that allocates never runs the cycle collector in its thread; the GUI
    timer collects the cycle (a Qt object in a cycle freed off the GUI thread crashes)."""
    import gc
    import threading

    from ksm_desktop.ui import collector
    from ksm_desktop.ui.workers import wait_for_jobs

    freed_on: list[bool] = []

    class Cycle:
        def __init__(self) -> None:
            self.me = self

        def __del__(self) -> None:
            freed_on.append(threading.current_thread() is threading.main_thread())

    assert not gc.isenabled()  # turned off by the application's collector (and the test session)
    Cycle()
    run_in_background(lambda: [[n] for n in range(200_000)] and None, lambda _result: None)
    wait_for_jobs()
    assert freed_on == []  # 200,000 allocations in the worker did not collect
    due = gc.get_threshold()[0] + 100  # 700 objects until Python 3.12, 2000 from 3.13
    kept = [[] for _ in range(due)]  # the first generation is due: the GUI timer collects it
    qtbot.waitUntil(lambda: freed_on == [True], timeout=collector.INTERVAL_MS * 5)
    assert len(kept) == due
