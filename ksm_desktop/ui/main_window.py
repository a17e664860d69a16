"""Main window (first cut: key counts; the full window comes with the GUI issue)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow

from ksm_desktop.i18n import _
from ksm_desktop.services import Services


class MainWindow(QMainWindow):
    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.setWindowTitle(_("KSM Desktop"))
        counts = services.figures.counts()
        self.setCentralWidget(QLabel(_("{organisations} organisations, {persons} persons").format(**counts)))
