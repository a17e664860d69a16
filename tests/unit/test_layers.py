"""The core never imports Qt: only ui/ and the app entry may (so services, reports and the CLI
can run and be tested without a QApplication)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import ksm_desktop

PACKAGE = Path(ksm_desktop.__file__).parent
ALLOWED = {PACKAGE / "app.py", PACKAGE / "__main__.py"}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_pyside6_only_in_ui_and_app_entry() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path in ALLOWED or (PACKAGE / "ui") in path.parents:
            continue
        if any(name.split(".")[0] == "PySide6" for name in _imports(path)):
            offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []


def test_core_never_imports_the_ui_package() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path in ALLOWED or (PACKAGE / "ui") in path.parents:
            continue
        if any(name.startswith("ksm_desktop.ui") for name in _imports(path)):
            offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []


def test_command_line_runs_without_loading_qt(tmp_path: Path) -> None:
    code = (
        "import sys; from ksm_desktop.cli import main; "
        f"main(['--db', {str(tmp_path / 'k.sqlite3')!r}, 'demo']); "
        "print('PySide6' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().endswith("False")
