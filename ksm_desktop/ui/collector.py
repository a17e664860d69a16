"""Python's cycle collector runs on the GUI thread only.

Left automatic, the collector runs in whichever thread happens to allocate when a generation is
full: a background job's thread, say. If a cycle it frees holds a Qt object (a dialog kept by a
closure over itself), that object is destroyed off the GUI thread, a native crash seen in long
test runs. Like Anki's GarbageCollector: automatic collection is turned off and a GUI timer
collects, with the interpreter's own thresholds, so memory behaves as before.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 1000
_THRESHOLDS = gc.get_threshold()


def collect_if_due() -> int:
    """Collect the generations whose thresholds are reached, as the interpreter would have; call
    it on the GUI thread (the test suite calls it after each test). Returns the number of objects freed."""
    gen0, gen1, gen2 = gc.get_count()
    freed = 0
    if gen0 > _THRESHOLDS[0]:
        freed += gc.collect(0)
        if gen1 > _THRESHOLDS[1]:
            freed += gc.collect(1)
            if gen2 > _THRESHOLDS[2]:
                freed += gc.collect(2)
    return freed


def collect_on_gui_thread(app: QObject) -> QTimer:
    """Turn automatic collection off and collect from a timer owned by `app` (the application)."""
    from PySide6.QtCore import QTimer

    gc.disable()
    timer = QTimer(app)
    timer.setObjectName("gui-thread-collector")
    timer.timeout.connect(collect_if_due)
    timer.start(INTERVAL_MS)
    return timer
