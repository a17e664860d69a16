"""The GUI: start to an interactive main window, and the Members list at 100,000 members."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from benchmarks.common import Result, median_ms, people
from ksm_desktop.db.storage import open_database
from ksm_desktop.services import Actor, ListQuery, Services
from ksm_desktop.services.dto import OrganisationInput

ROOT = Path(__file__).resolve().parent.parent
N = 100_000
RUNS = 7
TEXTS = ("f", "fa", "fat", "fati", "fatim", "fatima", "fatima a", "fatima al")  # one word typed

BARE_START = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
app = QApplication(sys.argv)
window = QMainWindow()
window.setCentralWidget(QTableView())
window.resize(1280, 800)
window.show()
QTimer.singleShot(0, app.quit)
sys.exit(app.exec())
"""

APP_START = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv)
QTimer.singleShot(0, app.quit)  # fires on the first event-loop turn, after the window is shown
from ksm_desktop.app import run_gui
sys.exit(run_gui(None, Path(sys.argv[1])))
"""


def _median_process_ms(code: str, *args: str, env: dict[str, str]) -> float:
    """Median wall time of a fresh Python process running `code` (interpreter start included)."""
    samples = []
    for run in range(RUNS + 1):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-c", textwrap.dedent(code), *args],
            check=True,
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if run:  # the first run warms the disk cache
            samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def _skip_sign_in(services: Services) -> None:
    """An administrator in single-user mode, so the window opens without the sign-in dialog."""
    from ksm_desktop.services.users import create_first_admin

    create_first_admin(services.db, "bench", "a-long-bench-password", None)
    Services(services.db, Actor("bench", "admin")).users.set_single_user_mode(True)


def start_to_window() -> list[Result]:
    """python → main window shown on the demo database, vs a bare PySide6 window, same run."""
    from ksm_desktop.services.demo import load_demo

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.sqlite3"
        services = Services(open_database(path=path))
        load_demo(services)
        _skip_sign_in(services)
        services.db.dispose()
        env = os.environ | {
            "QT_QPA_PLATFORM": "offscreen",
            "KSM_CONFIG_DIR": str(Path(tmp) / "config"),
            "XDG_CONFIG_HOME": str(Path(tmp) / "xdg-config"),
            "XDG_STATE_HOME": str(Path(tmp) / "state"),
            "XDG_DATA_HOME": str(Path(tmp) / "data"),
            "PYTHONPATH": str(ROOT),
        }
        bare = _median_process_ms(BARE_START, env=env)
        app = _median_process_ms(APP_START, str(path), env=env)
    return [
        Result(
            "start to interactive main window (demo database)",
            app,
            "<= 1.5x bare PySide6 window",
            app <= 1.5 * bare,
            "bare PySide6 QMainWindow + QTableView",
            bare,
        )
    ]


def members_list() -> list[Result]:
    """With 100k members: the Members page's first page shown, and one search refresh."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from ksm_desktop.ui.list_page import ListPage
    from ksm_desktop.ui.list_specs import MEMBERS

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        services = Services(open_database(path=Path(tmp) / "big.sqlite3"), Actor("bench"))
        org = services.organisations.create(OrganisationInput(kind="cooperative", name="Bench")).id
        services.persons.bulk_create(people(N), organisation_id=org)

        def until_loaded(page: ListPage, action: object) -> float:
            loop = QEventLoop()
            page.model.loaded.connect(loop.quit)
            start = time.perf_counter()
            action()  # type: ignore[operator]
            loop.exec()
            page.repaint()  # the rows painted, not just received
            elapsed = (time.perf_counter() - start) * 1000
            page.model.loaded.disconnect(loop.quit)
            return elapsed

        open_samples, search_samples = [], []
        for run in range(RUNS + 1):
            page = ListPage(MEMBERS, services)
            page.resize(1280, 760)
            page.show()
            app.processEvents()
            opened = until_loaded(page, page.start)
            assert page.model.rowCount() == 200 and page.model.total == N
            # One keystroke after the typing pause: the query the search box sends, to rows painted.
            searched = statistics.median(
                until_loaded(page, lambda t=text, m=page.model: m.set_query(text=t)) for text in TEXTS
            )
            if run:
                open_samples.append(opened)
                search_samples.append(searched)
            page.close()
            page.deleteLater()
            app.processEvents()
        # The service call alone, same queries: what the GUI adds is the difference.
        first_page = median_ms(lambda: services.persons.search(ListQuery()), repeat=RUNS)
        searches = [
            median_ms(lambda t=text: services.persons.search(ListQuery(text=t)), repeat=3) for text in TEXTS
        ]
        services.db.dispose()
    open_ms, search_ms = statistics.median(open_samples), statistics.median(search_samples)
    return [
        Result(
            "Members list opens at 100k (first page painted)",
            open_ms,
            "< 500 ms",
            open_ms < 500,
            "persons.search alone",
            first_page,
        ),
        Result(
            "Members search keystroke at 100k (query sent after the 150 ms typing pause → rows painted)",
            search_ms,
            "< 100 ms",
            search_ms < 100,
            "persons.search alone",
            statistics.median(searches),
        ),
    ]


BENCHMARKS = [start_to_window, members_list]
