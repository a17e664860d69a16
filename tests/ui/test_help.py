"""F1: the user guide opens inside the program in the user's language, with its screenshots and
the places where this computer keeps the data and the backups; it ships in the bundle."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QTextDocument

from ksm_desktop.paths import HELP_DIR, ROOT
from ksm_desktop.services import Services
from ksm_desktop.ui.help import HelpDialog, guide_html
from ksm_desktop.ui.main_window import MainWindow


def test_f1_opens_the_guide_with_this_computers_places(demo: Services, qtbot: Any) -> None:
    window = MainWindow(demo)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert QKeySequence(Qt.Key.Key_F1) in window.help_action.shortcuts()
    window.help_action.trigger()  # what F1 does
    guide = window.help_dialog
    assert isinstance(guide, HelpDialog) and guide.isVisible()
    text = guide.browser.toPlainText()
    assert "User guide" in text and "Esc" in text
    assert (
        str(demo.db.backup_dir or "") in text and (str(demo.db.path) if demo.db.path else demo.db.url) in text
    )
    guide.close()


@pytest.mark.parametrize(
    ("lang", "title"), [("fr", "Guide de l’utilisateur"), ("ar", "دليل المستخدم"), ("en", "User guide")]
)
def test_each_language_has_its_guide_with_ten_tasks_and_pictures(lang: str, title: str) -> None:
    page = guide_html(lang, "/data/ksm.sqlite3", "/data/backups")
    assert title in page and page.count("<li><b>") >= 10 and "/data/backups" in page
    images = [part.split('"')[1] for part in page.split("<img src=")[1:]]
    assert len(images) >= 3 and all((HELP_DIR / name).is_file() for name in images)
    document = QTextDocument()
    document.setHtml(page)
    assert document.toPlainText().count("\n") > 20


def test_the_guide_ships_in_the_bundle() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("bundle_support", ROOT / "packaging" / "bundle_support.py")
    assert spec is not None and spec.loader is not None
    support = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(support)
    # Windows paths have backslashes: compared as POSIX paths.
    shipped = {PurePath(dest, PurePath(src).name).as_posix() for src, dest in support.data_files(ROOT)}
    for name in ("guide-fr.html", "guide-ar.html", "guide-en.html", "img/grant-fr.png"):
        assert any(entry.endswith("resources/help/" + name) for entry in shipped), name
