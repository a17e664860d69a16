"""What the File, Tools and Help menus open over the whole window: settings, restoring a backup,
the programme report, checking a printed sheet, the audit log, accounts, the copy to a server,
the user guide and About. Kept apart from the window's own layout and state (ui/main_window.py);
each imports its dialog when chosen, so none of them stands before the window on screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ksm_desktop import version
from ksm_desktop.i18n import _

if TYPE_CHECKING:
    from ksm_desktop.ui.main_window import MainWindow


def open_settings(window: MainWindow) -> None:
    from ksm_desktop.ui.settings_dialog import SettingsDialog

    if window.services is not None:
        dialog = SettingsDialog(window.services, window)
        dialog.exec()
        if dialog.restart_now:
            window.restart()


def restore_backup(window: MainWindow) -> None:
    """Close the database, let the administrator pick a copy, reopen whatever is there now."""
    from PySide6.QtWidgets import QMessageBox

    from ksm_desktop.db.audit import record_restore
    from ksm_desktop.db.storage import open_database
    from ksm_desktop.domain.errors import KsmError
    from ksm_desktop.services import Services
    from ksm_desktop.ui.restore_dialog import RestoreDialog
    from ksm_desktop.ui.workers import wait_for_jobs

    if window.services is None:
        return
    db = window.services.db
    if db.path is None or db.backup_dir is None or not window.services.actor.is_admin:
        return
    path, backup_dir = db.path, db.backup_dir
    dialog = RestoreDialog(path, backup_dir, window)
    wait_for_jobs()  # no query may run on the file being replaced
    db.dispose()
    restored = dialog.exec() == RestoreDialog.DialogCode.Accepted
    try:
        reopened = open_database(path=path, backup_dir=backup_dir)
    except KsmError as exc:
        QMessageBox.critical(window, _("Restore a backup"), exc.message)
        return
    if restored and dialog.source is not None:
        record_restore(reopened, window.services.actor.username, dialog.source, dialog.aside)
    window.set_services(Services(reopened, window.services.actor))
    if restored:
        window.statusBar().showMessage(
            _("Backup restored; the previous database was kept as {path}.").format(path=dialog.aside)
        )


def print_programme_report(window: MainWindow) -> None:
    """The donor report of the programme selected in the Programmes list (the current one first)."""
    from PySide6.QtWidgets import QMessageBox

    from ksm_desktop.services.dto import ProgrammeRow
    from ksm_desktop.ui import printing

    page = window.lists.get("programmes") if window.services is not None else None
    rows = [r for r in page.selected_rows() if isinstance(r, ProgrammeRow)] if page is not None else []
    if window.services is None or not rows:
        QMessageBox.information(
            window, _("Programme report"), _("Select a programme in the Programmes list first.")
        )
        return
    printing.print_programme_report(window, window.services, rows[0].code)


def open_verify_sheet(window: MainWindow) -> None:
    from ksm_desktop.ui.verify_dialog import VerifySheetDialog

    if window.services is not None:
        VerifySheetDialog(window.services, window).exec()


def open_audit_log(window: MainWindow) -> None:
    from PySide6.QtWidgets import QDialog, QVBoxLayout

    from ksm_desktop.ui.audit_view import AuditView

    if window.services is None:
        return
    dialog = QDialog(window)
    dialog.setWindowTitle(_("Audit log"))
    dialog.resize(1000, 600)
    QVBoxLayout(dialog).addWidget(AuditView(window.services, dialog))
    dialog.exec()


def open_users(window: MainWindow) -> None:
    from ksm_desktop.ui.users_dialog import UsersDialog

    if window.services is not None:
        UsersDialog(window.services, window).exec()


def copy_to_server(window: MainWindow) -> None:
    from ksm_desktop.ui.copy_dialog import CopyDialog

    if window.services is not None and window.services.actor.is_admin:
        CopyDialog(window.services.db, window).exec()


def about_text(window: MainWindow) -> str:
    from ksm_desktop.db.storage import schema_report

    if window.services is None:
        url, revision = _("opening…"), _("none")
    else:
        url = str(window.services.db.url)
        revision = schema_report(window.services.db)["revision"] or _("none")
    return _(
        "<h3>KSM Desktop {version}</h3>"
        "<p>Registry of organisations, members, programmes and grants of Karama Solidarity Maroc.</p>"
        "<p>Database: {url}<br>Schema revision: {revision}</p>"
    ).format(version=version(), url=url, revision=revision)


def show_help(window: MainWindow) -> None:
    """F1: the user guide, beside the window (it stays open while the user works)."""
    from ksm_desktop.ui.help import HelpDialog

    db = window.services.db if window.services is not None else None
    database = str(db.path) if db is not None and db.path else (db.url if db is not None else "")
    backups = str(db.backup_dir) if db is not None and db.backup_dir else None
    window.help_dialog = HelpDialog(database, backups, window)
    window.help_dialog.show()


def show_about(window: MainWindow) -> None:
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.about(window, _("About KSM Desktop"), about_text(window))
