"""Forms opened and closed many times while Python's garbage collector runs: a dialog whose child
widget holds a reference back to it (a search box's finder closing over the dialog, a list's
label function bound to it) once crashed the whole program in the collector. Each run happens in
a child process, so a segmentation fault fails the test instead of killing pytest."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = r"""
import gc, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication, QMessageBox
from ksm_desktop.db.storage import open_database
from ksm_desktop.services import Actor, ListQuery, Services
from ksm_desktop.demo.portfolio import load_demo
from ksm_desktop.ui.language import apply_language

app = QApplication([])
services = Services(open_database(path=Path(sys.argv[1]) / "demo.sqlite3"), Actor("agent", "agent"))
load_demo(services)
first = lambda rows, keep=lambda r: True: next(r.id for r in rows if keep(r))
everything = lambda search: search(ListQuery(limit=None)).rows


def household():
    from ksm_desktop.ui.fieldwork.household_dialog import HouseholdDialog
    found = first(everything(services.households.search), lambda r: r.equipment)
    return [lambda: HouseholdDialog(services, found), lambda: HouseholdDialog(services, None)]


def activity():
    from ksm_desktop.ui.fieldwork.activity_dialog import ActivityDialog
    found = first(everything(services.activities.search), lambda r: r.participants)
    return [lambda: ActivityDialog(services, found), lambda: ActivityDialog(services, None)]


def forms():
    from ksm_desktop.ui.forms import _dialog
    ids = {
        "organisation": first(everything(services.organisations.search)),
        "person": first(everything(services.persons.search)),
        "programme": first(everything(services.programmes.search)),
        "grant": first(everything(services.grants.search)),
    }
    return [
        (lambda k=kind, i=entity: _dialog(k, services, i, None))
        for kind, entity in ids.items()
        for entity in (ids[kind], None)
    ]


QMessageBox.question = staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard)
gc.set_threshold(50, 1, 1)
makers = {"household": household, "activity": activity, "forms": forms}[sys.argv[2]]()
for lang in ("fr", "ar"):
    apply_language(app, lang)
    for _round in range(3):
        for make in makers:
            dialog = make()
            dialog.show()
            app.processEvents()
            dialog.grab()
            dialog.close()
            app.processEvents()
            gc.collect()
print("closed cleanly")
"""


@pytest.mark.parametrize("which", ["household", "activity", "forms"])
def test_forms_open_and_close_many_times_under_the_garbage_collector(tmp_path: Path, which: str) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path), which],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert run.returncode == 0, f"exit {run.returncode}\n{run.stderr[-3000:]}"
    assert "closed cleanly" in run.stdout
