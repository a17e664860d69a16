"""The layers hold: import-linter's contracts (.importlinter) for every static import, relative
ones included, and a scan for the imports by name (importlib) that no static tool can see. The
core never loads Qt, so services, reports and the CLI run without a QApplication."""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

import ksm_desktop

PACKAGE = Path(ksm_desktop.__file__).parent
ROOT = PACKAGE.parent
GUI = {PACKAGE / "app.py", PACKAGE / "__main__.py"}
GUI_PREFIXES = ("PySide6", "shiboken6", "ksm_desktop.ui", "ksm_desktop.app")


def test_import_contracts_hold() -> None:
    config = ROOT / ".importlinter"
    if not config.exists():
        pytest.skip("the import contracts live in the source checkout")
    if importlib.util.find_spec("importlinter") is None:
        pytest.skip("import-linter is not installed (the Windows run leaves out the Linux-side linters)")
    linter = Path(sys.executable).with_name("lint-imports")
    run = subprocess.run(
        [str(linter), "--config", str(config), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def _imported_by_name(path: Path) -> set[str]:
    """Modules named in importlib.import_module("…") or __import__("…") calls."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        first = node.args[0]
        if called in {"import_module", "__import__"} and isinstance(first, ast.Constant):
            names.add(str(first.value))
    return names


def test_core_never_imports_the_gui_by_name() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)}: {name}"
        for path in PACKAGE.rglob("*.py")
        if path not in GUI and (PACKAGE / "ui") not in path.parents
        for name in _imported_by_name(path)
        if name.startswith(GUI_PREFIXES)
    ]
    assert offenders == []


def test_command_line_runs_without_loading_qt(tmp_path: Path) -> None:
    code = (
        "import sys; from ksm_desktop.cli import main; "
        f"main(['--db', {str(tmp_path / 'k.sqlite3')!r}, 'demo']); "
        "print('PySide6' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    assert out.strip().endswith("False")
