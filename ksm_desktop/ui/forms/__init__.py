"""Entry points of the forms, called by the main window and the list pages."""

from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import QWidget

from ksm_desktop.services import Services
from ksm_desktop.ui.forms.base import FormDialog

KINDS = ("organisation", "person", "programme", "grant")


def open_editor(kind: str, services: Services, entity_id: int | None, parent: QWidget | None) -> bool:
    """Open the modal form of `kind` on `entity_id` (None: a new one); True if something was saved."""
    saved = False
    while True:  # "open that person instead" (duplicate CIN) moves on to the owner's form
        dialog_saved, _saved_id, entity_id = _run(_dialog(kind, services, entity_id, parent))
        saved = saved or dialog_saved
        if entity_id is None:
            return saved


def open_person(
    services: Services, person_id: int | None, parent: QWidget | None, organisation_id: int | None = None
) -> int | None:
    """The id of the person saved in (or opened instead from) the person form, else None;
    `organisation_id`: the organisation a new person joins."""
    from ksm_desktop.ui.forms.person_dialog import PersonDialog

    saved, saved_id, instead = _run(PersonDialog(services, person_id, parent, organisation_id))
    if instead is not None:
        open_editor("person", services, instead, parent)
        return instead
    return saved_id if saved else None


def _run(dialog: FormDialog) -> tuple[bool, int | None, int | None]:
    """Show `dialog` modally, then delete its Qt side at once: left to Python's garbage collector,
    a dialog caught in a reference cycle can crash PySide6 when it is finally collected.
    Returns (saved, saved id, id of a record to open instead)."""
    dialog.exec()
    result = (dialog.saved, dialog.entity_id, getattr(dialog, "open_instead", None))
    shiboken6.delete(dialog)
    return result


def _dialog(kind: str, services: Services, entity_id: int | None, parent: QWidget | None) -> FormDialog:
    if kind == "organisation":
        from ksm_desktop.ui.forms.organisation_dialog import OrganisationDialog

        return OrganisationDialog(services, entity_id, parent)
    if kind == "person":
        from ksm_desktop.ui.forms.person_dialog import PersonDialog

        return PersonDialog(services, entity_id, parent)
    if kind == "programme":
        from ksm_desktop.ui.forms.programme_dialog import ProgrammeDialog

        return ProgrammeDialog(services, entity_id, parent)
    if kind == "grant":
        from ksm_desktop.ui.forms.grant_dialog import GrantDialog

        return GrantDialog(services, entity_id, parent)
    raise ValueError(f"unknown form kind: {kind!r} (expected one of {', '.join(KINDS)})")
