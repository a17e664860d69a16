"""Choosing things that live in the database: a place (région → province → commune → douar)
and a record found by typing part of its name (recipients, members, donors)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ksm_desktop.domain.enums import LocationLevel
from ksm_desktop.domain.errors import KsmError
from ksm_desktop.i18n import _, is_rtl
from ksm_desktop.services import ListQuery, Services
from ksm_desktop.services.dto import LocationDTO

_LEVELS = (LocationLevel.REGION, LocationLevel.PROVINCE, LocationLevel.COMMUNE, LocationLevel.DOUAR)


def location_name(loc: LocationDTO) -> str:
    return (loc.name_ar or loc.name) if is_rtl() else loc.name


class LocationPicker(QWidget):
    """Four linked lists; the value is the deepest place chosen. Communes and douars/tribes
    missing from the list can be added on the spot."""

    changed = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.combos: list[QComboBox] = []
        for row, level in enumerate(_LEVELS):
            combo = QComboBox()
            combo.setMinimumContentsLength(18)
            combo.currentIndexChanged.connect(lambda _i, r=row: self._picked(r))
            grid.addWidget(
                QLabel(level.label if level != LocationLevel.DOUAR else _("Douar / tribe")), row, 0
            )
            grid.addWidget(combo, row, 1)
            self.combos.append(combo)
            if level in (LocationLevel.COMMUNE, LocationLevel.DOUAR):
                add = QToolButton()
                add.setText("+")
                add.setProperty("editing", True)
                add.setToolTip(
                    _("Add a commune") if level == LocationLevel.COMMUNE else _("Add a douar or tribe")
                )
                add.clicked.connect(lambda _c=False, r=row: self._add(r))
                grid.addWidget(add, row, 2)
        grid.setColumnStretch(1, 1)
        self._fill(0, None)

    def _fill(self, row: int, parent_id: int | None) -> None:
        combo = self.combos[row]
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("", None)
        if row == 0 or parent_id is not None:
            for loc in self.services.locations.children(parent_id):
                combo.addItem(location_name(loc), loc.id)
        combo.setEnabled(row == 0 or parent_id is not None)
        combo.blockSignals(False)
        if row + 1 < len(self.combos):
            self._fill(row + 1, None)

    def _picked(self, row: int) -> None:
        if row + 1 < len(self.combos):
            self._fill(row + 1, self.combos[row].currentData())
        self.changed.emit()

    def _add(self, row: int) -> None:
        parent_id = self.combos[row - 1].currentData()
        if parent_id is None:
            QMessageBox.information(self, _("Add a place"), _("Choose the place above it first."))
            return
        title = _("Add a commune") if row == 2 else _("Add a douar or tribe")
        name, ok = QInputDialog.getText(self, title, _("Name"))
        if not ok or not name.strip():
            return
        level = LocationLevel.COMMUNE if row == 2 else LocationLevel.DOUAR
        try:
            loc = self.services.locations.add(level.value, name, parent_id)
        except KsmError as exc:
            QMessageBox.warning(self, title, exc.message)
            return
        self._fill(row, parent_id)
        self.combos[row].setCurrentIndex(self.combos[row].findData(loc.id))

    def value(self) -> int | None:
        for combo in reversed(self.combos):
            if combo.currentData() is not None:
                return int(combo.currentData())
        return None

    def set_value(self, location_id: int | None) -> None:
        chain: list[int] = []
        node = self.services.locations.get(location_id) if location_id else None
        while node is not None:
            chain.insert(0, node.id)
            node = self.services.locations.get(node.parent_id) if node.parent_id else None
        self._fill(0, None)
        for row, loc_id in enumerate(chain[: len(self.combos)]):
            self.combos[row].setCurrentIndex(max(self.combos[row].findData(loc_id), 0))


Finder = Callable[[str], list[tuple[object, str]]]


class SearchPicker(QWidget):
    """Type a few letters, pick from the matches below. `value()` is the chosen key (None until
    something is picked; typing again clears it)."""

    changed = Signal()

    def __init__(self, finder: Finder, placeholder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.finder = finder
        self._value: object = None
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(placeholder or _("Type to search…"))
        self.edit.setClearButtonEnabled(True)
        self.results = QListWidget()
        self.results.setMaximumHeight(110)
        self.results.setVisible(False)
        box.addWidget(self.edit)
        box.addWidget(self.results)
        self.edit.textEdited.connect(self._search)
        self.edit.installEventFilter(self)
        self.results.itemActivated.connect(self._pick)
        self.results.itemClicked.connect(self._pick)
        self.setFocusProxy(self.edit)

    def _search(self, text: str) -> None:
        if self._value is not None:
            self._value = None
            self.changed.emit()
        self.results.clear()
        matches = self.finder(text) if len(text.strip()) >= 2 else []
        for key, label in matches:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.results.addItem(item)
        self.results.setVisible(bool(matches))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter while matches are listed picks the first one and goes no further: it must not
        also press the form's Save button."""
        if (
            event.type() == QEvent.Type.KeyPress
            and watched is getattr(self, "edit", None)  # see OptionalDateEdit.eventFilter
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.results.isVisible()
            and self.results.count()
        ):
            self._pick(self.results.item(0))
            return True
        return super().eventFilter(watched, event)

    def _pick(self, item: QListWidgetItem) -> None:
        self.set_value(item.data(Qt.ItemDataRole.UserRole), item.text())

    def value(self) -> object:
        return self._value

    def set_value(self, key: object, label: str = "") -> None:
        self._value = key
        self.edit.setText(label)
        self.results.setVisible(False)
        self.changed.emit()

    def setReadOnly(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)


def find_organisations(services: Services, text: str, **filters: object) -> list[tuple[object, str]]:
    rows = services.organisations.search(ListQuery(text=text, filters=dict(filters), limit=12)).rows
    return [(row.id, f"{row.code} — {row.name}") for row in rows]


def find_persons(services: Services, text: str) -> list[tuple[object, str]]:
    rows = services.persons.search(ListQuery(text=text, limit=12)).rows
    return [
        (row.id, f"{row.first_name} {row.last_name}" + (f" ({row.cin})" if row.cin else "")) for row in rows
    ]


def find_recipients(services: Services, text: str) -> list[tuple[object, str]]:
    """Organisations first, then persons (individual grants): keys are ("organisation"|"person", id)."""
    orgs: list[tuple[object, str]] = [
        (("organisation", key), label) for key, label in find_organisations(services, text)
    ]
    persons = [
        (("person", key), _("{name} (person)").format(name=label))
        for key, label in find_persons(services, text)
    ]
    return orgs + persons
