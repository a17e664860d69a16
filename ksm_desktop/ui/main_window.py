"""The window a programme officer keeps open all day: navigation, the list pages, menus,
toolbar and status bar, with its size, splitter and columns remembered between runs."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QStyle,
    QWidget,
)

from ksm_desktop import APP_NAME, __version__
from ksm_desktop.i18n import _
from ksm_desktop.services import Services
from ksm_desktop.ui.dashboard import DashboardPage
from ksm_desktop.ui.list_page import ListPage
from ksm_desktop.ui.list_specs import GRANTS, MEMBERS, ORGANISATIONS, PROGRAMMES

SP = QStyle.StandardPixmap


class MainWindow(QMainWindow):
    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_NAME)
        self.dashboard = DashboardPage(services)
        self.lists = {
            spec.name: ListPage(spec, services) for spec in (ORGANISATIONS, MEMBERS, PROGRAMMES, GRANTS)
        }
        pages: list[tuple[str, QWidget, SP]] = [
            (_("Dashboard"), self.dashboard, SP.SP_ComputerIcon),
            (_("Organisations"), self.lists["organisations"], SP.SP_DirHomeIcon),
            (_("Members"), self.lists["members"], SP.SP_FileDialogContentsView),
            (_("Programmes"), self.lists["programmes"], SP.SP_FileDialogDetailedView),
            (_("Grants"), self.lists["grants"], SP.SP_FileIcon),
        ]
        # Field work (households, activities, results framework): pages of ui/field.
        from ksm_desktop.ui.field.navigation import field_pages

        self.field_pages: dict[str, QWidget] = {}
        for name, title, page, icon in field_pages(services):
            pages.append((title, page, icon))
            self.field_pages[name] = page
            if isinstance(page, ListPage):
                self.lists[name] = page
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setSpacing(2)
        self.stack = QStackedWidget()
        for title, page, icon in pages:
            QListWidgetItem(self.style().standardIcon(icon), title, self.nav)
            self.stack.addWidget(page)
        self.nav.setMinimumWidth(self.nav.sizeHintForColumn(0) + 24)
        self.nav.currentRowChanged.connect(self._show_page)
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
        self.nav.setCurrentRow(0)

    # --- pages --------------------------------------------------------------------------------

    def current_list(self) -> ListPage | None:
        page = self.stack.currentWidget()
        return page if isinstance(page, ListPage) else None

    def show_page(self, name: str) -> None:
        """Select a page by name: "dashboard" or a list name ("organisations", "members", …)."""
        widget = self.dashboard if name == "dashboard" else self.lists.get(name) or self.field_pages[name]
        self.nav.setCurrentRow(self.stack.indexOf(widget))

    def _show_page(self, row: int) -> None:
        self.stack.setCurrentIndex(row)
        page = self.stack.currentWidget()
        page.start()
        is_list = isinstance(page, ListPage)
        for action in (self.new_action, self.find_action, self.export_action):
            action.setEnabled(is_list)
        self._update_print_action()
        if is_list:
            page.table.setFocus()

    # --- actions ------------------------------------------------------------------------------

    def _action(
        self, text: str, slot, shortcut: QKeySequence | str | None = None, icon: SP | None = None
    ) -> QAction:  # type: ignore[no-untyped-def]
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        self.new_action = self._action(
            _("&New…"),
            lambda: self._on_list(ListPage.create_new),
            QKeySequence.StandardKey.New,
            SP.SP_FileDialogNewFolder,
        )
        self.new_action.setToolTip(_("Add a record to the current list (Ctrl+N)"))
        self.export_action = self._action(
            _("&Export…"), lambda: self._on_list(ListPage.export), "Ctrl+E", SP.SP_DialogSaveButton
        )
        self.export_action.setToolTip(_("Export the current list to Excel or CSV"))
        self.print_action = self._action(
            _("&Print…"), lambda: self._on_list(ListPage.print_selected), QKeySequence.StandardKey.Print
        )
        for page in self.lists.values():
            page.selection_changed.connect(self._update_print_action)
        self.quit_action = self._action(_("&Quit"), self.close, QKeySequence.StandardKey.Quit)
        self.find_action = self._action(
            _("&Find"), lambda: self._on_list(ListPage.focus_search), QKeySequence.StandardKey.Find
        )
        self.refresh_action = self._action(_("&Refresh"), self.refresh, "F5", SP.SP_BrowserReload)
        self.refresh_action.setToolTip(_("Read the data again (F5)"))
        self.settings_action = self._action(_("&Settings…"), self.open_settings)
        self.about_action = self._action(_("&About KSM Desktop"), self.show_about)
        self.nav_actions = []
        for row in range(self.nav.count()):
            action = self._action(
                self.nav.item(row).text(),
                lambda _c=False, r=row: self.nav.setCurrentRow(r),
                f"Ctrl+{row + 1}",
            )
            self.nav_actions.append(action)

    def _build_menus_and_toolbar(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(_("&File"))
        file_menu.setToolTipsVisible(True)  # says why Print is disabled
        file_menu.addActions([self.new_action, self.export_action, self.print_action])
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
        help_menu = bar.addMenu(_("&Help"))
        help_menu.addAction(self.about_action)
        toolbar = self.addToolBar(_("Main toolbar"))
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.setIconSize(QSize(18, 18))
        toolbar.addActions([self.new_action, self.export_action, self.refresh_action])

    def _build_status_bar(self) -> None:
        self.db_label = QLabel(_("Database: {url}").format(url=self.services.db.url))
        self.user_label = QLabel(_("User: {name}").format(name=self.services.actor.username))
        self.statusBar().addWidget(self.db_label, 1)
        self.statusBar().addPermanentWidget(self.user_label)

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
        self.stack.currentWidget().refresh()

    def open_settings(self) -> None:
        from ksm_desktop.ui.settings_dialog import SettingsDialog

        SettingsDialog(self.services, self).exec()

    def about_text(self) -> str:
        from ksm_desktop.db.storage import schema_report

        revision = schema_report(self.services.db)["revision"] or _("none")
        return _(
            "<h3>KSM Desktop {version}</h3>"
            "<p>Registry of organisations, members, programmes and grants of Karama Solidarity Maroc.</p>"
            "<p>Database: {url}<br>Schema revision: {revision}</p>"
        ).format(version=__version__, url=self.services.db.url, revision=revision)

    def show_about(self) -> None:
        QMessageBox.about(self, _("About KSM Desktop"), self.about_text())

    # --- remembered layout --------------------------------------------------------------------

    def restore_settings(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        splitter = settings.value("window/splitter")
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.splitter.restoreState(splitter)
        for page in self.lists.values():
            page.restore_state(settings)

    def save_settings(self) -> None:
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/splitter", self.splitter.saveState())
        for page in self.lists.values():
            page.save_state(settings)
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        super().closeEvent(event)
