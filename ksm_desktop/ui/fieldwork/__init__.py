"""Field work in the GUI: households, activities, results framework and follow-up visits."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ksm_desktop.services import Services

FIELD_KINDS = ("household", "activity")


def open_field_editor(kind: str, services: Services, entity_id: int | None, parent: QWidget | None) -> bool:
    """Open the household or activity form modally; True if something was saved."""
    from ksm_desktop.ui.forms import _run

    if kind == "household":
        from ksm_desktop.ui.fieldwork.household_dialog import HouseholdDialog

        return _run(HouseholdDialog(services, entity_id, parent))[0]
    if kind == "activity":
        from ksm_desktop.ui.fieldwork.activity_dialog import ActivityDialog

        return _run(ActivityDialog(services, entity_id, parent))[0]
    raise ValueError(f"unknown field form kind: {kind!r} (expected one of {', '.join(FIELD_KINDS)})")
