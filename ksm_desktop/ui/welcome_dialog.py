"""The very first start (no database yet): what the program is, and how to begin — with KSM's demo
portfolio to discover it, or with an empty database for real work."""

from __future__ import annotations

from PySide6.QtWidgets import QCommandLinkButton, QDialog, QLabel, QVBoxLayout, QWidget

from ksm_desktop.i18n import _


class WelcomeDialog(QDialog):
    """`exec()` returns Accepted with `load_demo` set by the button the user chose."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.load_demo = False
        self.setWindowTitle(_("Welcome to KSM Desktop"))
        intro = QLabel(
            _(
                "<h3>Welcome to KSM Desktop</h3>"
                "<p>The registry of Karama Solidarity Maroc: the organisations it supports and their "
                "members, the programmes and their donors, the equipment grants and the records people "
                "sign. Everything stays in one database on this computer.</p>"
                "<p>There is no database yet. How do you want to begin?</p>"
            )
        )
        intro.setWordWrap(True)
        self.demo_button = QCommandLinkButton(
            _("Load the demo portfolio"),
            _("KSM's programmes with fictitious members and grants, to discover the program."),
        )
        self.empty_button = QCommandLinkButton(
            _("Start with an empty database"),
            _("For real work: you enter your own organisations, programmes and grants."),
        )
        self.demo_button.clicked.connect(lambda: self._choose(True))
        self.empty_button.clicked.connect(lambda: self._choose(False))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.demo_button)
        layout.addWidget(self.empty_button)
        layout.addStretch(1)
        self.setMinimumWidth(520)

    def _choose(self, demo: bool) -> None:
        self.load_demo = demo
        self.accept()
