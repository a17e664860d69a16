"""Tests that cannot pass for the wrong reason: no wait without a timeout (a hung child would
stall CI), no sleep standing in for "nothing arrives", no assertion on a duration (speed is
measured in benchmarks/, where a noisy machine cannot fail the suite)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
RUNS = {"run", "check_output", "check_call", "call"}
CLOCKS = {"monotonic", "perf_counter", "time", "process_time"}


def _calls(tree: ast.AST) -> Iterator[tuple[ast.Call, str, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            yield node, ast.unparse(node.func.value), node.func.attr


def _problems(path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text("utf-8"))
    where = f"{path.relative_to(TESTS)}"
    for call, owner, name in _calls(tree):
        timed = any(k.arg == "timeout" for k in call.keywords)
        if owner == "subprocess" and name in RUNS and not timed:
            yield f"{where}:{call.lineno}: subprocess.{name} without a timeout"
        if name in {"communicate", "wait"} and "proc" in owner.lower() and not timed and not call.args:
            yield f"{where}:{call.lineno}: {owner}.{name}() without a timeout"
        if owner == "qtbot" and name == "wait":
            yield f"{where}:{call.lineno}: qtbot.wait: wait for a signal or a condition instead"
    for node in ast.walk(tree):
        if isinstance(node, ast.Assert):
            for _call, owner, name in _calls(node):
                if owner == "time" and name in CLOCKS:
                    yield f"{where}:{node.lineno}: an assertion on a duration"


def _pytest_with_project_settings(
    folder: Path, name: str, source: str, *options: str
) -> subprocess.CompletedProcess[str]:
    """Run the test file `name` (holding `source`) in `folder` under this project's pytest settings."""
    (folder / name).write_text(source, "utf-8")
    return subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"),
            *("-c", str(TESTS.parent / "pyproject.toml"), "--rootdir", str(folder), *options, str(folder)),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def test_every_wait_is_bounded_and_no_test_times_anything() -> None:
    found = [problem for path in sorted(TESTS.rglob("*.py")) for problem in _problems(path)]
    assert found == []


QT_WARNING_TESTS = """
from PySide6.QtCore import qCritical, qWarning


def test_a_qt_warning(qtbot):
    qWarning("QPixmap::scaled: Pixmap is a null pixmap")


def test_a_qt_critical_message(qtbot):
    qCritical("QSqlDatabase: connection is still in use")


def test_what_the_headless_platform_lacks(qtbot):
    qWarning("This plugin does not support propagateSizeHints()")
"""


def test_a_qt_warning_fails_the_test_that_caused_it(tmp_path: Path) -> None:
    """Qt reports its misuse as messages, not exceptions: the project's pytest settings make a
    warning or critical message fail the test, except the headless platform's named ones."""
    result = _pytest_with_project_settings(tmp_path, "test_qt_messages.py", QT_WARNING_TESTS)
    failed = sorted(
        line.split("::")[1].split()[0] for line in result.stdout.splitlines() if line.startswith("FAILED")
    )
    assert failed == ["test_a_qt_critical_message", "test_a_qt_warning"], result.stdout
    assert "1 passed" in result.stdout


QT_HANG_TEST = """
from PySide6.QtWidgets import QApplication


def test_stuck_in_the_event_loop(qtbot):
    QApplication.instance().exec()  # nothing ever quits it: no Python runs again
"""


def test_a_test_stuck_in_qts_event_loop_fails_instead_of_hanging(tmp_path: Path) -> None:
    """The project's timeout ends a test that waits forever in Qt's event loop (SIGALRM's handler
    would never run there: the loop runs no Python); the run reports it and stops waiting."""
    result = _pytest_with_project_settings(tmp_path, "test_hang.py", QT_HANG_TEST, "--timeout", "3")
    assert result.returncode != 0
    assert "Timeout" in result.stdout + result.stderr and "test_stuck_in_the_event_loop" in result.stdout
