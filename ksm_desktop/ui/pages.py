"""The pages of the main window's navigation after the dashboard, each built the first time it is
shown.

`main_window` only knows their names, titles and icons (`PAGES`), so the window can be on screen
before SQLAlchemy, the services and the page modules are even imported; it builds the dashboard
itself, and this module (imported off the GUI thread once the first figures are shown) the others.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ksm_desktop.services import Services
from ksm_desktop.ui.duplicates_page import DuplicatesPage
from ksm_desktop.ui.fieldwork.pages import HouseholdsPage, activities_page
from ksm_desktop.ui.fieldwork.results_page import ResultsPage
from ksm_desktop.ui.list_page import ListPage
from ksm_desktop.ui.list_specs import GRANTS, MEMBERS, ORGANISATIONS, PROGRAMMES

LIST_SPECS = {"organisations": ORGANISATIONS, "members": MEMBERS, "programmes": PROGRAMMES, "grants": GRANTS}


def build_page(name: str, services: Services) -> QWidget:
    """The page called `name` in `main_window.PAGES` (the dashboard aside), working on `services`."""
    if name in LIST_SPECS:
        return ListPage(LIST_SPECS[name], services)
    if name == "households":
        return HouseholdsPage(services)
    if name == "activities":
        return activities_page(services)
    if name == "results":
        return ResultsPage(services)
    if name == "duplicates":
        return DuplicatesPage(services)
    raise KeyError(name)
