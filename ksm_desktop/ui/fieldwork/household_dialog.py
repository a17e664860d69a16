"""One household: its head (found by search or created), size, tribe/douar and the grants that
equipped it (double-click opens the grant)."""

from __future__ import annotations

from functools import partial

from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from ksm_desktop.domain.enums import GrantStatus
from ksm_desktop.i18n import _
from ksm_desktop.i18n.formatting import format_date
from ksm_desktop.services import ListQuery, Services
from ksm_desktop.services.dto_fieldwork import HouseholdInput
from ksm_desktop.ui.forms.base import FormDialog
from ksm_desktop.ui.forms.fields import ChoiceCombo
from ksm_desktop.ui.forms.organisation_dialog import fill_table, read_table, selected_id
from ksm_desktop.ui.forms.pickers import LocationPicker, SearchPicker, find_persons
from ksm_desktop.ui.qt_checked import record_id


def programme_choices(services: Services) -> list[tuple[str, object]]:
    rows = services.programmes.search(ListQuery(sort="code", limit=None)).rows
    return [(f"{row.code} – {row.name}", row.id) for row in rows]


class HouseholdDialog(FormDialog):
    def __init__(self, services: Services, household_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(services, household_id, parent)
        self.setMinimumSize(640, 560)
        form = QFormLayout()
        self.content.addLayout(form)
        self.code = self.add_row(form, _("Code"), QLineEdit(), "code")
        self.code.setPlaceholderText(_("Left empty: FAM-00001, FAM-00002…"))
        head_box = QWidget()
        head_row = QHBoxLayout(head_box)
        head_row.setContentsMargins(0, 0, 0, 0)
        self.head = SearchPicker(partial(find_persons, services), _("Find the head by name or CIN…"))
        self.new_head_button = QPushButton(_("New person…"))
        self.new_head_button.clicked.connect(self._new_head)
        head_row.addWidget(self.head, 1)
        head_row.addWidget(self.new_head_button)
        self.add_row(form, _("Head of household"), head_box, "head", required=True)
        self._required["head"] = lambda: self.head.value() is not None
        self.watch(self.head)
        size = QSpinBox()
        size.setRange(1, 99)  # before the form watches it: a range change is not the user's
        self.household_size = self.add_row(form, _("Household size"), size, "size")
        self.location = self.add_row(
            form, _("Tribe / douar"), LocationPicker(services), "location", required=True
        )
        self.programme = self.add_row(
            form, _("Programme"), ChoiceCombo(programme_choices(services), empty=_("(none)")), "programme"
        )
        self.notes = self.add_row(form, _("Notes"), QPlainTextEdit(), "notes")
        self.notes.setMaximumHeight(60)
        self.equipment = read_table([_("Number"), _("Purpose"), _("Status"), _("Installed on")], wide=1)
        self.equipment.setMinimumHeight(110)
        self.equipment.doubleClicked.connect(self._open_grant)
        form.addRow(_("Equipment"), self.equipment)
        self.load()

    def load(self) -> None:
        self._loading = True
        if self.entity_id is None:
            self.setWindowTitle(_("New household"))
        else:
            h = self.services.households.get(self.entity_id)
            self.setWindowTitle(_("Household {code} — {name}").format(code=h.code, name=h.head_name))
            self.code.setText(h.code)
            self.head.set_value(h.head_id, h.head_name + (f" ({h.head_cin})" if h.head_cin else ""))
            self.household_size.setValue(h.size)
            self.location.set_value(h.location_id)
            self.programme.set_value(h.programme_id)
            self.notes.setPlainText(h.notes or "")
        self._loading = False
        self._load_equipment()
        self.refresh()

    def _load_equipment(self) -> None:
        rows: list[tuple[str, ...]] = []
        ids: list[int] = []
        if self.entity_id is not None:
            code = self.services.households.get(self.entity_id).code
            found = self.services.households.search(ListQuery(text=code, limit=None)).rows
            for row in (r for r in found if r.id == self.entity_id):
                for e in row.equipment:
                    rows.append(
                        (e.number, e.purpose, GrantStatus(e.status).label, format_date(e.installed_on))
                    )
                    ids.append(self.services.grants.get_by_number(e.number).id)
        fill_table(self.equipment, rows, ids)

    def _new_head(self) -> None:
        from ksm_desktop.ui.forms import open_person

        person_id = open_person(self.services, None, self)
        if person_id is not None:
            p = self.services.persons.get(person_id)
            self.head.set_value(person_id, f"{p.first_name} {p.last_name}")

    def _open_grant(self) -> None:
        from ksm_desktop.ui.forms import open_editor

        grant_id = selected_id(self.equipment)
        if grant_id is not None and open_editor("grant", self.services, grant_id, self):
            self._load_equipment()

    def data(self) -> HouseholdInput:
        return HouseholdInput(
            head_id=record_id(self.head.value()),
            size=self.household_size.value(),
            location_id=self.location.value() or 0,
            programme_id=self.programme.value(),  # type: ignore[arg-type]
            code=self.code.text().strip() or None,
            notes=self.notes.toPlainText(),
        )

    def do_save(self) -> int:
        data = self.data()
        if self.entity_id is None:
            return self.services.households.create(data).id
        return self.services.households.update(self.entity_id, data).id

    def after_save(self) -> None:
        self.load()
