"""Attendance list of an activity: the participants' names on the signature-list layout, and the
print-attendance command (exit 1 and no file on rejected input)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ksm_desktop.cli import main
from ksm_desktop.db.storage import open_database
from ksm_desktop.domain.errors import NotFoundError
from ksm_desktop.reports import render_activity_attendance
from ksm_desktop.services import Actor, ListQuery, Services
from ksm_desktop.services.dto_fieldwork import ActivityInput
from tests.reports.conftest import flat, pages_text


def _trained(services: Services) -> int:
    """An activity of the demo with registered participants."""
    rows = services.activities.search(ListQuery(limit=None)).rows
    return next(r.id for r in rows if r.participants)


def test_attendance_lists_every_participant_with_their_organisation(demo: Services) -> None:
    activity = demo.activities.get(_trained(demo))
    text = flat(" ".join(pages_text(render_activity_attendance(demo, activity.id, "fr"))))
    assert "LISTE D'ÉMARGEMENT" in text.upper() or "ÉMARGEMENT" in text.upper()
    for p in activity.participants:
        assert p.name in text
    assert "Organisation" in text and "Téléphone" not in text
    assert next(p.organisation_code for p in activity.participants if p.organisation_code) in text
    assert activity.topic in text


def test_attendance_without_participants_is_refused(demo: Services) -> None:
    empty = demo.activities.create(ActivityInput("workshop", "Atelier vide", dt.date(2024, 3, 1)))
    with pytest.raises(NotFoundError) as caught:
        render_activity_attendance(demo, empty.id, "fr")
    assert caught.value.field == "participants"
    with pytest.raises(NotFoundError):
        render_activity_attendance(demo, 999_999, "fr")


@pytest.fixture
def cli_db(db_args: list[str], capsys: pytest.CaptureFixture[str]) -> list[str]:
    assert main([*db_args, "demo"]) == 0
    capsys.readouterr()
    return db_args


def test_print_attendance_writes_the_pdf_in_arabic(cli_db: list[str], db_url: str, tmp_path: Path) -> None:
    database = open_database(db_url)
    activity_id = _trained(Services(database, Actor("test", "admin")))
    database.dispose()
    out = tmp_path / "presence.pdf"
    assert main([*cli_db, "print-attendance", str(activity_id), "--lang", "ar", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(("args", "code"), [(["999999"], 1), (["abc"], 2)])
def test_print_attendance_rejected_input_leaves_no_file(
    cli_db: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], code: int
) -> None:
    out = tmp_path / "out" / "x.pdf"
    out.parent.mkdir()
    assert main([*cli_db, "print-attendance", *args, "--out", str(out)]) == code
    err = capsys.readouterr().err.strip()
    assert args[0] in err and (code == 2 or len(err.splitlines()) == 1)
    assert list(out.parent.iterdir()) == []
