"""Settings: the shared organisation profile and this computer's preferences, saved and reloaded."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QMessageBox

from ksm_desktop.config import Preferences
from ksm_desktop.db.engine import Database
from ksm_desktop.services import Actor, Services
from ksm_desktop.ui.settings_dialog import SettingsDialog
from tests.ui.forms_support import answer, track


@pytest.fixture
def services(db: Database) -> Services:
    """Shared settings are the administrator's to change (enforced by SettingService)."""
    return Services(db, Actor("amina", "admin"))


def test_settings_saved_and_reloaded(qtbot, services: Services, tmp_path: Path, monkeypatch) -> None:
    answer(monkeypatch, QMessageBox.StandardButton.No)  # "restart now?" for the new language
    logo = tmp_path / "logo.png"
    image = QImage(40, 20, QImage.Format.Format_RGB32)
    image.fill(QColor("darkgreen"))
    assert image.save(str(logo))
    dialog = track(qtbot, SettingsDialog(services, None))
    dialog.address.setText("12 rue Oued Ziz, Errachidia")
    dialog.phone.setText("0535 57 12 34")
    dialog.email.setText("contact@ksm.ma")
    dialog.logo.edit.setText(str(logo))
    assert dialog.logo_preview.pixmap() is not None and not dialog.logo_preview.pixmap().isNull()
    dialog.signatory.setText("Amina Tazi")
    dialog.currency.set_value("MAD")
    dialog.rate.setText("10.9")
    dialog.language.set_value("ar")
    dialog.backup_dir.edit.setText(str(tmp_path / "backups"))
    assert not dialog.needs_signed_pv.isChecked()
    dialog.show()
    dialog.needs_signed_pv.setFocus()
    qtbot.keyClick(dialog.needs_signed_pv, Qt.Key.Key_Space)  # ticked from the keyboard
    assert dialog.save()
    assert services.settings.close_needs_signed_pv()

    profile = services.settings.profile()
    assert profile.phone == "+212535571234" and profile.eur_mad_rate == "10.9000"
    assert profile.default_currency == "MAD" and profile.logo_path == str(logo)
    prefs = Preferences.load()
    assert prefs.language == "ar" and prefs.backup_dir == str(tmp_path / "backups")

    again = track(qtbot, SettingsDialog(services, None))
    assert again.signatory.text() == "Amina Tazi"
    assert again.language.value() == "ar" and again.currency.value() == "MAD"
    assert again.phone.text() == "+212535571234" and again.needs_signed_pv.isChecked()


def test_a_bad_email_is_shown_under_its_field_and_nothing_saved(qtbot, services: Services) -> None:
    dialog = track(qtbot, SettingsDialog(services, None))
    dialog.email.setText("contact ksm.ma")
    dialog.signatory.setText("Quelqu'un")
    assert not dialog.save()
    assert "not a valid e-mail" in dialog._errors["email"].text()
    assert services.settings.profile().signatory_name == ""
    assert Preferences.load().language == ""


def test_a_file_that_is_not_an_image_blocks_saving(qtbot, services: Services, tmp_path: Path) -> None:
    text = tmp_path / "logo.png"
    text.write_text("not an image")
    dialog = track(qtbot, SettingsDialog(services, None))
    dialog.logo.edit.setText(str(text))
    assert not dialog.save_button.isEnabled()
    assert dialog._errors["logo_path"].isVisibleTo(dialog)


def test_the_database_in_use_is_shown(qtbot, services: Services) -> None:
    from PySide6.QtWidgets import QLineEdit

    dialog = track(qtbot, SettingsDialog(services, None))
    shown = [e.text() for e in dialog.findChildren(QLineEdit) if e.isReadOnly()]
    assert str(services.db.path or services.db.url) in shown


def test_a_new_language_offers_to_restart_now(qtbot, services: Services, monkeypatch) -> None:
    from ksm_desktop.ui.main_window import MainWindow

    asked = answer(monkeypatch, QMessageBox.StandardButton.Yes)
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()

    def choose_arabic(dialog: SettingsDialog) -> int:
        dialog.language.set_value("ar")
        assert dialog.save()
        return 1

    monkeypatch.setattr(SettingsDialog, "exec", choose_arabic)
    window.settings_action.trigger()
    assert len(asked) == 1 and window.restart_requested and not window.isVisible()
    assert Preferences.load().language == "ar"


def test_saving_without_changing_the_language_asks_nothing(qtbot, services: Services, monkeypatch) -> None:
    asked = answer(monkeypatch, QMessageBox.StandardButton.Yes)
    dialog = track(qtbot, SettingsDialog(services, None))
    dialog.signatory.setText("Amina Tazi")
    assert dialog.save() and asked == [] and not dialog.restart_now


def test_the_restart_runs_the_same_command_without_its_language_option() -> None:
    import sys

    from ksm_desktop.ui.language import relaunch_command

    assert relaunch_command(["-m", "ksm_desktop", "--lang", "fr", "--db", "x.sqlite3"], frozen=False) == [
        sys.executable,
        "-m",
        "ksm_desktop",
        "--db",
        "x.sqlite3",
    ]
    assert relaunch_command(["--lang=en"], frozen=True) == [sys.executable]
