"""The main window: pages, menus, status bar, remembered layout, About, settings and print."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QToolBar

from ksm_desktop import __version__
from ksm_desktop.services import Services
from ksm_desktop.ui import window_tools
from ksm_desktop.ui.main_window import MainWindow
from ksm_desktop.ui.workers import wait_for_jobs
from tests.ui.conftest import loaded


def test_window_opens_on_the_dashboard_with_five_pages(window: MainWindow, qtbot: Any) -> None:
    titles = [window.nav.item(row).text() for row in range(window.nav.count())]
    assert titles == [
        "Dashboard",
        "Organisations",
        "People",
        "Programmes",
        "Grants",
        "Households",
        "Activities",
        "Results",
        "Duplicates",
    ]
    assert window.stack.currentWidget() is window.dashboard
    counts = window.services.figures.counts()
    qtbot.waitUntil(lambda: window.dashboard.data is not None, timeout=15_000)
    assert window.dashboard.cards["organisations"].value.text() == str(counts["organisations"])
    assert window.dashboard.cards["grants"].detail.text()
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus == ["&File", "&Edit", "&View", "&Tools", "&Help"]


def test_every_navigation_entry_and_toolbar_button_has_its_own_icon(window: MainWindow) -> None:
    """Drawn from the PNGs shipped in resources/icons/ui (a missing file would leave a blank), each
    with its double-size image for high-density screens, no two alike."""
    toolbar = window.findChild(QToolBar, "mainToolbar")
    assert toolbar is not None
    icons = [window.nav.item(row).icon() for row in range(window.nav.count())]
    icons += [action.icon() for action in toolbar.actions()]
    assert len(icons) == 9 + 3
    images = []
    for icon in icons:
        assert QSize(20, 20) in icon.availableSizes() and QSize(40, 40) in icon.availableSizes()
        image = icon.pixmap(QSize(20, 20)).toImage()
        assert not image.isNull()
        images.append(bytes(image.constBits()))
    assert len(set(images)) == len(images)


def test_a_page_is_built_when_first_shown_and_kept(window: MainWindow, qtbot: Any) -> None:
    """The window opens on the dashboard alone; each other page is made on its first visit."""
    assert list(window.pages) == ["dashboard"]
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)  # Grants
    grants = window.stack.currentWidget()
    assert list(window.pages) == ["dashboard", "grants"] and window.current_list() is grants
    loaded(qtbot, window.list_page("grants"))
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is grants  # the same page, not a new one


def test_status_bar_shows_the_database_and_the_user(window: MainWindow, demo: Services) -> None:
    assert demo.db.url in window.db_label.text()
    assert demo.actor.username in window.user_label.text()
    assert "(Agent)" in window.user_label.text()


def test_navigation_by_keyboard_and_find_focuses_the_search(window: MainWindow, qtbot: Any) -> None:
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_list() is window.list_page("members")
    window.activateWindow()
    window.find_action.trigger()
    assert window.list_page("members").search_edit.hasFocus()


def test_new_and_export_need_a_list_and_print_says_why_it_is_off(window: MainWindow) -> None:
    assert not window.new_action.isEnabled() and not window.export_action.isEnabled()
    window.show_page("grants")
    assert window.new_action.isEnabled() and window.export_action.isEnabled()
    assert not window.print_action.isEnabled()
    assert window.print_action.toolTip()
    assert window.print_action.shortcut().toString() == "Ctrl+P"


def test_f5_reads_the_list_again(window: MainWindow, demo: Services, qtbot: Any) -> None:
    from ksm_desktop.services.dto import OrganisationInput

    page = loaded(qtbot, window.list_page("organisations"))
    window.show_page("organisations")
    before = page.model.rowCount()
    demo.organisations.create(OrganisationInput(kind="association", name="Association Tafilalet"))
    qtbot.keyClick(window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: page.model.rowCount() == before + 1)


def test_layout_is_remembered_between_two_windows(demo: Services, qtbot: Any) -> None:
    first = MainWindow(demo)
    qtbot.addWidget(first)
    first.show()
    first.resize(720, 520)  # within the offscreen screen (800×600)
    first.splitter.setSizes([250, 470])
    members = loaded(qtbot, first.list_page("members"))
    first.show_page("members")
    members.table.horizontalHeader().resizeSection(0, 217)
    size, splitter = first.size(), first.splitter.sizes()
    assert size.height() == 520 and size != QSize(1280, 800)  # not the default size
    first.close()
    wait_for_jobs()

    second = MainWindow(demo)
    qtbot.addWidget(second)
    second.show()
    assert second.size() == size
    assert second.splitter.sizes() == splitter
    page = loaded(qtbot, second.list_page("members"))
    assert page.table.horizontalHeader().sectionSize(0) == 217


def test_about_names_version_database_and_schema(window: MainWindow, demo: Services) -> None:
    from ksm_desktop.db.storage import schema_report

    text = window_tools.about_text(window)
    assert __version__ in text and demo.db.url in text
    assert str(schema_report(demo.db)["revision"]) in text


def test_tools_settings_opens_the_settings_dialog(window: MainWindow, calls: Any) -> None:
    opened = calls("ksm_desktop.ui.settings_dialog", "SettingsDialog")

    class FakeDialog:
        def __init__(self, services: Services, parent: Any) -> None:
            opened.append((services, parent))

        def exec(self) -> int:
            return 0

        restart_now = False

    import sys

    sys.modules["ksm_desktop.ui.settings_dialog"].SettingsDialog = FakeDialog  # type: ignore[attr-defined]
    window.settings_action.trigger()
    assert opened == [(window.services, window)]
