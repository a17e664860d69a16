"""The code on a grant sheet proves it: made with the database's own key over everything the
sheet prints, checked by `verify` (CLI and GUI), unchanged by harmless edits after delivery."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select, update

from ksm_desktop.cli import main
from ksm_desktop.db.models import GrantSeal, Setting
from ksm_desktop.db.models_security import AuditEntry
from ksm_desktop.db.storage import open_database
from ksm_desktop.reports import render_grant_sheet
from ksm_desktop.services import Actor, Services
from ksm_desktop.services.dto import DeliveryInput, GrantItemInput, OrganisationInput
from tests.reports.conftest import chems_number, flat, pages_text, replace_first_item


def qr_text(pdf: bytes, tmp_path: Path) -> str:
    """The QR code of the first page, decoded from the rendered page as a phone would."""
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")

    (tmp_path / "sheet.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "200",
            "-f",
            "1",
            "-l",
            "1",
            str(tmp_path / "sheet.pdf"),
            str(tmp_path / "p"),
        ],
        check=True,
        timeout=120,
    )
    found = zxingcpp.read_barcodes(Image.open(next(tmp_path.glob("p*.png"))))
    assert len(found) == 1
    return str(found[0].text)


def _reprice_first_item(services: Services, number: str) -> None:
    first = services.grants.get_by_number(number).items[0]
    replace_first_item(
        services,
        number,
        GrantItemInput(first.designation, first.quantity, first.unit_price + 1, unit=first.unit),
    )


def test_the_qr_code_of_a_validated_sheet_verifies(demo: Services, tmp_path: Path) -> None:
    number = chems_number(demo)
    demo.grants.transition(demo.grants.get_by_number(number).id, "validated")
    pdf = render_grant_sheet(demo, number, "fr")
    payload = qr_text(pdf, tmp_path)
    assert payload.startswith(number + " ") and len(payload.split()[1]) == 26
    check = demo.seals.verify(payload)
    assert check.outcome == "authentic", check.message
    # The code printed under the QR code, typed by hand in lower case with its spaces, is accepted.
    printed = " ".join(flat(pages_text(pdf)[0]).split("Code de vérification ")[1].split()[:6])
    assert printed.replace(" ", "") == payload.split()[1]
    assert demo.seals.verify(f"{number.lower()} {printed.lower()}").outcome == "authentic"


def test_a_tampered_code_or_unknown_number_is_forged(demo: Services) -> None:
    number = chems_number(demo)
    demo.grants.transition(demo.grants.get_by_number(number).id, "validated")
    code = demo.seals.sheet(number).code
    assert code is not None
    tampered = code[:-1] + ("A" if code[-1] != "A" else "B")
    assert demo.seals.verify(f"{number} {tampered}").outcome == "forged"
    assert demo.seals.verify(f"KSM-1999-0001 {code}").outcome == "forged"
    # The same content sealed under another database's key is not this database's code.
    with demo.db.transaction(actor="test") as session:
        session.execute(update(Setting).where(Setting.key == "seal.key").values(value="00" * 32))
    assert demo.seals.verify(f"{number} {code}").outcome == "forged"


def test_a_change_after_printing_is_named(demo: Services) -> None:
    number = chems_number(demo)
    demo.grants.transition(demo.grants.get_by_number(number).id, "validated")
    first = demo.seals.sheet(number).code
    _reprice_first_item(demo, number)
    second = demo.seals.sheet(number).code
    assert second != first
    check = demo.seals.verify(f"{number} {first}")
    assert check.outcome == "changed" and check.differences == ("items", "total", "exchange rate")
    assert demo.seals.verify(f"{number} {second}").outcome == "authentic"


def test_renaming_the_organisation_after_delivery_keeps_the_sheet_and_its_code(demo: Services) -> None:
    number = chems_number(demo)
    grant = demo.grants.get_by_number(number)
    demo.grants.transition(grant.id, "validated")
    delivery = DeliveryInput(dt.date.today(), "Errachidia", "Rachida Ait Baha")
    demo.grants.transition(grant.id, "delivered", delivery=delivery)
    code = demo.seals.sheet(number).code
    org = demo.organisations.get(grant.recipient.organisation_id or 0)
    data = OrganisationInput(
        **{f.name: getattr(org, f.name) for f in fields(OrganisationInput) if hasattr(org, f.name)}
    )
    demo.organisations.update(org.id, replace(data, name="Coopérative Renommée"))
    assert demo.seals.sheet(number).code == code
    assert demo.seals.verify(f"{number} {code}").outcome == "authentic"
    text = flat(pages_text(render_grant_sheet(demo, number, "fr"))[0])
    assert "Coopérative Chems Almaghreb" in text and "Renommée" not in text


def test_the_key_never_reaches_the_audit_log(demo: Services) -> None:
    number = chems_number(demo)
    demo.grants.transition(demo.grants.get_by_number(number).id, "validated")
    with demo.db.reading() as session:
        key = session.get(Setting, "seal.key")
        assert key is not None
        logged = " ".join(e.changes for e in session.scalars(select(AuditEntry)))
        assert session.scalars(select(GrantSeal)).first() is not None
    assert key.value not in logged


def test_a_draft_has_no_code(demo: Services) -> None:
    number = chems_number(demo)
    assert demo.seals.sheet(number).code is None
    reader = PdfReader(io.BytesIO(render_grant_sheet(demo, number, "fr")))
    assert "Code de vérification" not in reader.pages[0].extract_text()


def test_cli_verify(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "k.sqlite3"
    assert main(["--db", str(path), "demo"]) == 0
    services = Services(open_database(path=path), Actor("admin", "admin"))
    number = chems_number(services)
    services.grants.transition(services.grants.get_by_number(number).id, "validated")
    code = services.seals.sheet(number).code
    assert code is not None
    services.db.dispose()
    capsys.readouterr()
    assert main(["--db", str(path), "--lang", "fr", "verify", number, code[:13], code[13:]]) == 0
    assert "Authentique" in capsys.readouterr().out
    assert main(["--db", str(path), "--lang", "fr", "verify", f"{number} {code[::-1]}"]) == 1
    assert "Non authentique" in capsys.readouterr().out


def test_the_check_dialog_answers_as_a_person_types(demo: Services, qtbot: Any) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from ksm_desktop.ui.verify_dialog import VerifySheetDialog

    number = chems_number(demo)
    demo.grants.transition(demo.grants.get_by_number(number).id, "validated")
    code = demo.seals.sheet(number).code
    assert code is not None
    dialog = VerifySheetDialog(demo)
    qtbot.addWidget(dialog)
    dialog.show()
    QTest.keyClicks(dialog.code, f"{number} {code}")
    QTest.keyClick(dialog.code, Qt.Key.Key_Return)
    assert number in dialog.answer.text() and dialog.answer.text().startswith("Authentic")
    dialog.code.clear()
    QTest.keyClicks(dialog.code, f"{number} {'A' * 26}")
    QTest.keyClick(dialog.code, Qt.Key.Key_Return)
    assert dialog.answer.text().startswith("Not authentic")
    dialog.code.clear()
    QTest.keyClicks(dialog.code, "nonsense")
    QTest.mouseClick(dialog.check_button, Qt.MouseButton.LeftButton)
    assert "code printed under the QR code" in dialog.answer.text()
