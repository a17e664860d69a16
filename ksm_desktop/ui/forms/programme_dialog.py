"""A KSM programme: period, budget and donors, zones, targets, and how far it has got."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ksm_desktop.domain.enums import Currency, ProgrammeStatus
from ksm_desktop.i18n import _
from ksm_desktop.i18n.formatting import format_decimal, format_money, format_percent
from ksm_desktop.services import Services
from ksm_desktop.services.dto import ProgrammeDTO, ProgrammeInput
from ksm_desktop.ui.forms.base import FormDialog
from ksm_desktop.ui.forms.fields import AmountEdit, ChoiceCombo, CountSpin, OptionalDateEdit, arabic_line_edit
from ksm_desktop.ui.forms.pickers import LocationPicker, SearchPicker, find_organisations, location_name


class IdList(QWidget):
    """A list of chosen records (donors, partners, zones) with a way to add and remove them."""

    def __init__(
        self,
        chooser: SearchPicker | LocationPicker,
        label_of: Callable[[int], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.chooser = chooser
        self.label_of = label_of
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        self.list = QListWidget()
        self.list.setMaximumHeight(90)
        box.addWidget(self.list)
        row = QHBoxLayout()
        row.addWidget(chooser, 1)
        add, remove = QPushButton(_("Add")), QPushButton(_("Remove"))
        for button in (add, remove):
            button.setProperty("editing", True)
            row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        add.clicked.connect(self._add)
        remove.clicked.connect(self._remove)
        box.addLayout(row)
        self.changed = self.list.model().rowsInserted

    def _remove(self) -> None:
        if self.list.takeItem(self.list.currentRow()) is not None:
            self.list.model().layoutChanged.emit()

    def _add(self) -> None:
        key = self.chooser.value()
        if isinstance(key, int) and key not in self.ids():
            self.add(key, self.label_of(key))

    def add(self, key: int, label: str) -> None:
        item = QListWidgetItem(label)
        item.setData(Qt.ItemDataRole.UserRole, key)
        self.list.addItem(item)

    def ids(self) -> list[int]:
        return [int(self.list.item(n).data(Qt.ItemDataRole.UserRole)) for n in range(self.list.count())]


class ProgrammeDialog(FormDialog):
    def __init__(self, services: Services, programme_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(services, programme_id, parent)
        self.setMinimumSize(720, 620)
        self.tabs = QTabWidget()
        self.content.addWidget(self.tabs)
        self.tabs.addTab(self._identity_tab(), _("Programme"))
        self.tabs.addTab(self._parties_tab(), _("Donors, partners and zones"))
        self.tabs.addTab(self._progress_tab(), _("Progress"))
        self.load()

    def _identity_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.code = self.add_row(form, _("Code"), QLineEdit(), "code", required=True)
        self.name = self.add_row(form, _("Name"), QLineEdit(), "name", required=True)
        self.name_ar = self.add_row(form, _("Name in Arabic"), arabic_line_edit(), "name_ar")
        self.description = self.add_row(form, _("Description"), QPlainTextEdit(), "description")
        self.description.setMaximumHeight(70)
        self.start = self.add_row(form, _("Start"), OptionalDateEdit(), "start_date")
        self.end = self.add_row(form, _("End"), OptionalDateEdit(), "end_date")
        self.status = self.add_row(form, _("Status"), ChoiceCombo.of_enum(ProgrammeStatus), "status")
        budget = QWidget()
        row = QHBoxLayout(budget)
        row.setContentsMargins(0, 0, 0, 0)
        self.budget = AmountEdit("budget")
        self.currency = ChoiceCombo((c.value, c.value) for c in Currency)
        row.addWidget(self.budget, 1)
        row.addWidget(self.currency)
        self.add_row(form, _("Budget"), budget, "budget")
        self.watch(self.budget, self.currency)
        self.live("budget", self.budget, self._check_budget)
        targets = QWidget()
        row = QHBoxLayout(targets)
        row.setContentsMargins(0, 0, 0, 0)
        self.target_women, self.target_men = CountSpin(), CountSpin()
        row.addWidget(QLabel(_("Women")))
        row.addWidget(self.target_women)
        row.addWidget(QLabel(_("Men")))
        row.addWidget(self.target_men)
        row.addStretch(1)
        self.add_row(form, _("Target beneficiaries"), targets, "target_women")
        self.watch(self.target_women, self.target_men)
        return page

    def _check_budget(self, _text: str) -> str | None:
        """A budget that cannot be read shows its error under the field (value() raises it)."""
        self.budget.value()
        return None

    def _parties_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.donors = IdList(
            SearchPicker(lambda t: find_organisations(self.services, t), _("Find an organisation…")),
            self._org_label,
        )
        self.partners = IdList(
            SearchPicker(lambda t: find_organisations(self.services, t), _("Find an organisation…")),
            self._org_label,
        )
        self.zones = IdList(LocationPicker(self.services), lambda i: self.services.locations.get(i).path)
        form.addRow(_("Donors"), self.donors)
        form.addRow(_("Partners"), self.partners)
        form.addRow(_("Zones"), self.zones)
        for ids in (self.donors, self.partners, self.zones):
            ids.list.model().rowsInserted.connect(self._changed)
            ids.list.model().rowsRemoved.connect(self._changed)
        return page

    def _org_label(self, org_id: int) -> str:
        org = self.services.organisations.get(org_id)
        return f"{org.code} — {org.name}"

    def _progress_tab(self) -> QWidget:
        page = QWidget()
        grid = QGridLayout(page)
        self.budget_bar = QProgressBar()
        self.budget_text = QLabel()
        grid.addWidget(QLabel(_("Granted / budget")), 0, 0)
        grid.addWidget(self.budget_bar, 0, 1)
        grid.addWidget(self.budget_text, 1, 1)
        self.reach_bars: dict[str, tuple[QProgressBar, QLabel]] = {}
        for n, (key, label) in enumerate(
            ((("women"), _("Women reached")), ("men", _("Men reached"))), start=2
        ):
            bar, text = QProgressBar(), QLabel()
            grid.addWidget(QLabel(label), 2 * n, 0)
            grid.addWidget(bar, 2 * n, 1)
            grid.addWidget(text, 2 * n + 1, 1)
            self.reach_bars[key] = (bar, text)
        grid.setRowStretch(20, 1)
        grid.setColumnStretch(1, 1)
        return page

    # --- loading ----------------------------------------------------------------------------

    def load(self) -> None:
        self._loading = True
        if self.entity_id is None:
            self.setWindowTitle(_("New programme"))
            self.currency.set_value(self.services.settings.profile().default_currency)
        else:
            p = self.services.programmes.get(self.entity_id)
            self.setWindowTitle(_("Programme {code}").format(code=p.code))
            self.code.setText(p.code)
            self.name.setText(p.name)
            self.name_ar.setText(p.name_ar or "")
            self.description.setPlainText(p.description or "")
            self.start.set_value(p.start_date)
            self.end.set_value(p.end_date)
            self.status.set_value(p.status)
            self.budget.set_value(p.budget)
            self.currency.set_value(p.currency)
            self.target_women.setValue(p.target_women or 0)
            self.target_men.setValue(p.target_men or 0)
            for ids, parties in ((self.donors, p.donors), (self.partners, p.partners)):
                ids.list.clear()
                for party in parties:
                    ids.add(party.organisation_id, f"{party.code} — {party.name}")
            self.zones.list.clear()
            for zone in p.zones:
                self.zones.add(zone.id, zone.path if zone.path else location_name(zone))
            self._fill_progress(p)
        self._loading = False
        self.refresh()

    def _fill_progress(self, p: ProgrammeDTO) -> None:
        budget = p.budget or Decimal(0)
        ratio = p.granted / budget if budget else Decimal(0)
        self.budget_bar.setValue(min(int(ratio * 100), 100))
        self.budget_text.setText(
            _("{granted} granted of {budget} ({percent})").format(
                granted=format_money(p.granted, p.currency),
                budget=format_money(budget, p.currency),
                percent=format_percent(ratio),
            )
        )
        for key, reached, target in (
            ("women", p.reached_women, p.target_women),
            ("men", p.reached_men, p.target_men),
        ):
            bar, text = self.reach_bars[key]
            bar.setValue(min(int(100 * reached / target), 100) if target else 0)
            text.setText(
                _("{reached} of {target}").format(
                    reached=format_decimal(reached), target=format_decimal(target)
                )
                if target
                else _("{reached} (no target set)").format(reached=format_decimal(reached))
            )

    # --- saving -----------------------------------------------------------------------------

    def data(self) -> ProgrammeInput:
        return ProgrammeInput(
            code=self.code.text(),
            name=self.name.text(),
            name_ar=self.name_ar.text(),
            description=self.description.toPlainText(),
            start_date=self.start.value(),
            end_date=self.end.value(),
            status=str(self.status.value()),
            budget=self.budget.value(),
            currency=str(self.currency.value()),
            target_women=self.target_women.value() or None,
            target_men=self.target_men.value() or None,
            donor_ids=self.donors.ids(),
            partner_ids=self.partners.ids(),
            zone_ids=self.zones.ids(),
        )

    def do_save(self) -> int:
        if self.entity_id is None:
            return self.services.programmes.create(self.data()).id
        return self.services.programmes.update(self.entity_id, self.data()).id

    def after_save(self) -> None:
        self.load()
