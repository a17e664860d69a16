"""Tools → Copy to a server…: an administrator types the server's address, clicks Copy, watches
the progress and reads what was copied; a mistake is said in the dialog and changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMenu
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, inspect

from ksm_desktop.db.engine import make_engine, sqlite_url
from ksm_desktop.db.transfer import database_sums
from ksm_desktop.services import Actor, Services
from ksm_desktop.ui.copy_dialog import CopyDialog
from ksm_desktop.ui.main_window import MainWindow


def tools_entries(window: MainWindow) -> list[str]:
    # the menu itself, not QAction.menu(): PySide6 6.8 (the Windows run) hands that back deleted
    menu = next(m for m in window.menuBar().findChildren(QMenu) if m.title() == "&Tools")
    return [a.text() for a in menu.actions() if a.isVisible() and not a.isSeparator()]


def test_only_administrators_see_the_copy_in_the_tools_menu(qtbot: QtBot, demo: Services) -> None:
    agent = MainWindow(demo)
    admin = MainWindow(Services(demo.db, Actor("admin", "admin")))
    qtbot.addWidget(agent)
    qtbot.addWidget(admin)
    assert "&Copy to a server…" not in tools_entries(agent)
    assert "&Copy to a server…" in tools_entries(admin)


@pytest.mark.sqlite_only  # the office's laptop file, copied to the server
def test_copying_the_open_database_to_the_server(
    qtbot: QtBot, demo: Services, db_path: Path, pg_url: str
) -> None:
    dialog = CopyDialog(demo.db)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.copy_button.isEnabled()
    qtbot.keyClicks(dialog.url_edit, pg_url)
    seen: list[int] = []
    dialog.progressed.connect(lambda done, _total, _table: seen.append(done))
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Close).isEnabled()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=60_000)
    assert "Copied and verified" in dialog.status.text()
    assert len(seen) > 10 and not dialog.progress.isVisible()
    source, server = make_engine(sqlite_url(db_path)), create_engine(pg_url)
    with source.connect() as a, server.connect() as b:
        assert database_sums(a) == database_sums(b)
    source.dispose()
    server.dispose()


def test_a_wrong_address_is_said_in_the_dialog_and_changes_nothing(
    qtbot: QtBot, demo: Services, pg_url: str
) -> None:
    dialog = CopyDialog(demo.db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.url_edit, "serveur-du-bureau")
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    assert "not a valid database URL" in dialog.status.text()
    assert dialog.report is None
    engine = create_engine(pg_url)
    with engine.connect() as connection:
        assert inspect(connection).get_table_names() == []
    engine.dispose()
