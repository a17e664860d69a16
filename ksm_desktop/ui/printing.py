"""Printing from the GUI: a document is rendered off the GUI thread, saved in a temporary folder
and shown in the print preview (print dialog, 'Enregistrer en PDF…' under a meaningful name, or
the system's PDF viewer). Errors go to a message box.

The grant dialog and the lists call:
    print_grant_sheet(parent, services, number, lang=None)
    print_grant_sheets(parent, services, numbers, lang=None)
    print_handover(parent, services, number, lang=None)
    print_member_list(parent, services, organisation_id, lang=None, title=None, date=None)
    print_programme_sheets(parent, services, programme_code, lang=None)
    print_programme_report(parent, services, programme_code, lang=None)
Each returns a `PrintJob` whose `finished(path)` / `failed(message)` signals tell when it is over.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from ksm_desktop.domain.errors import KsmError
from ksm_desktop.i18n import _, ngettext
from ksm_desktop.services import Services
from ksm_desktop.ui.workers import run_in_background

log = logging.getLogger(__name__)
_running: set[PrintJob] = set()  # jobs are kept alive until their outcome has been delivered


def documents_dir() -> Path:
    """Where printed documents are saved before the viewer opens them."""
    folder = Path(tempfile.gettempdir()) / "ksm-desktop-documents"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class PrintJob(QObject):
    finished = Signal(str)  # path of the PDF
    failed = Signal(str)  # message already translated


def _write(render: Callable[[], bytes], path: Path) -> str:
    """Worker thread: render and save; a bug reaches the user as a message (see `_start`)."""
    from ksm_desktop.reports import write_pdf

    write_pdf(path, render())
    return str(path)


def show_preview(parent: QWidget | None, path: Path, file_name: str) -> QWidget:
    """The print preview of the rendered document (a window of its own, closed by the user)."""
    from ksm_desktop.ui.print_preview import PrintPreview

    preview = PrintPreview(path, file_name, parent)
    preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    preview.show()
    return preview


def _start(parent: QWidget | None, name: str, render: Callable[[], bytes]) -> PrintJob:
    """Render off the GUI thread, then preview; `name` is what the document is called when saved
    ('KSM-2026-0001 fiche de dotation')."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    # A new name each time: on Windows the viewer keeps the previous file locked.
    path = documents_dir() / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}-{stamp}.pdf"
    file_name = re.sub(r'[<>:"/\\|?*]+', "-", name) + ".pdf"  # a name Windows accepts
    job = PrintJob()
    _running.add(job)
    QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)

    def done() -> None:
        QApplication.restoreOverrideCursor()
        _running.discard(job)

    def opened(file: str) -> None:
        done()
        job.finished.emit(file)
        show_preview(parent, Path(file), file_name)

    def failed(exc: BaseException) -> None:
        done()
        if isinstance(exc, KsmError):
            message = exc.message
        else:  # a bug must reach the user as a message, not vanish with the worker
            log.error("printing %s failed", path.name, exc_info=exc)
            message = _("The document could not be produced: {reason}").format(reason=exc)
        job.failed.emit(message)
        QMessageBox.warning(parent, _("Printing"), message)

    run_in_background(partial(_write, render, path), opened, failed)
    return job


def print_grant_sheet(
    parent: QWidget | None, services: Services, number: str, lang: str | None = None
) -> PrintJob:
    from ksm_desktop.reports import render_grant_sheet

    name = _("{number} grant sheet").format(number=number)
    return _start(parent, name, lambda: render_grant_sheet(services, number, lang))


def print_grant_sheets(
    parent: QWidget | None, services: Services, numbers: list[str], lang: str | None = None
) -> PrintJob:
    """Several grant sheets in one PDF (the grants selected in the list), printed at once."""
    from ksm_desktop.reports import render_grant_sheets

    numbers = list(numbers)
    more = len(numbers) - 1
    name = ngettext(
        "{number} and {count} more grant sheet", "{number} and {count} more grant sheets", more
    ).format(number=numbers[0], count=more)
    return _start(parent, name, lambda: render_grant_sheets(services, numbers, lang))


def print_handover(
    parent: QWidget | None, services: Services, number: str, lang: str | None = None
) -> PrintJob:
    from ksm_desktop.reports import render_handover

    name = _("{number} handover certificate").format(number=number)
    return _start(parent, name, lambda: render_handover(services, number, lang))


def print_member_list(
    parent: QWidget | None,
    services: Services,
    organisation_id: int,
    lang: str | None = None,
    title: str | None = None,
    date: dt.date | None = None,
) -> PrintJob:
    from ksm_desktop.reports import render_member_list

    code = services.organisations.get(organisation_id).code
    return _start(
        parent,
        _("{code} signature list").format(code=code),
        lambda: render_member_list(services, organisation_id, lang, title=title, date=date),
    )


def print_programme_sheets(
    parent: QWidget | None, services: Services, programme_code: str, lang: str | None = None
) -> PrintJob:
    from ksm_desktop.reports import render_programme_sheets

    name = _("{code} grant sheets").format(code=programme_code)
    return _start(parent, name, lambda: render_programme_sheets(services, programme_code, lang))


def print_programme_report(
    parent: QWidget | None, services: Services, programme_code: str, lang: str | None = None
) -> PrintJob:
    """The donor report of a programme (figures, charts, every grant)."""
    from ksm_desktop.reports.programme_report import render_programme_report

    name = _("{code} programme report").format(code=programme_code)
    return _start(parent, name, lambda: render_programme_report(services, programme_code, lang))
