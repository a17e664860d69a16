"""Print preview: the document's pages in a window, then the system print dialog (printer, copies,
pages) or 'Enregistrer en PDF…' under a meaningful name in the folder used last time.

QtPdf is not part of the PySide6 wheels this program ships with, so pages are rendered to images
by PDFium (pypdfium2), the engine Chrome uses; the same images are sent to the printer at its
resolution.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QSettings, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QCloseEvent, QDesktopServices, QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ksm_desktop.domain.errors import KsmError
from ksm_desktop.i18n import _

FOLDER_KEY = "printing/folder"
PREVIEW_DPI = 90


def page_image(document: pdfium.PdfDocument, index: int, dpi: float) -> QImage:
    """One page as an image at `dpi` (a copy: PDFium's buffer is freed with the bitmap)."""
    bitmap = document[index].render(scale=dpi / 72, force_bitmap_format=pdfium.raw.FPDFBitmap_BGRA)
    image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_ARGB32)
    return image.copy()


def saved_folder() -> Path:
    """The folder of the last 'Enregistrer en PDF…', else the user's Documents folder."""
    stored = QSettings().value(FOLDER_KEY, "")
    if stored and Path(str(stored)).is_dir():
        return Path(str(stored))
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation))


class PrintPreview(QDialog):
    """The rendered document `path`, to print or save as `file_name` (e.g. 'KSM-2026-0001 fiche de
    dotation.pdf')."""

    def __init__(self, path: Path, file_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.file_name = file_name
        self.document = pdfium.PdfDocument(self.path.read_bytes())
        self.setWindowTitle(_("Print preview — {name}").format(name=file_name))
        self.resize(720, 860)
        pages = QWidget()
        column = QVBoxLayout(pages)
        column.setSpacing(12)
        self.pages: list[QLabel] = []
        for index in range(len(self.document)):
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(page_image(self.document, index, PREVIEW_DPI)))
            label.setStyleSheet("border: 1px solid #9aa3ad; background: white;")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            column.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.pages.append(label)
        scroll = QScrollArea()
        scroll.setWidget(pages)
        scroll.setWidgetResizable(True)
        scroll.setStyleSheet("QScrollArea { background: #5f6b76; }")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.print_button = QPushButton(_("&Print…"))
        self.print_button.setDefault(True)
        self.save_button = QPushButton(_("&Save as PDF…"))
        self.viewer_button = QPushButton(_("Open in the PDF &viewer"))
        for button in (self.print_button, self.save_button, self.viewer_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_as)
        self.viewer_button.clicked.connect(self.open_viewer)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)

    def print_document(self) -> bool:
        """The system print dialog; the chosen pages and copies go to the printer."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.file_name)
        printer.setFromTo(1, len(self.document))
        dialog = QPrintDialog(printer, self)
        dialog.setMinMax(1, len(self.document))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self.print_to(printer)
        return True

    def print_to(self, printer: QPrinter) -> None:
        """Each page (in the range chosen, if any) scaled to the printable area."""
        first, last = printer.fromPage(), printer.toPage()
        indexes = range(first - 1, last) if first > 0 else range(len(self.document))
        painter = QPainter()
        if not painter.begin(printer):
            QMessageBox.warning(self, _("Printing"), _("The printer could not be opened."))
            return
        try:
            dpi = min(printer.resolution(), 300)
            for n, index in enumerate(indexes):
                if n:
                    printer.newPage()
                image = page_image(self.document, index, dpi)
                area = painter.viewport()
                size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(
                    area.x(), area.y(), image.scaled(size, mode=Qt.TransformationMode.SmoothTransformation)
                )
        finally:
            painter.end()

    def save_as(self) -> Path | None:
        """Ask where, starting in the folder used last time with the document's name."""
        target, _filter = QFileDialog.getSaveFileName(
            self, _("Save as PDF"), str(saved_folder() / self.file_name), _("PDF documents (*.pdf)")
        )
        if not target:
            return None
        path = Path(target)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        try:
            from ksm_desktop.reports import write_pdf

            write_pdf(path, self.path.read_bytes())
        except KsmError as exc:
            QMessageBox.warning(self, _("Save as PDF"), exc.message)
            return None
        QSettings().setValue(FOLDER_KEY, str(path.parent))
        return path

    def open_viewer(self) -> None:
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.path))):
            QMessageBox.information(
                self,
                _("Printing"),
                _("The document was saved as {path}; no PDF viewer could open it.").format(path=self.path),
            )

    def closeEvent(self, event: QCloseEvent) -> None:
        self.document.close()
        super().closeEvent(event)
