"""A person (member or individual beneficiary): CIN and phone checked as they are typed, a
duplicate CIN shown with who already has it, and for a new person the registered persons who may
be the same one, looked up after a pause in typing."""

from __future__ import annotations

import datetime as dt
from functools import partial
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ksm_desktop.domain.enums import AttachmentKind, AttachmentOwner, MemberRole, Sex, Vulnerability
from ksm_desktop.domain.errors import ConflictError, KsmError, ValidationError
from ksm_desktop.domain.values import normalize_cin, normalize_phone
from ksm_desktop.i18n import _
from ksm_desktop.i18n.formatting import format_date
from ksm_desktop.services import Services
from ksm_desktop.services.dto import PersonDTO, PersonInput
from ksm_desktop.services.duplicates import DuplicateService, PersonCandidate
from ksm_desktop.services.privacy import validate_consent
from ksm_desktop.ui.forms.attachments_panel import AttachmentsPanel
from ksm_desktop.ui.forms.base import FormDialog, show_message
from ksm_desktop.ui.forms.candidates_panel import CandidatesPanel
from ksm_desktop.ui.forms.fields import ChoiceCombo, OptionalDateEdit, arabic_line_edit
from ksm_desktop.ui.forms.pickers import LocationPicker
from ksm_desktop.ui.workers import run_in_background

LOOKUP_PAUSE_MS = 400  # candidates are looked up once typing pauses this long


def _lookup(
    duplicates: DuplicateService, data: PersonInput, organisation_id: int | None, asked: int
) -> tuple[int, list[PersonCandidate]]:
    """Worker thread: the candidates for `data`, tagged with the lookup they answer."""
    return asked, duplicates.candidates(data, organisation_id)


