"""The Qt binding itself: faults of a PySide6 release that would crash the program, caught here
before a user meets them."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject, Signal


class _Announcer(QObject):
    changed = Signal(bool)
    counted = Signal(int)
    carried = Signal(object)


def _bool_references() -> int:
    return sys.getrefcount(True) + sys.getrefcount(False)


@pytest.mark.skipif(
    sys.version_info >= (3, 12),
    reason="True and False are immortal from Python 3.12: a reference lost cannot free them, and "
    "extensions built for older versions move their count harmlessly",
)
def test_emitting_signals_leaves_true_and_false_alone() -> None:
    """PySide6 6.12.0 released a reference to True or False it did not hold on every emit: after
    a few thousand signals (an afternoon of use, a test run) the interpreter aborts with
    "bool_dealloc", losing whatever the window held. Every kind of signal, connected or not."""
    heard: list[object] = []
    announcer, silent = _Announcer(), _Announcer()
    for signal in (announcer.changed, announcer.counted, announcer.carried):
        signal.connect(heard.append)
    before = _bool_references()
    for _ in range(200):
        announcer.changed.emit(True)
        announcer.counted.emit(3)
        announcer.carried.emit(False)
        silent.changed.emit(False)
    heard.clear()
    assert _bool_references() == before
