"""Where resources/ and translations/ are found: bundle, regular install, checkout."""

from __future__ import annotations

from pathlib import Path

from ksm_desktop.paths import data_root


def test_the_data_root_of_a_bundle_an_install_and_a_checkout(tmp_path: Path) -> None:
    package = tmp_path / "site-packages" / "ksm_desktop"
    package.mkdir(parents=True)
    assert data_root(package) == package.parent  # a checkout: resources/ beside the package
    (package / "resources").mkdir()
    assert data_root(package) == package  # a wheel: mapped into the package by setup.py
    assert data_root(package, str(tmp_path / "bundle")) == tmp_path / "bundle"  # PyInstaller's _MEIPASS
