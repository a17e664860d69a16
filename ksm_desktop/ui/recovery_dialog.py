"""What the user sees when the start-up check found something (see db/recovery.py)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from ksm_desktop.db.recovery import StartupCheck
from ksm_desktop.db.restore import restore_file
from ksm_desktop.i18n import _
from ksm_desktop.i18n.formatting import format_datetime


def location_warning_box(parent: QWidget | None, check: StartupCheck) -> QMessageBox | None:
    if check.location_warning is None:
        return None
    return QMessageBox(QMessageBox.Icon.Warning, _("KSM Desktop"), check.location_warning, parent=parent)


def retry_unavailable(parent: QWidget | None, message: str) -> bool:
    """The database could not be read (another program holds it, read-only): nothing was moved.
    True when the user asks to check it again."""
    box = QMessageBox(QMessageBox.Icon.Warning, _("KSM Desktop"), message, parent=parent)
    retry = box.addButton(_("Try again"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.setDefaultButton(retry)
    box.exec()
    return box.clickedButton() is retry


def damaged_box(parent: QWidget | None, check: StartupCheck) -> QMessageBox:
    """Says the file was set aside (or is missing) and offers the newest good backup."""
    if check.moved_aside is not None:
        text = _("The database was damaged and has been moved aside as {path} (nothing was deleted).").format(
            path=check.moved_aside
        )
        text += "\n\n" + _("Problem found: {problem}").format(problem=check.problem)
    else:
        text = str(check.problem)
    box = QMessageBox(QMessageBox.Icon.Critical, _("KSM Desktop"), text, parent=parent)
    if check.latest_good is not None:
        box.setInformativeText(
            _("Restore the backup of {date}?").format(date=format_datetime(check.latest_good.made_at))
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
    else:
        box.setInformativeText(_("No good backup was found: an empty database will be created."))
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
    return box


def offer_recovery(parent: QWidget | None, check: StartupCheck, db_path: Path) -> bool:
    """Show the warnings; restore the latest good backup if the user agrees. True if restored."""
    if check.notice is not None:
        QMessageBox(QMessageBox.Icon.Information, _("KSM Desktop"), check.notice, parent=parent).exec()
    warning = location_warning_box(parent, check)
    if warning is not None:
        warning.exec()
    if check.problem is None:
        return False
    box = damaged_box(parent, check)
    if box.exec() == QMessageBox.StandardButton.Yes and check.latest_good is not None:
        restore_file(check.latest_good.path, db_path)
        return True
    return False
