"""The "Attachments" tab of the grant, organisation and person forms: the signed PV, invoices,
photos and statutes of the record, as thumbnails; attach by "Attach…" or by dropping files,
open one with the system's viewer, remove one (kept for an administrator until a purge).

Files are stored the moment they are attached (each is its own use case, audited), whatever
happens to the form's other fields.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent, QIcon, QPixmap
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ksm_desktop.domain.enums import AttachmentKind, AttachmentOwner
from ksm_desktop.domain.errors import KsmError
from ksm_desktop.i18n import _
from ksm_desktop.i18n.formatting import format_date
from ksm_desktop.services import Services
from ksm_desktop.services.attachments import AttachmentDTO
from ksm_desktop.ui.forms.base import error_label, show_message
from ksm_desktop.ui.forms.fields import ChoiceCombo

THUMB = QSize(128, 96)
FILE_FILTER = "*.pdf *.jpg *.jpeg *.png *.heic *.heif"


class AttachmentsPanel(QWidget):
    def __init__(
        self,
        services: Services,
        owner: AttachmentOwner,
        default_kind: AttachmentKind,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.owner = owner
        self.record_id: int | None = None
        self.setAcceptDrops(True)
        box = QVBoxLayout(self)
        self.hint = QLabel(_("Save the record first; then attach its files here."))
        box.addWidget(self.hint)
        self.files = QListWidget()
        self.files.setViewMode(QListWidget.ViewMode.IconMode)
        self.files.setIconSize(THUMB)
        self.files.setGridSize(QSize(THUMB.width() + 48, THUMB.height() + 56))
        self.files.setWordWrap(True)
        self.files.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.files.setMovement(QListWidget.Movement.Static)
        self.files.itemActivated.connect(self.open_current)
        box.addWidget(self.files, 1)
        self.error = error_label()
        box.addWidget(self.error)
        buttons = QHBoxLayout()
        self.kind = ChoiceCombo.of_enum(AttachmentKind)
        self.kind.set_value(default_kind.value)
        self.attach_button = QPushButton(_("Attach…"))
        self.attach_button.clicked.connect(self.choose_files)
        self.open_button = QPushButton(_("Open"))
        self.open_button.setProperty("reading", True)  # read-only accounts may still look
        self.open_button.clicked.connect(self.open_current)
        self.remove_button = QPushButton(_("Remove"))
        self.remove_button.clicked.connect(self.remove_current)
        for widget in (QLabel(_("Kind")), self.kind, self.attach_button):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.remove_button)
        box.addLayout(buttons)
        self.set_record(None)

    def set_record(self, record_id: int | None) -> None:
        """Show the files of `record_id` (None: a record not saved yet, nothing to attach to)."""
        self.record_id = record_id
        self.hint.setVisible(record_id is None)
        writable = record_id is not None and self.services.actor.can_write
        for widget in (self.kind, self.attach_button, self.remove_button):
            widget.setEnabled(writable)
        self.setAcceptDrops(writable)
        self.reload()

    def reload(self) -> None:
        self.files.clear()
        if self.record_id is None:
            return
        thumbnails = self.services.attachments.thumbnails(self.owner, self.record_id)
        for attachment in self.services.attachments.list(self.owner, self.record_id):
            self._add_item(attachment, thumbnails.get(attachment.id))

    def _add_item(self, attachment: AttachmentDTO, thumbnail: bytes | None) -> None:
        pixmap = QPixmap()
        if thumbnail:
            pixmap.loadFromData(thumbnail)
        text = f"{attachment.filename}\n{attachment.kind.label} · {format_date(attachment.dated_on)}"
        item = QListWidgetItem(QIcon(pixmap), text, self.files)
        item.setToolTip(attachment.caption or attachment.filename)
        item.setData(Qt.ItemDataRole.UserRole, attachment.id)

    def choose_files(self) -> None:
        names, _filter = QFileDialog.getOpenFileNames(
            self, _("Attach files"), "", _("PDF, photos ({patterns})").format(patterns=FILE_FILTER)
        )
        self.attach([Path(n) for n in names])

    def attach(self, paths: list[Path]) -> None:
        """Store `paths` on the record, all or none; a refused file is named in the message."""
        if not paths or self.record_id is None:
            return
        show_message(self.error, None)
        try:
            self.services.attachments.add_many(self.owner, self.record_id, paths, str(self.kind.value()))
        except KsmError as exc:
            show_message(self.error, exc.message)
            return
        self.reload()

    def _current_id(self) -> int | None:
        item = self.files.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def open_current(self) -> None:
        """The file, checked, written to a temporary folder and opened by the system's viewer."""
        attachment_id = self._current_id()
        if attachment_id is None:
            return
        try:
            attachment = self.services.attachments.get(attachment_id)
            data = self.services.attachments.content(attachment_id)
        except KsmError as exc:
            show_message(self.error, exc.message)
            return
        folder = Path(tempfile.gettempdir()) / "ksm-desktop-attachments"
        folder.mkdir(exist_ok=True)
        path = folder / f"{attachment.id}-{Path(attachment.filename).name}"
        path.write_bytes(data)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def remove_current(self) -> None:
        attachment_id = self._current_id()
        if attachment_id is None:
            return
        answer = QMessageBox.question(
            self,
            _("Remove the file"),
            _("Remove this file from the record? An administrator can still see it until it is purged."),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.services.attachments.remove(attachment_id)
        except KsmError as exc:
            show_message(self.error, exc.message)
            return
        self.reload()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and self.record_id is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        event.acceptProposedAction()
        self.attach(paths)
