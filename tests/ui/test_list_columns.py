"""Lists that can be read on an office laptop (1366×768): names get the room, short columns fit
their content, nothing scrolls sideways, and widths the user sets are kept for that list."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QSettings

from ksm_desktop.services import ListQuery, Services
from ksm_desktop.ui.list_page import ListPage
from ksm_desktop.ui.main_window import MainWindow
from tests.ui.conftest import loaded

LAPTOP = (1366, 768)


def _laptop_window(demo: Services, qtbot: Any) -> MainWindow:
    window = MainWindow(demo)
    qtbot.addWidget(window)
    window.resize(*LAPTOP)
    window.show()
    qtbot.waitExposed(window)
    return window


def _page(window: MainWindow, qtbot: Any, name: str) -> ListPage:
    window.show_page(name)
    page = loaded(qtbot, window.list_page(name))
    qtbot.waitUntil(lambda: page._columns_sized, timeout=5000)
    return page


def _widths(page: ListPage) -> dict[str, int]:
    header = page.table.horizontalHeader()
    return {column.title: header.sectionSize(n) for n, column in enumerate(page.model.columns)}


def _fits(page: ListPage) -> bool:
    return sum(_widths(page).values()) <= page.table.viewport().width()


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_organisation_names_get_the_room_at_1366(demo: Services, qtbot: Any, qapp: Any, lang: str) -> None:
    from ksm_desktop.i18n import _
    from ksm_desktop.ui.language import apply_language

    apply_language(qapp, lang)
    try:
        page = _page(_laptop_window(demo, qtbot), qtbot, "organisations")
        widths = _widths(page)
        assert _fits(page), widths
        assert widths[_("Name")] >= 280 and widths[_("Status")] <= 130, widths
        column = [c.title for c in page.model.columns].index(_("Name"))
        room = page.table.horizontalHeader().sectionSize(column)
        metrics = page.table.fontMetrics()
        names = [page.model.rows[r].name for r in range(min(24, page.model.rowCount()))]
        whole = [name for name in names if metrics.horizontalAdvance(name) + 12 <= room]
        assert len(whole) >= 0.8 * len(names), set(names) - set(whole)  # not "Association A…"
    finally:
        apply_language(qapp, "fr")


@pytest.mark.parametrize("name", ["members", "programmes", "grants"])
def test_every_list_fits_the_laptop_width(demo: Services, qtbot: Any, name: str) -> None:
    page = _page(_laptop_window(demo, qtbot), qtbot, name)
    assert _fits(page), _widths(page)


def test_a_width_the_user_sets_is_remembered_for_that_list(demo: Services, qtbot: Any) -> None:
    window = _laptop_window(demo, qtbot)
    page = _page(window, qtbot, "organisations")
    header = page.table.horizontalHeader()
    header.resizeSection(2, 260)  # as when the user drags the border of "Type"
    window.resize(1280, 720)  # a user's width is not refitted to the window
    QCoreApplication.processEvents()  # the resize and any refit it would cause, delivered
    assert header.sectionSize(2) == 260
    window.close()
    assert QSettings().value("lists/organisations/own_widths", type=bool)

    again = _page(_laptop_window(demo, qtbot), qtbot, "organisations")
    assert again.table.horizontalHeader().sectionSize(2) == 260
    other = _page(again.window(), qtbot, "grants")  # type: ignore[arg-type]
    assert other.table.horizontalHeader().sectionSize(2) != 260 or _fits(other)


def test_the_organisation_grants_tab_shows_amounts_and_statuses(demo: Services, qtbot: Any) -> None:
    from ksm_desktop.ui.forms.organisation_dialog import OrganisationDialog

    org = max(
        demo.organisations.search(ListQuery(limit=None)).rows,
        key=lambda r: demo.grants.search(ListQuery(filters={"organisation_id": r.id}, limit=None)).total,
    )
    dialog = OrganisationDialog(demo, org.id)
    qtbot.addWidget(dialog, before_close_func=lambda w: setattr(w, "dirty", False))
    dialog.resize(900, 640)
    dialog.show()
    dialog.tabs.setCurrentIndex(2)
    qtbot.waitExposed(dialog)
    table = dialog.grants
    assert table.rowCount() > 0
    header = table.horizontalHeader()
    assert sum(header.sectionSize(n) for n in range(header.count())) <= table.viewport().width()
    assert table.horizontalScrollBar().maximum() == 0
    for column in (3, 4):  # status, amount: whole
        assert header.sectionSize(column) >= table.sizeHintForColumn(column), table.item(0, column).text()
    assert table.item(0, 2).toolTip() == table.item(0, 2).text()
