"""What the PyInstaller spec puts in the bundle (packaging/bundle_support.py); the build itself is
proven by packaging/smoke_test.py (make bundle-test), too slow for this suite."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]


def _load() -> ModuleType:
    # Loaded by path: a `packaging` package would shadow the PyPI distribution of that name.
    spec = importlib.util.spec_from_file_location("bundle_support", REPO / "packaging" / "bundle_support.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bundle = _load()


def _touch(root: Path, *names: str) -> None:
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"x")


def test_data_files_mirror_the_source_tree_and_skip_caches(tmp_path: Path) -> None:
    _touch(
        tmp_path,
        "resources/icons/ksm-desktop.ico",
        "resources/fonts/Amiri-Regular.ttf",
        "resources/fonts/OFL.txt",
        "translations/fr/LC_MESSAGES/messages.mo",
        "translations/ar/LC_MESSAGES/messages.po",
        "translations/messages.pot",
        "ksm_desktop/db/migrations/env.py",
        "ksm_desktop/db/migrations/script.py.mako",
        "ksm_desktop/db/migrations/versions/0001_initial_schema.py",
        "ksm_desktop/db/migrations/versions/__pycache__/0001_initial_schema.cpython-311.pyc",
        "ksm_desktop/db/reference/regions.json",
        "ksm_desktop/db/models.py",
    )
    entries = {Path(src).relative_to(tmp_path).as_posix(): dest for src, dest in bundle.data_files(tmp_path)}
    assert entries == {
        "resources/icons/ksm-desktop.ico": "resources/icons",
        "resources/fonts/Amiri-Regular.ttf": "resources/fonts",
        "resources/fonts/OFL.txt": "resources/fonts",
        "translations/fr/LC_MESSAGES/messages.mo": "translations/fr/LC_MESSAGES",
        "translations/ar/LC_MESSAGES/messages.po": "translations/ar/LC_MESSAGES",
        "ksm_desktop/db/migrations/env.py": "ksm_desktop/db/migrations",
        "ksm_desktop/db/migrations/script.py.mako": "ksm_desktop/db/migrations",
        "ksm_desktop/db/migrations/versions/0001_initial_schema.py": "ksm_desktop/db/migrations/versions",
        "ksm_desktop/db/reference/regions.json": "ksm_desktop/db/reference",
    }


def test_the_real_tree_ships_every_migration_as_source() -> None:
    shipped = {Path(src).relative_to(REPO).as_posix() for src, _dest in bundle.data_files(REPO)}
    revisions = {
        p.relative_to(REPO).as_posix() for p in (REPO / "ksm_desktop/db/migrations/versions").glob("*.py")
    }
    assert revisions and revisions <= shipped
    assert "ksm_desktop/db/migrations/env.py" in shipped
    assert "resources/icons/ksm-desktop.ico" in shipped


@pytest.mark.parametrize("layout", ["PySide6/translations", "PySide6/Qt/translations"])  # Windows, Linux
def test_qt_translations_are_required_and_keep_their_place_in_pyside6(tmp_path: Path, layout: str) -> None:
    translations = tmp_path / layout
    _touch(translations, "qtbase_fr.qm")
    with pytest.raises(FileNotFoundError, match=r"qtbase_ar\.qm"):
        bundle.qt_translation_files(translations, tmp_path)
    _touch(translations, "qtbase_ar.qm")
    entries = bundle.qt_translation_files(translations, tmp_path)
    assert [Path(src).name for src, _dest in entries] == ["qtbase_fr.qm", "qtbase_ar.qm"]
    assert [dest for _src, dest in entries] == [layout, layout]


@pytest.mark.parametrize(
    ("dest", "unwanted"),
    [
        ("PySide6/Qt/translations/qtbase_de.qm", True),
        ("PySide6/Qt/translations/qtbase_zh_TW.qm", True),
        ("PySide6/Qt/translations/qtbase_fr.qm", False),
        ("PySide6\\translations\\qt_help_ar.qm", False),
        ("babel/locale-data/de_DE.dat", True),
        ("babel/locale-data/fr_MA.dat", False),
        ("babel/locale-data/en_001.dat", False),
        ("babel/locale-data/root.dat", False),
        ("PySide6/Qt/lib/libQt6Quick.so.6", True),
        ("PySide6/Qt6Qml.dll", True),
        ("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", True),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", False),
        ("translations/ar/LC_MESSAGES/messages.mo", False),
    ],
)
def test_unused_languages_and_qt_quick_are_left_out(dest: str, unwanted: bool) -> None:
    assert bundle.is_unwanted(dest) is unwanted


def test_windows_version_numbers_come_from_the_pep440_version() -> None:
    assert bundle.version_numbers("0.1.0") == (0, 1, 0, 0)
    assert bundle.version_numbers("1.2") == (1, 2, 0, 0)
    assert bundle.version_numbers("1.2.3rc1") == (1, 2, 3, 0)
    with pytest.raises(ValueError):
        bundle.version_numbers("unknown")


def test_windows_version_info_is_a_python_expression_with_the_version() -> None:
    text = bundle.windows_version_info("1.2.3", "KSM Desktop", "KSM", "ksm-desktop")
    ast.parse(text, mode="eval")  # PyInstaller eval()s the file
    assert "filevers=(1, 2, 3, 0)" in text
    assert "StringStruct('ProductVersion', '1.2.3')" in text
    assert "StringStruct('OriginalFilename', 'ksm-desktop.exe')" in text


def test_the_generated_version_module_is_importable_source(tmp_path: Path) -> None:
    (tmp_path / "ksm_desktop").mkdir()
    path = bundle.write_version_module("3.1.4", tmp_path)
    namespace: dict[str, object] = {}
    exec(compile(path.read_text("utf-8"), str(path), "exec"), namespace)
    assert namespace["VERSION"] == "3.1.4"


def test_the_installer_gets_the_version_and_its_four_numbers() -> None:
    assert bundle.iscc_defines("1.4.0rc2") == ["/DAppVersion=1.4.0rc2", "/DFileVersion=1.4.0.0"]
