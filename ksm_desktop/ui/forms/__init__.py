"""Entry points of the forms, called by the main window and the list pages."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ksm_desktop.services import Services

KINDS = ("organisation", "person", "programme", "grant")


def open_editor(kind: str, services: Services, entity_id: int | None, parent: QWidget | None) -> bool:
    """Open the modal form of `kind` on `entity_id` (None: a new one); True if something was saved."""
    if kind == "person":
        saved = False
        while True:  # "open that person instead" (duplicate CIN) moves to the owner's form
            dialog = _dialog(kind, services, entity_id, parent)
            dialog.exec()
            dialog.deleteLater()
            saved = saved or dialog.saved
            if getattr(dialog, "open_instead", None) is None:
                return saved
            entity_id = dialog.open_instead
    dialog = _dialog(kind, services, entity_id, parent)
    dialog.exec()
    dialog.deleteLater()  # free the Qt side now rather than in a later garbage collection
    return dialog.saved


def open_person(services: Services, person_id: int | None, parent: QWidget | None) -> int | None:
    """The id of the person saved in (or opened instead from) the person form, else None."""
    from ksm_desktop.ui.forms.person_dialog import PersonDialog

    dialog = PersonDialog(services, person_id, parent)
    dialog.exec()
    dialog.deleteLater()
    if dialog.open_instead is not None:
        open_editor("person", services, dialog.open_instead, parent)
        return dialog.open_instead
    return dialog.entity_id if dialog.saved else None


def _dialog(kind: str, services: Services, entity_id: int | None, parent: QWidget | None):
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
        from ksm_desktop.ui.forms.grant_editor import GrantEditor

        return GrantEditor(services, entity_id, parent)
    raise ValueError(f"unknown form kind: {kind!r} (expected one of {', '.join(KINDS)})")
