"""'Vérifier une fiche': type or paste the text of a grant sheet's QR code (a scanner types it),
or the number and the code printed under it, and read whether the sheet is authentic."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from ksm_desktop.domain.errors import KsmError
from ksm_desktop.i18n import _
from ksm_desktop.services import Services

COLOURS = {"authentic": "#1e7b34", "changed": "#9a6700", "forged": "#b22222"}


class VerifySheetDialog(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setWindowTitle(_("Check a grant sheet"))
        self.resize(560, 0)
        layout = QVBoxLayout(self)
        prompt = QLabel(_("Scan the QR code of the sheet, or type its number and the code printed under it:"))
        prompt.setWordWrap(True)
        self.code = QLineEdit()
        self.code.setPlaceholderText(_("e.g. KSM-2026-0001 ABCDE FGHIJ KLMNO PQRST UVWXY Z"))
        prompt.setBuddy(self.code)
        self.answer = QLabel()
        self.answer.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.check_button = QPushButton(_("&Check"))
        self.check_button.setDefault(True)
        buttons.addButton(self.check_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.check_button.clicked.connect(self.check)
        self.code.returnPressed.connect(self.check)
        for widget in (prompt, self.code, self.answer, buttons):
            layout.addWidget(widget)

    def check(self) -> None:
        try:
            result = self.services.seals.verify(self.code.text())
        except KsmError as exc:
            self.answer.setStyleSheet("")
            self.answer.setText(exc.message)
            return
        self.answer.setStyleSheet(f"color: {COLOURS[result.outcome]}; font-weight: bold;")
        self.answer.setText(result.message)