class PersonDialog(FormDialog):
    def __init__(
        self,
        services: Services,
        person_id: int | None,
        parent: QWidget | None = None,
        organisation_id: int | None = None,
    ) -> None:
        """`organisation_id`: the organisation a new person is created for (its members who look
        alike rank higher among the candidates)."""
        super().__init__(services, person_id, parent)
        self.organisation_id = organisation_id
        self.open_instead: int | None = None  # set when the user asks to open the CIN's owner
        tabs = QTabWidget()
        self.content.addWidget(tabs)
        tabs.addTab(self._identity_tab(), _("Identity"))
        self.memberships = QTableWidget(0, 4)
        self.memberships.setHorizontalHeaderLabels([_("Organisation"), _("Role"), _("Since"), _("Until")])
        self.memberships.horizontalHeader().setStretchLastSection(True)
        self.memberships.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        tabs.addTab(self.memberships, _("Memberships"))
        tabs.addTab(self._personal_data_tab(), _("Personal data"))
        self.attachments = AttachmentsPanel(self.services, AttachmentOwner.PERSON, AttachmentKind.PHOTO)
        tabs.addTab(self.attachments, _("Attachments"))
        self.candidates = CandidatesPanel(self)
        self.candidates.same.connect(self._open_same)
        self.content.addWidget(self.candidates)
        self._lookups = 0  # lookups started; only the answer to the last one is shown
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(LOOKUP_PAUSE_MS)
        self._pause.timeout.connect(self.look_up)
        if person_id is None:
            for edit in (self.first_name, self.last_name, self.name_ar, self.cin, self.phone):
                edit.textChanged.connect(self._typed)
            self.birth_year.valueChanged.connect(self._typed)
            self.birth_date.finished.connect(self._typed)
            self.sex.currentIndexChanged.connect(self._typed)
            self.location.changed.connect(self._typed)
        self.load()

    def _identity_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.first_name = self.add_row(form, _("First name"), QLineEdit(), "first_name", required=True)
        self.last_name = self.add_row(form, _("Last name"), QLineEdit(), "last_name", required=True)
        self.name_ar = self.add_row(form, _("Full name in Arabic"), arabic_line_edit(), "full_name_ar")
        self.sex = self.add_row(
            form, _("Sex"), ChoiceCombo.of_enum(Sex, empty=_("— choose —")), "sex", required=True
        )
        self.cin = self.add_row(form, _("CIN"), QLineEdit(), "cin")
        self.cin.setPlaceholderText(_("e.g. AB123456"))
        self.open_owner = QPushButton()
        self.open_owner.setVisible(False)
        self.open_owner.clicked.connect(self._open_owner)
        holder = self._errors["cin"].parentWidget()  # add_row's box: the field, then its error
        cin_box = holder.layout() if holder is not None else None
        assert cin_box is not None
        cin_box.addWidget(self.open_owner)
        self.phone = self.add_row(form, _("Phone"), QLineEdit(), "phone")
        self.phone.setPlaceholderText(_("e.g. 06 61 23 45 67"))
        birth = QWidget()
        row = QHBoxLayout(birth)
        row.setContentsMargins(0, 0, 0, 0)
        self.birth_date = OptionalDateEdit()
        self.birth_year = QSpinBox()
        self.birth_year.setRange(0, 2100)
        self.birth_year.setSpecialValueText(" ")
        row.addWidget(self.birth_date)
        row.addWidget(QLabel(_("or year")))
        row.addWidget(self.birth_year)
        row.addStretch(1)
        self.add_row(form, _("Birth date"), birth, "birth_date")
        self._errors["birth_year"] = self._errors["birth_date"]
        self.watch(self.birth_date, self.birth_year)
        tags = QGroupBox()
        grid = QGridLayout(tags)
        self.tags: dict[str, QCheckBox] = {}
        for n, tag in enumerate(Vulnerability):
            box = QCheckBox(tag.label)
            self.tags[tag.value] = box
            grid.addWidget(box, n // 3, n % 3)
            self.watch(box)
        self.add_row(form, _("Vulnerability"), tags, "vulnerabilities")
        self.household = QSpinBox()
        self.household.setRange(0, 50)
        self.household.setSpecialValueText(" ")
        self.add_row(form, _("Household size"), self.household, "household_size")
        self.location = self.add_row(form, _("Place"), LocationPicker(self.services), "location")
        self.notes = self.add_row(form, _("Notes"), QPlainTextEdit(), "notes")
        self.notes.setMaximumHeight(60)
        self.cin.textChanged.connect(self._check_cin)
        if self.services.actor.sees_personal_data:  # a masked number is not checked
            self.live("phone", self.phone, self._phone_hint)
        return page

    def _personal_data_tab(self) -> QWidget:
        """Consent, right of access and anonymisation (Moroccan law 09-08)."""
        page = QWidget()
        box = QVBoxLayout(page)
        form = QFormLayout()
        box.addLayout(form)
        self.consent_date = self.add_row(form, _("Consent given on"), OptionalDateEdit(), "consent_date")
        self.consent_purpose = self.add_row(form, _("Consent for"), QLineEdit(), "consent_purpose")
        self.consent_purpose.setPlaceholderText(_("e.g. programme follow-up, photos in reports"))
        self.privacy_status = QLabel()
        self.privacy_status.setWordWrap(True)
        box.addWidget(self.privacy_status)
        buttons = QHBoxLayout()
        self.export_button = QPushButton(_("Export personal data…"))
        self.export_button.clicked.connect(self.export_personal_data)
        self.anonymise_button = QPushButton(_("Anonymise…"))
        self.anonymise_button.clicked.connect(self.anonymise)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.anonymise_button)
        buttons.addStretch(1)
        box.addLayout(buttons)
        box.addStretch(1)
        return page

    def load(self) -> None:
        self._loading = True
        self.attachments.set_record(self.entity_id)
        if self.entity_id is None:
            self.setWindowTitle(_("New person"))
        else:
            p = self.services.persons.get(self.entity_id)
            self.version = p.version
            self.setWindowTitle(_("Person: {name}").format(name=p.full_name))
            self.first_name.setText(p.first_name)
            self.last_name.setText(p.last_name)
            self.name_ar.setText(p.full_name_ar or "")
            self.sex.set_value(p.sex)
            self.cin.setText(p.cin or "")
            self.phone.setText(p.phone or "")
            self.birth_date.set_value(p.birth_date)
            self.birth_year.setValue(p.birth_year or 0)
            for tag, box in self.tags.items():
                box.setChecked(tag in p.vulnerabilities)
            self.household.setValue(p.household_size or 0)
            self.location.set_value(p.location_id)
            self.notes.setPlainText(p.notes or "")
            self._fill_memberships()
        self._load_privacy(p if self.entity_id is not None else None)
        self._loading = False
        self._check_cin(self.cin.text())
        self.refresh()

    def _load_privacy(self, p: PersonDTO | None) -> None:
        self._consent = (p.consent_date, p.consent_purpose or "") if p else (None, "")
        self.consent_date.set_value(self._consent[0])
        self.consent_purpose.setText(self._consent[1])
        anonymised = p is not None and p.anonymised_on is not None
        admin = self.services.actor.is_admin
        self.privacy_status.setText(
            _("Anonymised on {date}: only the sex, birth year, memberships and grants remain.").format(
                date=format_date(p.anonymised_on)
            )
            if p is not None and p.anonymised_on is not None
            else ""
        )
        self.export_button.setEnabled(p is not None and admin)
        self.anonymise_button.setEnabled(p is not None and admin and not anonymised)
        why = "" if admin else _("Only an administrator can do this.")
        self.export_button.setToolTip(why or _("Everything held about this person, as JSON or Excel"))
        self.anonymise_button.setToolTip(why or _("Erase this person's identity for good"))

    def _fill_memberships(self) -> None:
        rows = self.services.persons.memberships_of(self.entity_id) if self.entity_id else []
        self.memberships.setRowCount(len(rows))
        for n, m in enumerate(rows):
            cells = (
                f"{m.organisation_code} — {m.organisation_name}",
                MemberRole(m.role).label,
                format_date(m.start_date),
                format_date(m.end_date),
            )
            for col, text in enumerate(cells):
                self.memberships.setItem(n, col, QTableWidgetItem(text))
        self.memberships.resizeColumnsToContents()

    # --- live checks ------------------------------------------------------------------------

    def _check_cin(self, text: str) -> None:
        self.open_owner.setVisible(False)
        self._owner_id: int | None = None
        if not self.services.actor.sees_personal_data:  # the CIN is masked
            return
        try:
            cin = normalize_cin(text)
        except ValidationError as exc:
            self.set_live_error("cin", exc.message)
            return
        conflict = self.services.persons.cin_owner(text, self.entity_id) if cin else None
        if isinstance(conflict, ConflictError) and conflict.existing_id is not None:
            self.set_live_error("cin", conflict.message)
            self._owner_id = conflict.existing_id
            owner = self.services.persons.get(conflict.existing_id)
            self.open_owner.setText(_("Open {name} instead").format(name=owner.full_name))
            self.open_owner.setVisible(True)
        else:
            self.set_live_error(
                "cin", None, hint=_("Saved as {cin}").format(cin=cin) if cin and cin != text else None
            )
        self.refresh()

    def _phone_hint(self, text: str) -> str | None:
        phone = normalize_phone(text)
        return _("Saved as {phone}").format(phone=phone) if phone != text else None

    # --- possible duplicates ------------------------------------------------------------------

    def _typed(self, *_args: object) -> None:
        """Each change restarts the pause: one lookup when the typing stops, not one per key."""
        self._pause.start()

    def look_up(self) -> None:
        """Off the GUI thread; nothing is looked up before a first and a last name (or a CIN
        or phone) are typed, nor once the person is saved."""
        if self.entity_id is not None:
            return
        data = self.data()
        named = len(data.first_name.strip()) >= 2 and len(data.last_name.strip()) >= 2
        if not (named or (data.cin or "").strip() or (data.phone or "").strip()):
            self.candidates.show_candidates([])
            return
        self._lookups += 1
        run_in_background(
            partial(_lookup, self.services.duplicates, data, self.organisation_id, self._lookups),
            self._show_candidates,
            self._lookup_failed,
            owner=self,
        )

    def _show_candidates(self, answer: tuple[int, list[PersonCandidate]]) -> None:
        asked, found = answer
        if asked == self._lookups:  # an older lookup answering late is dropped
            self.candidates.show_candidates(found)

    def _lookup_failed(self, exc: BaseException) -> None:
        """The check helps, it never blocks entering a person: the panel says it could not look."""
        self.candidates.show_candidates([])
        message = exc.message if isinstance(exc, KsmError) else str(exc)
        show_message(
            self.general_error, _("Possible duplicates could not be checked: {error}").format(error=message)
        )

    def _open_same(self, person_id: int) -> None:
        """The user recognised a registered person: that one opens instead (audited)."""
        typed = f"{self.first_name.text().strip()} {self.last_name.text().strip()}".strip()
        try:
            self.services.duplicates.note_same(person_id, typed)
        except KsmError as exc:
            show_message(self.general_error, exc.message)
            return
        self.open_instead = person_id
        self.dirty = False
        self.reject()

    def _confirm_new(self) -> bool:
        """Saving a new person that strongly resembles a registered one asks once; the answer Yes
        records them as different persons."""
        try:
            found = self.services.duplicates.candidates(self.data(), self.organisation_id)
        except KsmError:
            return True
        self.candidates.show_candidates(found)
        strong = self.candidates.undecided_strong()
        if not strong:
            return True
        names = "\n".join(f"• {c.name}" for c in strong)
        question = _(
            "This person may already be registered:\n{names}\n\nSave a new person anyway? "
            "They will be remembered as different persons."
        ).format(names=names)
        if QMessageBox.question(self, _("Already registered?"), question) != QMessageBox.StandardButton.Yes:
            return False
        self.candidates.dismissed.update(c.person_id for c in strong)
        return True

    def save(self) -> bool:
        if self.entity_id is None and self.save_button.isEnabled() and not self._confirm_new():
            return False
        return super().save()

    def _open_owner(self) -> None:
        self.open_instead = self._owner_id
        self.dirty = False
        self.reject()

    # --- saving -----------------------------------------------------------------------------

    def data(self) -> PersonInput:
        birth_date = self.birth_date.value()
        return PersonInput(
            first_name=self.first_name.text(),
            last_name=self.last_name.text(),
            sex=str(self.sex.value() or ""),
            full_name_ar=self.name_ar.text(),
            cin=self.cin.text(),
            birth_date=birth_date,
            birth_year=None if birth_date else (self.birth_year.value() or None),
            phone=self.phone.text(),
            vulnerabilities=[tag for tag, box in self.tags.items() if box.isChecked()],
            household_size=self.household.value() or None,
            location_id=self.location.value(),
            notes=self.notes.toPlainText(),
            version=self.version,
        )

    def _consent_change(self) -> tuple[dt.date | None, str] | None:
        typed = (self.consent_date.value(), self.consent_purpose.text().strip())
        return None if typed == self._consent else typed

    def do_save(self) -> int:
        consent = self._consent_change()
        if consent is not None:
            validate_consent(*consent)  # refused before anything is saved
        if self.entity_id is None:
            person_id = self.services.persons.create(
                self.data(), different_from=sorted(self.candidates.dismissed)
            ).id
        else:
            person_id = self.services.persons.update(self.entity_id, self.data()).id
        if consent is not None:
            self.entity_id = person_id  # saved even if the consent fails below
            self.services.privacy.set_consent(person_id, *consent)
        return person_id

    # --- personal data ----------------------------------------------------------------------

    def export_personal_data(self) -> None:
        """Right of access: everything held about the person, in a file the user chooses."""
        if self.entity_id is None:
            return
        path_text, chosen = QFileDialog.getSaveFileName(
            self,
            _("Export personal data"),
            f"personne-{self.entity_id}.json",
            _("JSON file (*.json);;Excel workbook (*.xlsx)"),
        )
        if not path_text:
            return
        path = Path(path_text)
        if path.suffix.lower() not in {".json", ".xlsx"}:
            path = path.with_suffix(".xlsx" if "xlsx" in chosen else ".json")
        try:
            written = self.services.privacy.export_to(self.entity_id, path)
        except (KsmError, OSError) as exc:
            show_message(self.general_error, getattr(exc, "message", str(exc)))
            return
        QMessageBox.information(
            self, _("Export personal data"), _("Personal data written to {path}").format(path=written)
        )

    def anonymise(self) -> bool:
        """Erase the identity after a confirmation that says what goes and what stays."""
        if self.entity_id is None:
            return False
        question = _(
            "Anonymise {name}?\n\nTheir name, Arabic name, CIN, phone, birth date and notes are erased, "
            "also from the history and from the handover records they signed. Their sex, birth year, "
            "memberships and grants stay, so the figures do not change.\n\nThis cannot be undone."
        ).format(name=f"{self.first_name.text()} {self.last_name.text()}".strip())
        if QMessageBox.question(self, _("Anonymise"), question) != QMessageBox.StandardButton.Yes:
            return False
        try:
            self.services.privacy.anonymise(self.entity_id)
        except KsmError as exc:
            show_message(self.general_error, exc.message)
            return False
        self.saved = True
        self.dirty = False
        self.load()
        return True

    def after_save(self) -> None:
        self.candidates.show_candidates([])  # the form now shows a registered person
        self.load()
