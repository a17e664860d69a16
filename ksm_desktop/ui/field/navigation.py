"""The field pages the main window adds to its navigation."""

from __future__ import annotations

from PySide6.QtWidgets import QStyle, QWidget

from ksm_desktop.i18n import _
from ksm_desktop.services import Services

SP = QStyle.StandardPixmap


def field_pages(services: Services) -> list[tuple[str, str, QWidget, QStyle.StandardPixmap]]:
    """(name, title, page, icon) of Households, Activities and Results, in navigation order."""
    from ksm_desktop.ui.field.pages import HouseholdsPage, activities_page
    from ksm_desktop.ui.field.results_page import ResultsPage

    return [
        ("households", _("Households"), HouseholdsPage(services), SP.SP_DriveHDIcon),
        ("activities", _("Activities"), activities_page(services), SP.SP_FileDialogListView),
        ("results", _("Results"), ResultsPage(services), SP.SP_FileDialogInfoView),
    ]
