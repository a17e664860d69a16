"""The "Attachments" tab of the grant editor: attach with the button or by dropping files, see
thumbnails, open one with the system viewer, remove one; a refused file is said, nothing stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QDropEvent
from PySide6.QtWidgets import QFileDialog, QMessageBox

from ksm_desktop.services import ListQuery, Services
from ksm_desktop.ui.forms.grant_dialog import GrantDialog
from tests.ui.forms_support import answer, track
from tests.unit.attachment_files import phone_photo, scanned_pdf


def _drop(widget: object, paths: list[Path]) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPointF(20, 20),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    widget.dropEvent(event)  # type: ignore[attr-defined]


def test_grant_files_attached_opened_and_removed(
    qtbot, demo: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    grant = demo.grants.search(ListQuery(limit=1)).rows[0].id
    editor = track(qtbot, GrantDialog(demo, grant))
    editor.show()
    editor.tabs.setCurrentWidget(editor.attachments)
    panel = editor.attachments
    # the demo's first grant is delivered: its content is frozen, its evidence can still come
    assert editor.banner.isVisible() and panel.kind.isEnabled() and panel.attach_button.isEnabled()
    pv, photo = tmp_path / "PV signé.pdf", tmp_path / "IMG_2041.jpg"
    pv.write_bytes(scanned_pdf())
    photo.write_bytes(phone_photo())

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *_a, **_k: ([str(pv)], ""))
    qtbot.mouseClick(panel.attach_button, Qt.MouseButton.LeftButton)
    assert panel.files.count() == 1
    assert "PV signé.pdf" in panel.files.item(0).text()
    assert "Signed handover certificate" in panel.files.item(0).text()
    assert not panel.files.item(0).icon().isNull()

    panel.kind.set_value("photo")
    _drop(panel, [photo])
    assert panel.files.count() == 2 and "14 Jun 2025" in panel.files.item(1).text()  # date taken

    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", opened.append)
    panel.files.setCurrentRow(0)
    qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)
    assert Path(opened[0].toLocalFile()).read_bytes() == pv.read_bytes()

    asked = answer(monkeypatch, QMessageBox.StandardButton.Yes)
    panel.files.setCurrentRow(1)
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    assert asked and panel.files.count() == 1
    assert [a.filename for a in demo.attachments.list("grant", grant)] == ["PV signé.pdf"]

    fake = tmp_path / "facture.jpg"
    fake.write_text("pas une image", "utf-8")
    _drop(panel, [fake])
    assert "facture.jpg is not a PDF, JPEG, PNG or HEIC" in panel.error.text()
    assert panel.files.count() == 1


def test_a_new_grant_says_to_save_before_attaching(qtbot, demo: Services) -> None:
    editor = track(qtbot, GrantDialog(demo, None))
    editor.show()
    editor.tabs.setCurrentWidget(editor.attachments)
    assert editor.attachments.hint.isVisible() and not editor.attachments.attach_button.isEnabled()
