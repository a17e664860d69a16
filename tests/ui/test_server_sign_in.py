"""Starting the program on a database server: a server that refuses the login or lacks the
database is said in the window (never an error report with a traceback), and signing in to KSM
with a wrong password is refused until the right one is typed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from ksm_desktop.db.engine import Database
from ksm_desktop.services.users import create_first_admin
from ksm_desktop.ui import errors, startup
from ksm_desktop.ui.login_dialog import LoginDialog
from ksm_desktop.ui.main_window import MainWindow
from tests.server_fakes import PasswordRefusingServer
from tests.ui.test_first_start import when_shown

PASSWORD = "a long password"


@pytest.fixture
def reports(monkeypatch: pytest.MonkeyPatch) -> list[BaseException]:
    """The error reports (traceback dialogs) the program would show."""
    shown: list[BaseException] = []
    monkeypatch.setattr(errors, "show_exception", lambda _kind, exc, _tb: shown.append(exc))
    return shown


@pytest.fixture
def refusing() -> Iterator[PasswordRefusingServer]:
    server = PasswordRefusingServer()
    yield server
    server.close()


def _start(shell: MainWindow, qtbot: Any, url: str, monkeypatch: pytest.MonkeyPatch) -> startup.Opening:
    opening = startup.Opening(shell, url, None)
    monkeypatch.setattr(opening, "_quit", lambda code: pytest.fail(f"the program ended with {code}"))
    opening.start()
    qtbot.waitUntil(lambda: opening.failed, timeout=30_000)
    return opening


@pytest.mark.parametrize("login", ["ksm:Secret-0042@", "ksm@"], ids=["wrong password", "no password"])
def test_a_refused_server_login_is_said_in_the_window(
    login: str,
    shell: MainWindow,
    qtbot: Any,
    refusing: PasswordRefusingServer,
    reports: list[BaseException],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _start(shell, qtbot, f"postgresql+psycopg://{login}127.0.0.1:{refusing.port}/office", monkeypatch)
    text = shell.opening_label.text()
    assert text == (
        "The database could not be opened.\n\n"
        f"The database server 127.0.0.1:{refusing.port}/office refused the user name or password."
    )
    assert "Secret-0042" not in text and reports == []
    assert shell.retry_button.isVisible() and shell.quit_button.isVisible() and not shell.busy.isVisible()
    QTest.mouseClick(shell.retry_button, Qt.MouseButton.LeftButton)  # asked again, refused again
    assert not shell.retry_button.isVisible()
    qtbot.waitUntil(lambda: shell.retry_button.isVisible(), timeout=30_000)
    assert shell.opening_label.text() == text and reports == []


@pytest.mark.postgres
def test_an_unknown_database_on_the_server_is_said_in_the_window(
    shell: MainWindow,
    qtbot: Any,
    pg_server: Any,
    reports: list[BaseException],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _start(shell, qtbot, pg_server.url("ksm_no_such_office"), monkeypatch)
    assert "The database ksm_no_such_office does not exist on the server" in shell.opening_label.text()
    assert reports == []


def test_signing_in_with_a_wrong_password_then_the_right_one(
    shell: MainWindow, qtbot: Any, db: Database, db_url: str, reports: list[BaseException]
) -> None:
    """On PostgreSQL as on SQLite: the sign-in dialog refuses the wrong password, stays open with
    the password field emptied, and the right one opens the window."""
    create_first_admin(db, "amina", PASSWORD, "Amina Idrissi")
    seen: list[str] = []

    def type_wrong_then_right(dialog: LoginDialog) -> None:
        QTest.keyClicks(dialog.username, "amina")
        QTest.keyClicks(dialog.password, "not the password")
        QTest.keyClick(dialog.password, Qt.Key.Key_Return)
        seen.append(dialog.error.text())
        assert dialog.isVisible() and dialog.password.text() == ""
        QTest.keyClicks(dialog.password, PASSWORD)
        QTest.keyClick(dialog.password, Qt.Key.Key_Return)

    opening = startup.Opening(shell, db_url, None)
    timer = when_shown(LoginDialog, type_wrong_then_right)
    try:
        with qtbot.waitSignal(shell.ready, timeout=60_000):
            opening.start()
        assert seen and seen[0].startswith("Wrong user name or password.")
        assert shell.services is not None and shell.services.actor.username == "amina"
        assert not opening.failed and reports == []
    finally:
        timer.stop()
        opening.close()
