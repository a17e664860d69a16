"""PySide's per-import check, answered from the file's bytes: the same answers, and in use."""

from __future__ import annotations

import inspect
import math
import sqlite3
import sys
import types
from pathlib import Path

import pytest

import ksm_desktop.domain.enums
import ksm_desktop.ui.main_window
from ksm_desktop.ui.import_hook import CHECK, FEATURE_MODULE, quicken_pyside_imports


@pytest.fixture
def feature(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """PySide's feature module with PySide's own check (a test that ran the program in this process
    replaced it), the check as it was restored after the test."""
    module = sys.modules[FEATURE_MODULE]
    check = getattr(module, CHECK)
    monkeypatch.setattr(module, CHECK, getattr(check, "__wrapped__", check))
    return module


def test_the_quick_check_answers_as_pyside_does(feature: types.ModuleType) -> None:
    original = getattr(feature, CHECK)
    quicken_pyside_imports()
    quick = getattr(feature, CHECK)
    assert quick is not original
    modules = [ksm_desktop.ui.main_window, ksm_desktop.domain.enums, sys, math, sqlite3]
    assert [quick(m) for m in modules] == [original(m) for m in modules] == [True, False, False, False, False]
    quicken_pyside_imports()  # a second call keeps the first
    assert getattr(feature, CHECK) is quick


def test_modules_imported_afterwards_are_checked_quickly(
    feature: types.ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Each import goes through the quick check, never through inspect.getsource."""
    (tmp_path / "ksm_probe_qt.py").write_text("from PySide6.QtCore import QObject\n", "utf-8")
    (tmp_path / "ksm_probe_plain.py").write_text("VALUE = 1\n", "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    quicken_pyside_imports()

    read: list[str] = []
    getsource = inspect.getsource

    def reading(obj: types.ModuleType) -> str:
        read.append(obj.__name__)
        return getsource(obj)

    monkeypatch.setattr(inspect, "getsource", reading)
    try:
        __import__("ksm_probe_qt")  # the import statement's path, which PySide hooks
        __import__("ksm_probe_plain")
    finally:
        sys.modules.pop("ksm_probe_qt", None)
        sys.modules.pop("ksm_probe_plain", None)
    assert read == []
    checked = feature.pyside_feature_dict
    assert (checked.pop("ksm_probe_qt"), checked.pop("ksm_probe_plain")) == (0, -1)  # 0: features may switch
