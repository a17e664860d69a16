"""One version number, pyproject's, wherever the program runs from (source tree, bundle, wheel)."""

from __future__ import annotations

import sys
import tomllib
import types
from importlib import metadata
from pathlib import Path

import pytest

from ksm_desktop import read_version
from ksm_desktop.cli import main

REPO = Path(__file__).resolve().parents[2]


def test_the_cli_reports_pyproject_version(capsys: pytest.CaptureFixture[str]) -> None:
    expected = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"KSM Desktop {expected}"


def test_a_source_tree_reads_its_pyproject(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "ksm-desktop"\nversion = "2.3.4"\n', "utf-8")
    assert read_version(tmp_path) == "2.3.4"


def test_a_bundle_reads_the_version_written_at_build_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No pyproject next to the package (a frozen bundle, or another project's pyproject): the
    generated ksm_desktop._version wins over the distribution metadata."""
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "something-else"\nversion = "9.9"\n', "utf-8")
    generated = types.ModuleType("ksm_desktop._version")
    generated.VERSION = "5.6.7"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "ksm_desktop._version", generated)
    assert read_version(tmp_path) == "5.6.7"


def test_without_any_source_the_version_says_unknown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ksm_desktop._version", None)  # import fails
    monkeypatch.setattr(metadata, "version", _not_installed)
    assert read_version(tmp_path) == "0+unknown"


def _not_installed(name: str) -> str:
    raise metadata.PackageNotFoundError(name)
