"""The user guide (F1): a short page per language in resources/help, shown inside the program,
with where this computer keeps the data and the backups written in."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from ksm_desktop.i18n import _, current_language, is_rtl
from ksm_desktop.paths import HELP_DIR, default_backup_dir


def guide_html(lang: str, database: str, backups: str) -> str:
    """The guide in `lang` (French when there is none), with the two places filled in."""
    path = HELP_DIR / f"guide-{lang}.html"
    text = (path if path.is_file() else HELP_DIR / "guide-fr.html").read_text("utf-8")
    return text.replace("{database}", html.escape(database)).replace("{backups}", html.escape(backups))


class HelpDialog(QDialog):
    """Not modal: the guide stays open beside the form it explains."""

    def __init__(self, database: str, backups: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("User guide"))
        self.resize(760, 640)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box = QVBoxLayout(self)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        self.browser.setSearchPaths([str(HELP_DIR)])
        if is_rtl():
            self.browser.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.browser.setHtml(guide_html(current_language(), database, backups or str(default_backup_dir())))
        box.addWidget(self.browser)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        buttons.rejected.connect(self.close)
        box.addWidget(buttons)
