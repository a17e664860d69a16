"""One training, workshop or campaign: when, where, what, who trained, the partner associations,
the people who came (each with the organisation they represent) and the declared indirect
beneficiaries; its attendance list prints from here."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ksm_desktop.domain.enums import ActivityKind, Campaign, Sex
from ksm_desktop.domain.errors import KsmError
from ksm_desktop.i18n import _, ngettext
from ksm_desktop.services import Services
from ksm_desktop.services.dto_fieldwork import ActivityInput
from ksm_desktop.ui.fieldwork.household_dialog import programme_choices
from ksm_desktop.ui.forms.base import FormDialog, error_label, show_message
from ksm_desktop.ui.forms.fields import ChoiceCombo, CountSpin, OptionalDateEdit
from ksm_desktop.ui.forms.organisation_dialog import fill_table, read_table, selected_id
from ksm_desktop.ui.forms.pickers import SearchPicker, find_organisations, find_persons
from ksm_desktop.ui.qt_checked import record_id


class ActivityDialog(FormDialog):
    def __init__(self, services: Services, activity_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(services, activity_id, parent)
        self.setMinimumSize(720, 620)
        self.tabs = QTabWidget()
        self.content.addWidget(self.tabs)
        self.tabs.addTab(self._activity_tab(), _("Activity"))
        self.tabs.addTab(self._participants_tab(), _("Participants"))
        self.print_button = QPushButton(_("Print the attendance list"))
        self.print_button.clicked.connect(self.print_attendance)
        self.buttons.addButton(self.print_button, self.buttons.ButtonRole.ActionRole)
        self.load()

    def _activity_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.kind = self.add_row(form, _("Type"), ChoiceCombo.of_enum(ActivityKind), "kind", required=True)
        self.campaign = self.add_row(
            form, _("Campaign"), ChoiceCombo.of_enum(Campaign, empty=_("(none)")), "campaign"
        )
        self.topic = self.add_row(form, _("Topic"), QLineEdit(), "topic", required=True)
        dates = QWidget()
        row = QHBoxLayout(dates)
        row.setContentsMargins(0, 0, 0, 0)
        self.start = OptionalDateEdit()
        self.end = OptionalDateEdit()
        row.addWidget(self.start)
        row.addWidget(QLabel(_("to")))
        row.addWidget(self.end)
        row.addStretch(1)
        self.add_row(form, _("Dates"), dates, "start_date")
        self._errors["end_date"] = self._errors["start_date"]
        self._required["start_date"] = lambda: self.start.value() is not None
        self.watch(self.start, self.end)
        self.place = self.add_row(form, _("Place"), QLineEdit(), "place")
        self.trainer = self.add_row(form, _("Trainer"), QLineEdit(), "trainer")
        self.programme = self.add_row(
            form,
            _("Programme"),
            ChoiceCombo(programme_choices(self.services), empty=_("(none)")),
            "programme",
        )
        partners = QWidget()
        pbox = QVBoxLayout(partners)
        pbox.setContentsMargins(0, 0, 0, 0)
        self.partners = QListWidget()
        self.partners.setMaximumHeight(90)
        add = QHBoxLayout()
        self.partner_search = SearchPicker(
            partial(find_organisations, self.services), _("Find an association…")
        )
        add_partner = QPushButton(_("Add"))
        add_partner.clicked.connect(self._add_partner)
        remove_partner = QPushButton(_("Remove"))
        remove_partner.clicked.connect(self._remove_partner)
        add.addWidget(self.partner_search, 1)
        add.addWidget(add_partner)
        add.addWidget(remove_partner)
        pbox.addWidget(self.partners)
        pbox.addLayout(add)
        self.add_row(form, _("Partner associations"), partners, "partners")
        self.unlisted = self.add_row(
            form, _("Participants not on the list"), CountSpin(), "unlisted_participants"
        )
        indirect = QWidget()
        irow = QHBoxLayout(indirect)
        irow.setContentsMargins(0, 0, 0, 0)
        self.indirect_women, self.indirect_men, self.indirect_unspecified = (
            CountSpin(),
            CountSpin(),
            CountSpin(),
        )
        for label, spin in (
            (_("Women"), self.indirect_women),
            (_("Men"), self.indirect_men),
            (_("Not given"), self.indirect_unspecified),
        ):
            irow.addWidget(QLabel(label))
            irow.addWidget(spin)
            self.watch(spin)
        irow.addStretch(1)
        self.add_row(form, _("Indirect beneficiaries"), indirect, "indirect")
        self.notes = self.add_row(form, _("Notes"), QPlainTextEdit(), "notes")
        self.notes.setMaximumHeight(50)
        return page

    def _participants_tab(self) -> QWidget:
        page = QWidget()
        box = QVBoxLayout(page)
        self.participants_hint = QLabel(_("Save the activity first, then add its participants."))
        box.addWidget(self.participants_hint)
        self.participants = read_table([_("Name"), _("CIN"), _("Sex"), _("Organisation represented")], wide=3)
        box.addWidget(self.participants, 1)
        add = QHBoxLayout()
        self.person_search = SearchPicker(
            partial(find_persons, self.services), _("Find a person by name or CIN…")
        )
        self.represents = SearchPicker(
            partial(find_organisations, self.services), _("Organisation represented…")
        )
        self.add_participant_button = QPushButton(_("Add"))
        self.add_participant_button.clicked.connect(self.add_participant)
        add.addWidget(self.person_search, 1)
        add.addWidget(self.represents, 1)
        add.addWidget(self.add_participant_button, 0, Qt.AlignmentFlag.AlignTop)
        box.addLayout(add)
        actions = QHBoxLayout()
        self.remove_participant_button = QPushButton(_("Remove the selected participant"))
        self.remove_participant_button.clicked.connect(self.remove_participant)
        actions.addWidget(self.remove_participant_button)
        actions.addStretch(1)
        self.count_label = QLabel()
        actions.addWidget(self.count_label)
        box.addLayout(actions)
        self.participant_error = error_label()
        box.addWidget(self.participant_error)
        return page

    # --- loading ----------------------------------------------------------------------------

    def load(self) -> None:
        self._loading = True
        if self.entity_id is None:
            self.setWindowTitle(_("New activity"))
        else:
            a = self.services.activities.get(self.entity_id)
            self.setWindowTitle(_("Activity — {topic}").format(topic=a.topic))
            self.kind.set_value(a.kind)
            self.campaign.set_value(a.campaign)
            self.topic.setText(a.topic)
            self.start.set_value(a.start_date)
            self.end.set_value(a.end_date)
            self.place.setText(a.place or "")
            self.trainer.setText(a.trainer or "")
            self.programme.set_value(a.programme_id)
            self.partners.clear()
            for org_id, code, name in a.partners:
                self._partner_item(org_id, f"{code} — {name}")
            self.unlisted.setValue(a.unlisted_participants)
            self.indirect_women.setValue(a.indirect_women)
            self.indirect_men.setValue(a.indirect_men)
            self.indirect_unspecified.setValue(a.indirect_unspecified)
            self.notes.setPlainText(a.notes or "")
        self._loading = False
        self.reload_participants()
        self.refresh()

    def reload_participants(self) -> None:
        saved = self.entity_id is not None
        self.participants_hint.setVisible(not saved)
        for widget in (
            self.person_search,
            self.represents,
            self.add_participant_button,
            self.remove_participant_button,
            self.print_button,
        ):
            widget.setEnabled(saved)
        people = self.services.activities.get(self.entity_id).participants if self.entity_id else ()
        fill_table(
            self.participants,
            [(p.name, p.cin or "", Sex(p.sex).label, p.organisation_name or "") for p in people],
            [p.person_id for p in people],
        )
        self.count_label.setText(
            ngettext("{count} registered", "{count} registered", len(people)).format(count=len(people))
        )
        self.print_button.setEnabled(bool(people))

    # --- partners and participants ----------------------------------------------------------

    def _partner_item(self, org_id: int, label: str) -> None:
        item = QListWidgetItem(label, self.partners)
        item.setData(Qt.ItemDataRole.UserRole, org_id)

    def partner_ids(self) -> list[int]:
        return [
            int(self.partners.item(n).data(Qt.ItemDataRole.UserRole)) for n in range(self.partners.count())
        ]

    def _add_partner(self) -> None:
        org_id = self.partner_search.value()
        if org_id is not None and org_id not in self.partner_ids():
            self._partner_item(record_id(org_id), self.partner_search.edit.text())
            self.partner_search.set_value(None)
            self._changed()

    def _remove_partner(self) -> None:
        row = self.partners.currentRow()
        if row >= 0:
            self.partners.takeItem(row)
            self._changed()

    def add_participant(self) -> None:
        person_id = self.person_search.value()
        if person_id is None or self.entity_id is None:
            show_message(self.participant_error, _("Choose a person from the list first."))
            return
        org_id = self.represents.value()
        try:
            self.services.activities.add_participant(
                self.entity_id, record_id(person_id), None if org_id is None else record_id(org_id)
            )
        except KsmError as exc:
            show_message(self.participant_error, exc.message)
            return
        show_message(self.participant_error, None)
        self.person_search.set_value(None)
        self.saved = True
        self.reload_participants()

    def remove_participant(self) -> None:
        person_id = selected_id(self.participants)
        if person_id is None or self.entity_id is None:
            return
        try:
            self.services.activities.remove_participant(self.entity_id, person_id)
        except KsmError as exc:
            show_message(self.participant_error, exc.message)
            return
        self.saved = True
        self.reload_participants()

    def print_attendance(self) -> None:
        from ksm_desktop.ui.fieldwork.printing import print_attendance

        if self.entity_id is not None:
            print_attendance(self, self.services, self.entity_id)

    # --- saving -----------------------------------------------------------------------------

    def data(self) -> ActivityInput:
        return ActivityInput(
            kind=str(self.kind.value()),
            topic=self.topic.text(),
            start_date=self.start.value(),  # type: ignore[arg-type]
            end_date=self.end.value(),
            campaign=self.campaign.value(),  # type: ignore[arg-type]
            programme_id=self.programme.value(),  # type: ignore[arg-type]
            place=self.place.text(),
            trainer=self.trainer.text(),
            partner_ids=self.partner_ids(),
            unlisted_participants=self.unlisted.value(),
            indirect_women=self.indirect_women.value(),
            indirect_men=self.indirect_men.value(),
            indirect_unspecified=self.indirect_unspecified.value(),
            notes=self.notes.toPlainText(),
        )

    def do_save(self) -> int:
        data = self.data()
        if self.entity_id is None:
            return self.services.activities.create(data).id
        return self.services.activities.update(self.entity_id, data).id

    def after_save(self) -> None:
        self.load()
