"""Settings: the organisation profile printed on documents (shared, in the database), and this
user's language and backups folder (preferences file)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from ksm_desktop.config import Preferences
from ksm_desktop.domain.enums import Currency
from ksm_desktop.domain.typed import parse_amount
from ksm_desktop.i18n import _
from ksm_desktop.paths import default_backup_dir
from ksm_desktop.services import Services
from ksm_desktop.ui.forms.base import FormDialog
from ksm_desktop.ui.forms.fields import AmountEdit, ChoiceCombo, arabic_line_edit, check_rate

LANGUAGE_NAMES = (("Français", "fr"), ("العربية", "ar"), ("English", "en"))


class PathField(QWidget):
    """A path with a "Choose…" button (a file or a folder)."""

    def __init__(
        self, title: str, *, folder: bool, file_filter: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit()
        self.button = QPushButton(_("Choose…"))
        row.addWidget(self.edit, 1)
        row.addWidget(self.button)
        self.button.clicked.connect(lambda: self._choose(title, folder, file_filter))
        self.changed = self.edit.textChanged

    def _choose(self, title: str, folder: bool, file_filter: str) -> None:
        if folder:
            path = QFileDialog.getExistingDirectory(self, title, self.edit.text())
        else:
            path, _filter = QFileDialog.getOpenFileName(self, title, self.edit.text(), file_filter)
        if path:
            self.edit.setText(path)

    def value(self) -> str:
        return self.edit.text().strip()


class SettingsDialog(FormDialog):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, None, parent)
        self.setWindowTitle(_("Settings"))
        self.setMinimumWidth(640)
        self.prefs = Preferences.load()
        self._language_at_open = self.prefs.language
        self.restart_now = False  # the user chose another language and asked for a restart
        self.content.addWidget(self._profile_box())
        self.content.addWidget(self._user_box())
        self.load()

    def _profile_box(self) -> QGroupBox:
        box = QGroupBox(_("Organisation printed on documents (shared by all users)"))
        form = QFormLayout(box)
        self.name = self.add_row(form, _("Name"), QLineEdit(), "name", required=True)
        self.name_ar = self.add_row(form, _("Name in Arabic"), arabic_line_edit(), "name_ar")
        self.address = self.add_row(form, _("Address"), QLineEdit(), "address")
        self.phone = self.add_row(form, _("Phone"), QLineEdit(), "phone")
        self.email = self.add_row(form, _("E-mail"), QLineEdit(), "email")
        logo = QWidget()
        row = QHBoxLayout(logo)
        row.setContentsMargins(0, 0, 0, 0)
        self.logo = PathField(
            _("Choose the logo"), folder=False, file_filter=_("Images (*.png *.jpg *.jpeg)")
        )
        self.logo_preview = QLabel()
        self.logo_preview.setFixedSize(96, 64)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setStyleSheet("border: 1px solid #ccc; background: white;")
        row.addWidget(self.logo, 1)
        row.addWidget(self.logo_preview)
        self.add_row(form, _("Logo"), logo, "logo_path")
        self.watch(self.logo)
        self.logo.changed.connect(self._show_logo)
        self.signatory = self.add_row(form, _("Signatory"), QLineEdit(), "signatory_name")
        self.signatory_title = self.add_row(form, _("Signatory's title"), QLineEdit(), "signatory_title")
        self.legal_receipt = self.add_row(
            form, _("Receipt or authorisation No."), QLineEdit(), "legal_receipt"
        )
        self.tax_id = self.add_row(form, _("Tax identifier (IF)"), QLineEdit(), "tax_id")
        self.ice = self.add_row(form, _("ICE"), QLineEdit(), "ice")
        self.currency = self.add_row(
            form, _("Default currency"), ChoiceCombo((c.value, c.value) for c in Currency), "default_currency"
        )
        self.rate = self.add_row(
            form, _("Default EUR → MAD rate"), AmountEdit("eur_mad_rate"), "eur_mad_rate", required=True
        )
        self.live("eur_mad_rate", self.rate, check_rate)
        self.needs_signed_pv = QCheckBox(_("A grant is closed only once its signed PV is attached"))
        form.addRow(_("Closing grants"), self.needs_signed_pv)
        self.watch(self.needs_signed_pv)
        return box

    def _user_box(self) -> QGroupBox:
        box = QGroupBox(_("This computer"))
        form = QFormLayout(box)
        self.language = self.add_row(
            form, _("Language"), ChoiceCombo(LANGUAGE_NAMES, empty=_("System language")), "language"
        )
        note = QLabel(_("A new language is applied the next time KSM Desktop starts."))
        note.setStyleSheet("color: #5f6368;")
        form.addRow("", note)
        db = self.services.db
        location = str(db.path) if db.path else db.url
        for label, text in (
            (_("Data folder"), str(Path(location).parent) if db.path else ""),
            (_("Database"), location),
        ):
            value = QLineEdit(text)
            value.setReadOnly(True)
            form.addRow(label, value)
        self.backup_dir = self.add_row(
            form, _("Backups folder"), PathField(_("Choose the backups folder"), folder=True), "backup_dir"
        )
        self.watch(self.backup_dir)
        return box

    def load(self) -> None:
        self._loading = True
        p = self.services.settings.profile()
        self.name.setText(p.name)
        self.name_ar.setText(p.name_ar)
        self.address.setText(p.address)
        self.phone.setText(p.phone)
        self.email.setText(p.email)
        self.logo.edit.setText(p.logo_path)
        self.signatory.setText(p.signatory_name)
        self.signatory_title.setText(p.signatory_title)
        self.legal_receipt.setText(p.legal_receipt)
        self.tax_id.setText(p.tax_id)
        self.ice.setText(p.ice)
        self.currency.set_value(p.default_currency)
        self.rate.set_value(p.rate, places=4)
        self.needs_signed_pv.setChecked(self.services.settings.close_needs_signed_pv())
        self.language.set_value(self.prefs.language or None)
        self.backup_dir.edit.setText(self.prefs.backup_dir)
        # the folder really used for this database (next to it unless one is chosen here)
        used = self.services.db.backup_dir or default_backup_dir()
        self.backup_dir.edit.setPlaceholderText(str(used))
        self._loading = False
        self._show_logo(p.logo_path)
        self.refresh()

    def _show_logo(self, path: str) -> None:
        pixmap = QPixmap(path) if path and Path(path).is_file() else QPixmap()
        if pixmap.isNull():
            self.logo_preview.setText(_("No logo") if not path else _("Not an image"))
        else:
            self.logo_preview.setPixmap(
                pixmap.scaled(
                    self.logo_preview.size(),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        bad = bool(path) and pixmap.isNull()
        self.set_live_error("logo_path", _("This file cannot be read as an image.") if bad else None)
        self.refresh()

    def do_save(self) -> int:
        profile = self.services.settings.profile()
        profile.name = self.name.text()
        profile.name_ar = self.name_ar.text()
        profile.address = self.address.text()
        profile.phone = self.phone.text()
        profile.email = self.email.text()
        profile.logo_path = self.logo.value()
        profile.signatory_name = self.signatory.text()
        profile.signatory_title = self.signatory_title.text()
        profile.legal_receipt = self.legal_receipt.text().strip()
        profile.tax_id = self.tax_id.text().strip()
        profile.ice = self.ice.text().strip()
        profile.default_currency = str(self.currency.value())
        profile.eur_mad_rate = str(parse_amount(self.rate.text(), field="eur_mad_rate"))
        self.services.settings.save_profile(profile)
        if self.needs_signed_pv.isChecked() != self.services.settings.close_needs_signed_pv():
            self.services.settings.set_close_needs_signed_pv(self.needs_signed_pv.isChecked())
        self.prefs.language = str(self.language.value() or "")
        self.prefs.backup_dir = self.backup_dir.value()
        self.prefs.save()
        return 0

    def after_save(self) -> None:
        chosen = self.prefs.language
        self.load()
        if chosen != self._language_at_open:
            self.restart_now = (
                QMessageBox.question(
                    self,
                    _("Language"),
                    _("The new language shows once KSM Desktop starts again. Restart it now?"),
                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                    QMessageBox.StandardButton.Yes,
                )
                == QMessageBox.StandardButton.Yes
            )
        self.accept()
