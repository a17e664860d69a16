"""Printed A4 records built from service DTOs: grant sheets, handover certificates, signature lists.

Each function returns the PDF's bytes in the document's language (`lang`, default the app's);
`write_pdf` puts them on disk without ever leaving a partial file. No Qt here.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ksm_desktop.domain.enums import ActivityKind
from ksm_desktop.domain.errors import KsmError, NotFoundError
from ksm_desktop.files import give_usual_permissions
from ksm_desktop.i18n import _
from ksm_desktop.services import ListQuery, Services

if TYPE_CHECKING:
    from ksm_desktop.reports.layout import Doc


def _doc(services: Services, lang: str | None) -> Doc:
    from ksm_desktop.reports.layout import Doc

    return Doc.create(services.settings.profile(), lang)


def render_grant_sheet(services: Services, number: str, lang: str | None = None) -> bytes:
    return render_grant_sheets(services, [number], lang)


def render_grant_sheets(services: Services, numbers: list[str], lang: str | None = None) -> bytes:
    """The sheets of the grants `numbers`, in that order, in one PDF (one page or more each)."""
    return _sealed_sheets(services, numbers, lang)


def _sealed_sheets(services: Services, numbers: list[str], lang: str | None) -> bytes:
    """Sheets of valid grants print their sealed content and its code (sealed now if it changed)."""
    from ksm_desktop.reports.grant_sheet import grant_sheets_pdf

    sheets = [services.seals.sheet(n) for n in numbers]
    return grant_sheets_pdf(
        _doc(services, lang), [s.grant for s in sheets], {s.grant.number: s.code for s in sheets}
    )


def render_programme_sheets(services: Services, programme_code: str, lang: str | None = None) -> bytes:
    """Every grant sheet of a programme in one PDF (cancelled grants left out)."""
    programme = services.programmes.get_by_code(programme_code)
    rows = services.grants.search(ListQuery(filters={"programme_id": programme.id}, limit=None)).rows
    numbers = [r.number for r in rows if r.status != "cancelled"]
    if not numbers:
        raise NotFoundError(
            _("Programme {code} has no grant to print.").format(code=programme.code), "programme"
        )
    return _sealed_sheets(services, numbers, lang)


def render_handover(services: Services, number: str, lang: str | None = None) -> bytes:
    from ksm_desktop.reports.handover import handover_pdf

    return handover_pdf(_doc(services, lang), services.grants.get_by_number(number))


def render_member_list(
    services: Services,
    organisation_id: int,
    lang: str | None = None,
    *,
    title: str | None = None,
    date: dt.date | None = None,
    place: str | None = None,
) -> bytes:
    """Signature list of an organisation's members (numbered EM-code-date)."""
    from ksm_desktop.reports.signature_list import participants_from_members, signature_list_pdf

    org = services.organisations.get(organisation_id)
    members = services.persons.members_of(organisation_id)
    doc = _doc(services, lang)
    name = (org.name_ar or org.name) if doc.rtl else org.name
    return signature_list_pdf(
        doc,
        participants_from_members(members),
        subtitle=f"{org.code} — {name}",
        reference=f"EM-{org.code}-{(date or doc.generated):%Y%m%d}",
        title=title,
        date=date,
        place=place,
    )


def render_activity_attendance(services: Services, activity_id: int, lang: str | None = None) -> bytes:
    """Attendance list of an activity: its registered participants, each with the organisation
    they represent, on the signature-list layout (topic as title, the activity's date)."""
    from ksm_desktop.reports.signature_list import Participant, signature_list_pdf

    activity = services.activities.get(activity_id)
    if not activity.participants:
        raise NotFoundError(_("The activity has no registered participant to print."), "participants")
    doc = _doc(services, lang)
    people = [
        Participant(p.name, p.name_ar, p.cin, p.sex, organisation=p.organisation_code)
        for p in activity.participants
    ]
    place = activity.place
    if not place and activity.location_id is not None:
        location = services.locations.get(activity.location_id)
        place = (location.name_ar or location.name) if doc.rtl else location.name
    kind = ActivityKind(activity.kind).label_in(doc.lang)
    programme = f" — {activity.programme_code}" if activity.programme_code else ""
    return signature_list_pdf(
        doc,
        people,
        subtitle=f"{kind}{programme}",
        reference=f"ACT-{activity.id:05d}",
        title=activity.topic,
        date=activity.start_date,
        place=place,
    )


def write_pdf(path: Path, data: bytes) -> Path:
    """Write next to `path` then rename, so a failure leaves neither a partial nor a changed file."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise KsmError(_("{path} is a folder: give a file name ending in .pdf.").format(path=path))
    tmp_name = ""
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        give_usual_permissions(Path(tmp_name))
        os.replace(tmp_name, path)
    except OSError as exc:
        if tmp_name:
            Path(tmp_name).unlink(missing_ok=True)
        raise KsmError(
            _("Cannot write {path}: {reason}").format(path=path, reason=exc.strerror or exc)
        ) from None
    return path


__all__ = [
    "render_activity_attendance",
    "render_grant_sheet",
    "render_handover",
    "render_member_list",
    "render_programme_sheets",
    "write_pdf",
]
