"""The GUI in Arabic: right to left, our labels and Qt's own buttons in Arabic, an Arabic font."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QWidget,
)

from ksm_desktop.i18n import _
from ksm_desktop.ui.language import apply_language, arabic_family, register_bundled_fonts


@pytest.fixture
def language(qapp: QApplication) -> Iterator[None]:
    """The session's QApplication goes back to English whatever the test did."""
    yield
    apply_language(qapp, "en")


def is_arabic(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all("\u0600" <= c <= "\u06ff" for c in letters)


def build_window() -> tuple[QMainWindow, QLabel, QDialogButtonBox]:
    window = QMainWindow()
    window.menuBar().addMenu(_("Programme"))
    form = QWidget()
    layout = QFormLayout(form)
    name = QLabel(_("Name"))
    layout.addRow(name, QLineEdit())
    layout.addRow(QLabel(_("CIN")), QLineEdit())
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    layout.addRow(buttons)
    window.setCentralWidget(form)
    return window, name, buttons


def test_arabic_window_is_right_to_left_with_arabic_labels_and_qt_buttons(qtbot, qapp, language) -> None:
    apply_language(qapp, "ar")
    window, name, buttons = build_window()
    qtbot.addWidget(window)
    window.show()
    assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert window.menuBar().actions()[0].text() == "البرنامج"
    assert name.text() == "الاسم"
    cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "")
    assert cancel != "Cancel" and is_arabic(cancel)  # Qt's own qtbase_ar translation
    expected_font = arabic_family(register_bundled_fonts())
    if expected_font is not None:  # bundled in resources/fonts, or installed (fonts-noto-core)
        assert qapp.font().families()[0] == expected_font
    assert QLocale().name() == "ar_MA"
    # In a right-to-left form the label sits right of its field.
    assert name.mapTo(window, name.rect().center()).x() > window.width() / 2


def test_french_then_english_restores_direction_buttons_and_font(qtbot, qapp, language) -> None:
    original_family = qapp.font().family()
    apply_language(qapp, "ar")
    apply_language(qapp, "fr")
    window, name, buttons = build_window()
    qtbot.addWidget(window)
    assert window.layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert name.text() == "Nom"
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "") == "Annuler"
    apply_language(qapp, "en")
    window, name, buttons = build_window()
    qtbot.addWidget(window)
    assert buttons.button(QDialogButtonBox.StandardButton.Cancel).text().replace("&", "") == "Cancel"
    assert qapp.font().family() == original_family


SYSTEM_ARABIC_FONTS = sorted(Path("/usr/share/fonts").rglob("NotoNaskhArabic-Regular.ttf"))


@pytest.mark.skipif(not SYSTEM_ARABIC_FONTS, reason="needs a Noto Naskh Arabic file to bundle")
def test_a_bundled_font_is_preferred_to_installed_ones(qapp: QApplication, tmp_path: Path) -> None:
    shutil.copy(SYSTEM_ARABIC_FONTS[0], tmp_path)
    (tmp_path / "README.txt").write_text("not a font")
    bundled = register_bundled_fonts(tmp_path)
    assert bundled == ["Noto Naskh Arabic"]
    assert arabic_family(bundled) == "Noto Naskh Arabic"
    assert register_bundled_fonts(tmp_path / "missing") == []
