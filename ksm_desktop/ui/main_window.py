"""The window a programme officer keeps open all day: navigation, the dashboard and the list
pages, menus, toolbar and status bar, with its size, splitter and columns remembered between runs
(what the menus open over the whole window is in ui/window_tools.py).

The window is on screen before the database is open: it starts as a shell that says so, and
`set_services` builds the dashboard once the database is ready and the user signed in; every other
page (ui/pages.py) is built the first time it is shown, its module imported off the GUI thread
after the first figures. This module imports neither SQLAlchemy nor the services, so nothing heavy
stands before the window; it does not even touch PySide's `Qt` namespace, whose enums take longer
to create (about 80 ms) than the rest of the window.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from PySide6.QtCore import QByteArray, QSettings, QSize, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from ksm_desktop import APP_NAME
from ksm_desktop.i18n import N_, _
from ksm_desktop.ui import window_tools
from ksm_desktop.ui.icons import ui_icon

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent, QPaintEvent

    from ksm_desktop.services import Services
    from ksm_desktop.ui.dashboard_page import DashboardPage, DashboardSource
    from ksm_desktop.ui.help import HelpDialog
    from ksm_desktop.ui.list_page import ListPage

# The other pages' modules are imported this long after the first figures, which are painted first.
PREPARE_PAGES_AFTER_MS = 500


@runtime_checkable
class Refreshable(Protocol):
    """A page that can read its data again (F5)."""

    def refresh(self) -> None: ...


@dataclass(frozen=True)
class PageDef:
    """One entry of the navigation; `MainWindow.page(name)` makes its widget on first use."""

    name: str
    title: str  # N_() msgid, translated when shown
    icon: str  # resources/icons/ui/ICON.png


PAGES: list[PageDef] = [
    PageDef("dashboard", N_("Dashboard"), "layout-dashboard"),
    PageDef("organisations", N_("Organisations"), "building-community"),
    PageDef("members", N_("People"), "users"),
    PageDef("programmes", N_("Programmes"), "briefcase"),
    PageDef("grants", N_("Grants"), "gift"),
    PageDef("households", N_("Households"), "home"),
    PageDef("activities", N_("Activities"), "calendar-event"),
    PageDef("results", N_("Results"), "target"),
    PageDef("duplicates", N_("Duplicates"), "copy"),
]


class MainWindow(QMainWindow):
    """`MainWindow()` is the shell shown while the database opens; `set_services` fills it."""

    ready = Signal()  # the dashboard is built on an open database and a signed-in user
    figures_shown = Signal()  # the dashboard shows figures (the first ones may come before `ready`)
    first_painted = Signal()  # the window has painted itself once: the start-up steps may begin

    def __init__(self, services: Services | None = None) -> None:
        super().__init__()
        self.restart_requested = False  # Settings: a new language, shown after a restart
        self.services: Services | None = None
        self.dashboard: DashboardPage | None = None
        self.lists: dict[str, ListPage] = {}  # the list pages built so far
        self.pages: dict[str, QWidget] = {}  # the pages built so far, by name
        self.help_dialog: HelpDialog | None = None  # F1's guide, kept open beside the window
        self.painted = False
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_NAME)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setSpacing(2)
        for page in PAGES:
            QListWidgetItem(ui_icon(page.icon), _(page.title), self.nav)
        self.nav.setMinimumWidth(self.nav.sizeHintForColumn(0) + 24)
        self.nav.currentRowChanged.connect(self._show_page)
        self.stack = QStackedWidget()
        self.opening = QWidget()  # "Opening the database…" in the middle, until set_services
        self.opening_label = QLabel(_("Opening the database…"))
        self.opening_label.setWordWrap(True)
        self.opening_label.setMaximumWidth(640)
        self.busy = QProgressBar()  # no end known: it moves to say the program is working
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(8)
        self.retry_button = QPushButton(_("Try again"))  # shown when the opening failed
        self.quit_button = QPushButton(_("Quit"))
        failed = QHBoxLayout()
        failed.addStretch(1)
        failed.addWidget(self.retry_button)
        failed.addWidget(self.quit_button)
        centred = QGridLayout(self.opening)  # stretch around, not Qt.AlignCenter: see module docstring
        centred.addWidget(self.opening_label, 1, 1)
        centred.addWidget(self.busy, 2, 1)
        centred.addLayout(failed, 3, 1)
        self.show_opening(_("Opening the database…"))
        for row in (0, 4):
            centred.setRowStretch(row, 1)
        for column in (0, 2):
            centred.setColumnStretch(column, 1)
        self.stack.addWidget(self.opening)
        self.splitter = QSplitter()
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(1, False)
        self.splitter.setSizes([190, 1000])
        self.setCentralWidget(self.splitter)
        self._build_actions()
        self._build_menus_and_toolbar()
        self._build_status_bar()
        self.resize(1280, 800)
        self.restore_settings()
        if services is not None:
            self.set_services(services)

    # --- the shell, before the pages --------------------------------------------------------

    def show_opening(self, text: str) -> None:
        """The shell says what it waits for, its bar moving (behind the first figures, if shown)."""
        self.opening_label.setText(text)
        self.busy.show()
        self.retry_button.hide()
        self.quit_button.hide()

    def show_failure(self, text: str) -> None:
        """The opening failed: the shell says why and offers to try again or to quit, never waits on."""
        self.stack.setCurrentWidget(self.opening)
        self.opening_label.setText(text)
        self.busy.hide()
        self.retry_button.show()
        self.quit_button.show()
        self.retry_button.setFocus()

    # --- pages --------------------------------------------------------------------------------

    def set_services(self, services: Services) -> None:
        """Work on this database as this user (at start, after a restore): every page is rebuilt."""
        row = max(self.nav.currentRow(), 0)
        if self.lists:
            self._save_list_states(QSettings())
        self.services = services
        self._new_dashboard()
        self._update_status_and_rights()
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(row)
        self.nav.blockSignals(False)
        self._show_page(row)
        self.ready.emit()

    def show_first_figures(self, first: DashboardSource) -> None:
        """The figures read before the services are ready (db/first_figures.py), on the dashboard
        page that `set_services` then keeps; nothing once the services have come first."""
        from ksm_desktop.ui.dashboard_page import DashboardPage

        if self.services is not None or self.dashboard is not None:
            return
        self.dashboard = self._dashboard_page(DashboardPage(first, filters=False))  # shows them at once
        self.stack.setCurrentWidget(self.dashboard)
        self.figures_shown.emit()

    def _new_dashboard(self) -> None:
        """The dashboard on `self.services`, in place of every previous page (the first figures'
        page is kept, given the services' figures)."""
        from ksm_desktop.ui.dashboard_page import DashboardPage

        assert self.services is not None
        first = self.dashboard if self.dashboard is not None and not self.dashboard.attached else None
        while (old := self.stack.widget(0)) is not None:
            self.stack.removeWidget(old)
            if old is not self.opening and old is not first:
                old.deleteLater()
        self.pages, self.lists = {}, {}
        if first is not None:
            first.attach(self.services.dashboard)
            self.dashboard = first
        else:
            self.dashboard = self._dashboard_page(DashboardPage(self.services.dashboard))
        self.pages["dashboard"] = self.dashboard
        self.stack.addWidget(self.dashboard)

    def _dashboard_page(self, page: DashboardPage) -> DashboardPage:
        page.open_list.connect(self.open_filtered_list)
        page.refreshed.connect(self.figures_shown)
        page.refreshed.connect(self._prepare_pages)
        self.stack.addWidget(page)
        return page

    def _prepare_pages(self) -> None:
        """A moment after the first figures (once painted): the other pages' modules imported off
        the GUI thread, so that showing one only builds its widgets."""
        if self.dashboard is not None:
            self.dashboard.refreshed.disconnect(self._prepare_pages)
        QTimer.singleShot(PREPARE_PAGES_AFTER_MS, self._import_pages)

    def _import_pages(self) -> None:
        from ksm_desktop.ui.workers import run_in_background

        run_in_background(
            lambda: importlib.import_module("ksm_desktop.ui.pages"), lambda _module: None, owner=self
        )

    def page(self, name: str) -> QWidget:
        """The page called `name` in `PAGES`, built on first use."""
        if name in self.pages:
            return self.pages[name]
        from ksm_desktop.ui.list_page import ListPage
        from ksm_desktop.ui.pages import build_page

        assert self.services is not None and self.dashboard is not None
        widget = self.pages[name] = build_page(name, self.services)
        self.stack.addWidget(widget)
        if isinstance(widget, ListPage):
            self.lists[name] = widget
            widget.restore_state(QSettings())
            widget.saved.connect(self.dashboard.load_programmes)  # figures (and programme choices) follow
            widget.selection_changed.connect(self._update_print_action)
        return widget

    def list_page(self, name: str) -> ListPage:
        """The list page called `name` ("organisations", "members", …), built on first use."""
        self.page(name)
        return self.lists[name]

    def open_filtered_list(self, kind: str, filters: dict[str, object]) -> None:
        """A dashboard click: that list, showing exactly those filters (once the services are ready)."""
        if self.services is None:
            return
        page = self.list_page(kind)
        self.show_page(kind)
        page.apply_filters(filters)

    def current_list(self) -> ListPage | None:
        page = self.stack.currentWidget()
        return next((p for p in self.lists.values() if p is page), None)

    def show_page(self, name: str) -> None:
        """Select a page by name: "dashboard" or a list name ("organisations", "members", …)."""
        self.nav.setCurrentRow(next(i for i, page in enumerate(PAGES) if page.name == name))

    def _show_page(self, row: int) -> None:
        if self.services is None:  # still opening: the message stays
            return
        self.stack.setCurrentWidget(self.page(PAGES[row].name))
        page = self.current_list()
        for action in (self.find_action, self.export_action):
            action.setEnabled(page is not None)
        self.new_action.setEnabled(page is not None and self.services.actor.can_write)
        self._update_print_action()
        if page is not None:
            page.start()
            page.table.setFocus()

    # --- actions ------------------------------------------------------------------------------

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence.StandardKey | str | None = None,
        icon: str | None = None,
    ) -> QAction:
        """An action of the window. Shortcuts go through `setShortcuts`: a standard key gets every
        binding of the platform, and PySide's `setShortcut` overloads would create the `Qt` enums."""
        action = QAction(text, self)
        if isinstance(shortcut, QKeySequence.StandardKey):
            action.setShortcuts(shortcut)
        elif shortcut is not None:
            action.setShortcuts([QKeySequence(shortcut)])
        if icon is not None:
            action.setIcon(ui_icon(icon))
        action.triggered.connect(slot)
        return action

    def _go_to(self, row: int) -> Callable[[], None]:
        """A slot that opens the page of navigation row `row` (no argument: Qt passes none)."""
        return lambda: self.nav.setCurrentRow(row)

    def _build_actions(self) -> None:
        self.new_action = self._action(
            _("&New…"),
            lambda: self._on_list(lambda page: page.create_new()),
            QKeySequence.StandardKey.New,
            "plus",
        )
        self.new_action.setToolTip(_("Add a record to the current list (Ctrl+N)"))
        self.export_action = self._action(
            _("&Export…"), lambda: self._on_list(lambda page: page.export()), "Ctrl+E", "table-export"
        )
        self.export_action.setToolTip(_("Export the current list to Excel or CSV"))
        self.print_action = self._action(
            _("&Print…"),
            lambda: self._on_list(lambda page: page.print_selected()),
            QKeySequence.StandardKey.Print,
        )
        self.report_action = self._action(
            _("Programme &report…"), lambda: window_tools.print_programme_report(self)
        )
        self.report_action.setToolTip(_("The donor report of the programme selected in the Programmes list"))
        self.quit_action = self._action(_("&Quit"), self.close, QKeySequence.StandardKey.Quit)
        self.find_action = self._action(
            _("&Find"), lambda: self._on_list(lambda page: page.focus_search()), QKeySequence.StandardKey.Find
        )
        self.refresh_action = self._action(_("&Refresh"), self.refresh, "F5", "refresh")
        self.refresh_action.setToolTip(_("Read the data again (F5)"))
        self.settings_action = self._action(_("&Settings…"), lambda: window_tools.open_settings(self))
        self.about_action = self._action(_("&About KSM Desktop"), lambda: window_tools.show_about(self))
        self.help_action = self._action(
            _("&User guide"), lambda: window_tools.show_help(self), QKeySequence.StandardKey.HelpContents
        )
        self.restore_action = self._action(_("&Restore a backup…"), lambda: window_tools.restore_backup(self))
        self.audit_action = self._action(_("&Audit log"), lambda: window_tools.open_audit_log(self))
        self.verify_action = self._action(
            _("&Check a grant sheet…"), lambda: window_tools.open_verify_sheet(self)
        )
        self.users_action = self._action(_("&Users…"), lambda: window_tools.open_users(self))
        self.copy_action = self._action(_("&Copy to a server…"), lambda: window_tools.copy_to_server(self))
        self.nav_actions = []
        for row in range(self.nav.count()):
            action = self._action(
                self.nav.item(row).text(),
                self._go_to(row),
                f"Ctrl+{row + 1}",
            )
            self.nav_actions.append(action)

    def _build_menus_and_toolbar(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(_("&File"))
        file_menu.setToolTipsVisible(True)  # says why Print is disabled
        file_menu.addActions([self.new_action, self.export_action, self.print_action, self.report_action])
        file_menu.addSeparator()
        file_menu.addAction(self.restore_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = bar.addMenu(_("&Edit"))
        edit_menu.addAction(self.find_action)
        view_menu = bar.addMenu(_("&View"))
        view_menu.addActions(self.nav_actions)
        view_menu.addSeparator()
        view_menu.addAction(self.refresh_action)
        tools_menu = bar.addMenu(_("&Tools"))
        tools_menu.addAction(self.settings_action)
        tools_menu.addSeparator()
        tools_menu.addAction(self.verify_action)
        tools_menu.addActions([self.audit_action, self.users_action])
        tools_menu.addSeparator()
        tools_menu.addAction(self.copy_action)
        help_menu = bar.addMenu(_("&Help"))
        help_menu.addAction(self.help_action)
        help_menu.addAction(self.about_action)
        toolbar = self.addToolBar(_("Main toolbar"))
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setStyleSheet("QToolBar { qproperty-toolButtonStyle: ToolButtonTextBesideIcon; }")
        toolbar.setIconSize(QSize(18, 18))
        toolbar.addActions([self.new_action, self.export_action, self.refresh_action])

    def _build_status_bar(self) -> None:
        self.db_label = QLabel()
        self.user_label = QLabel()
        self.statusBar().addWidget(self.db_label, 1)
        self.statusBar().addPermanentWidget(self.user_label)
        self._update_status_and_rights()

    def _update_status_and_rights(self) -> None:
        """Status bar names the database, user and role; administrators' actions only for them.
        While the database opens, only what needs no data (quit, about) is offered."""
        self.nav.setEnabled(self.services is not None)
        for action in (self.settings_action, self.refresh_action, *self.nav_actions):
            action.setEnabled(self.services is not None)
        if self.services is None:
            for action in (self.new_action, self.export_action, self.print_action, self.find_action):
                action.setEnabled(False)
            for action in (self.audit_action, self.users_action, self.restore_action, self.copy_action):
                action.setVisible(False)
            return
        actor = self.services.actor
        self.db_label.setText(_("Database: {url}").format(url=self.services.db.url))
        role = actor.role.label
        self.user_label.setText(_("User: {name} ({role})").format(name=actor.username, role=role))
        for action in (self.audit_action, self.users_action, self.copy_action):
            action.setVisible(actor.is_admin)
        self.restore_action.setVisible(actor.is_admin and self.services.db.path is not None)

    def _update_print_action(self) -> None:
        """Print is enabled when the current list has something selected to print; its tooltip
        says what it prints, or how to get there."""
        page = self.current_list()
        if page is None or page.spec.printer is None:
            self.print_action.setEnabled(False)
            self.print_action.setToolTip(
                _("Printing works on the Organisations, Programmes and Grants lists, and in a grant's form.")
            )
            return
        self.print_action.setEnabled(page.can_print())
        hint = page.spec.print_hint()
        self.print_action.setToolTip(
            hint if page.can_print() else _("Select a row first. {what}").format(what=hint)
        )

    def _on_list(self, method: Callable[[ListPage], object]) -> None:
        page = self.current_list()
        if page is not None:
            method(page)

    def refresh(self) -> None:
        if self.services is not None:
            page = self.stack.currentWidget()
            if isinstance(page, Refreshable):
                page.refresh()

    def restart(self) -> None:
        """Close the window (and so the program and its database); run_gui then starts it again."""
        self.restart_requested = True
        self.close()

    # --- remembered layout --------------------------------------------------------------------

    def restore_settings(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        splitter = settings.value("window/splitter")
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.splitter.restoreState(splitter)

    def save_settings(self) -> None:
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/splitter", self.splitter.saveState())
        self._save_list_states(settings)
        settings.sync()

    def _save_list_states(self, settings: QSettings) -> None:
        for page in self.lists.values():
            page.save_state(settings)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self.painted:
            self.painted = True
            self.first_painted.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        super().closeEvent(event)
