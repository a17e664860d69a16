"""Printing field documents with the shared print runner (rendered off the GUI thread, opened
in the PDF viewer)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ksm_desktop.services import Services
from ksm_desktop.ui.printing import PrintJob, _start


def print_attendance(
    parent: QWidget | None, services: Services, activity_id: int, lang: str | None = None
) -> PrintJob:
    from ksm_desktop.reports import render_activity_attendance

    return _start(
        parent, f"presence-{activity_id}", lambda: render_activity_attendance(services, activity_id, lang)
    )
