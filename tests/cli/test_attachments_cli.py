"""`attach`, `attachments` and `attachment-get`: evidence added to a grant from the command line,
listed as JSON and written back byte for byte; a refused file exits 1 and stores nothing."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest
from PIL import Image

from ksm_desktop.cli import main
from ksm_desktop.services import ListQuery, Services
from tests.unit.attachment_files import GPS_IFD, phone_photo, scanned_pdf


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_attach_list_and_get_back(
    demo: Services, db_args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    number = demo.grants.search(ListQuery(limit=1)).rows[0].number
    pv, photo = tmp_path / "PV signé.pdf", tmp_path / "IMG_2041.jpg"
    pv.write_bytes(scanned_pdf())
    photo.write_bytes(phone_photo())
    code, out, err = run(capsys, *db_args, "attach", "grant", number, str(pv), "--kind", "signed_pv")
    assert (code, err) == (0, "") and "PV signé.pdf" in out
    code, _out, err = run(
        capsys, *db_args, "attach", "grant", number, str(photo), "--kind", "photo", "--caption", "Machines"
    )
    assert (code, err) == (0, "")

    code, out, err = run(capsys, *db_args, "attachments", "grant", number, "--json")
    listed = json.loads(out)
    assert code == 0 and [(a["kind"], a["filename"]) for a in listed] == [
        ("signed_pv", "PV signé.pdf"),
        ("photo", "IMG_2041.jpg"),
    ]
    assert {"id", "kind", "filename", "size", "sha256", "added_on"} <= set(listed[0])
    assert listed[0]["sha256"] == hashlib.sha256(pv.read_bytes()).hexdigest()

    out_file = tmp_path / "back.pdf"
    code, _out, err = run(capsys, *db_args, "attachment-get", str(listed[0]["id"]), "--out", str(out_file))
    assert (code, err) == (0, "") and out_file.read_bytes() == pv.read_bytes()
    code, _out, _err = run(capsys, *db_args, "attachment-get", str(listed[1]["id"]), "--out", str(out_file))
    stored = out_file.read_bytes()
    assert hashlib.sha256(stored).hexdigest() == listed[1]["sha256"]
    assert GPS_IFD not in Image.open(io.BytesIO(stored)).getexif()

    code, out, _err = run(capsys, *db_args, "attachments", "grant", number)
    assert code == 0 and "Machines" in out and "Signed handover certificate" in out


def test_refused_file_exits_1_and_stores_nothing(
    demo: Services, db_args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    grant = demo.grants.search(ListQuery(limit=1)).rows[0].id
    fake = tmp_path / "facture.jpg"
    fake.write_text("Facture n° 31 — 52 000 MAD", "utf-8")
    code, out, err = run(capsys, *db_args, "attach", "grant", str(grant), str(fake), "--kind", "invoice")
    assert (code, out) == (1, "") and "not a PDF, JPEG, PNG or HEIC" in err
    code, _out, err = run(capsys, *db_args, "attach", "grant", str(grant), str(tmp_path / "missing.pdf"))
    assert code == 1 and "No file at" in err
    code, out, _err = run(capsys, *db_args, "attachments", "grant", str(grant), "--json")
    assert (code, json.loads(out)) == (0, [])
    code, _out, err = run(capsys, *db_args, "attachment-get", "999999", "--out", str(tmp_path / "x"))
    assert code == 1 and "Unknown attachment" in err and not (tmp_path / "x").exists()


def test_a_visited_piece_gets_its_photo_from_the_command_line(
    services: Services, db_args: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from ksm_desktop.services.dto_fieldwork import PieceInput, VisitInput
    from tests.serials_support import DELIVERED_ON, delivered_workshop

    org, _programme = delivered_workshop(services, ["SN-4471"], 1)
    machine, _overlocker = services.visits.equipment_of(org)
    visit = services.visits.create(
        VisitInput(
            org, DELIVERED_ON, "Naima", pieces=[PieceInput(machine.item_id, "broken", machine.serial_id)]
        )
    )
    photo = tmp_path / "SN-4471.jpg"
    photo.write_bytes(phone_photo())
    code, out, err = run(
        capsys, *db_args, "attach", "visit_piece", str(visit.pieces[0].id), str(photo), "--kind", "photo"
    )
    assert (code, err) == (0, "") and "SN-4471.jpg" in out
    code, out, _err = run(capsys, *db_args, "attachments", "visit", str(visit.id), "--json")
    assert code == 0 and [a["filename"] for a in json.loads(out)] == ["SN-4471.jpg"]
