"""The Print button of a form: a click prints the main document, its menu lists the other
documents and the language they are printed in (French, Arabic or English, whatever the screen's)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from ksm_desktop.i18n import LANGUAGES, _, current_language

# Each language named in itself: the person choosing may not read the screen's language.
LANGUAGE_NAMES = {"fr": "Français", "ar": "العربية", "en": "English"}


class PrintButton(QToolButton):
    """`add_document` adds a document to the menu (the first one is the button's own action)."""

    def __init__(self, owner: QWidget) -> None:
        super().__init__(owner)
        self.owner = owner
        self.setObjectName("printButton")
        self.setProperty("reading", True)  # stays usable on a read-only form
        self.setText(_("Print"))
        self.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.menu_ = QMenu(self)
        self.menu_.setToolTipsVisible(True)
        self.setMenu(self.menu_)
        self.menu_.addSection(_("Documents"))
        self._languages = self.menu_.addSection(_("Document language"))
        self._main: QAction | None = None
        self.clicked.connect(self._print_main)
        self.language = current_language()
        group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for lang in LANGUAGES:
            action = self.menu_.addAction(LANGUAGE_NAMES.get(lang, lang))
            action.setCheckable(True)
            action.setChecked(lang == self.language)
            action.triggered.connect(lambda _c=False, code=lang: setattr(self, "language", code))
            group.addAction(action)
            self.language_actions[lang] = action

    def add_document(
        self, text: str, slot: Callable[[], object], shortcut: QKeySequence | None = None
    ) -> QAction:
        action = QAction(text, self.owner)
        if shortcut is not None:
            action.setShortcut(shortcut)
            self.owner.addAction(action)  # the shortcut works with the menu closed
        action.triggered.connect(lambda _c=False: slot())
        self.menu_.insertAction(self._languages, action)
        self._main = self._main or action
        return action

    def _print_main(self) -> None:
        if self._main is not None and self._main.isEnabled():
            self._main.trigger()
