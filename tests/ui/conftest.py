"""GUI test fixtures: window settings in a temporary folder, fake hooks for the modules other
branches provide (forms, settings dialog, export), and no background job left running."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from ksm_desktop.db.engine import Database
from ksm_desktop.services import Services
from ksm_desktop.ui.collector import collect_on_gui_thread
from ksm_desktop.ui.list_page import ListPage
from ksm_desktop.ui.main_window import MainWindow
from ksm_desktop.ui.workers import wait_for_jobs


@pytest.fixture(scope="session", autouse=True)
def _gui_thread_collector(qapp: QApplication) -> QTimer:
    """The application's collector timer (ksm_desktop/ui/collector.py), as in the program."""
    return collect_on_gui_thread(qapp)


def use_program_settings(qapp: QApplication, folder: Path) -> None:
    """QSettings named as the program names them (on Windows, without an organisation they keep
    nothing), kept in `folder` rather than the user's registry or configuration."""
    qapp.setApplicationName("KSM Desktop")
    qapp.setOrganizationName("KSM")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder / "qsettings"))


@pytest.fixture(autouse=True)
def _qt_settings(qapp: QApplication, tmp_path: Path) -> Iterator[None]:
    use_program_settings(qapp, tmp_path)
    yield
    wait_for_jobs()
    qapp.processEvents()


@pytest.fixture
def db(db: Database) -> Iterator[Database]:
    """The shared database fixture, with the background queries of the test finished before it
    is closed (a server database is dropped at once; a query still running would fail)."""
    yield db
    wait_for_jobs()


@pytest.fixture
def window(demo: Services, qtbot: Any) -> MainWindow:
    win = MainWindow(demo)
    qtbot.addWidget(win)
    win.show()
    return win


@pytest.fixture
def shell(qtbot: Any) -> MainWindow:
    """An empty main window on screen, as the program shows it before the database is open."""
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    return window


def loaded(qtbot: Any, page: ListPage) -> ListPage:
    """Wait until the page's current query has been answered."""
    page.start()
    qtbot.waitUntil(lambda: page.model.active and not page.model.loading, timeout=5000)
    return page


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Callable[[str, str, Any], list[tuple[Any, ...]]]:
    """Install a fake module `name` whose function `attr` records its arguments and returns `result`."""

    def install(name: str, attr: str, result: Any = None) -> list[tuple[Any, ...]]:
        recorded: list[tuple[Any, ...]] = []

        def fake(*args: Any) -> Any:
            recorded.append(args)
            return result

        module = types.ModuleType(name)
        setattr(module, attr, fake)
        monkeypatch.setitem(sys.modules, name, module)
        return recorded

    return install
