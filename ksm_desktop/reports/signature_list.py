"""Liste d'émargement: people with a column to sign (members of an organisation, participants of
an activity). The builder takes plain rows so any list of people can be printed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from ksm_desktop.domain.enums import Sex
from ksm_desktop.i18n import N_
from ksm_desktop.reports.layout import CONTENT_WIDTH, Doc, render
from ksm_desktop.services.dto import MembershipDTO

ROW_HEIGHT = 11 * mm


@dataclass(frozen=True)
class Participant:
    name: str
    name_ar: str | None = None
    cin: str | None = None
    sex: str | None = None  # "F" / "M"
    phone: str | None = None
    organisation: str | None = None  # code of the organisation represented (activities)


def participants_from_members(members: Sequence[MembershipDTO]) -> list[Participant]:
    return [
        Participant(f"{m.last_name} {m.first_name}".strip(), m.full_name_ar, m.cin, m.sex, m.phone)
        for m in members
    ]


def signature_list_pdf(
    doc: Doc,
    participants: Sequence[Participant],
    *,
    subtitle: str,
    reference: str,
    title: str | None = None,
    date: dt.date | None = None,
    place: str | None = None,
) -> bytes:
    """`subtitle` names the group (organisation, activity), `reference` numbers the list; title,
    date and place are left blank to fill in by hand when not given. Every page repeats the title
    block above the column headings, so a loose page still says what it was signed for; the last
    page has the organiser's signature and stamp."""
    banner = [
        doc.p(doc.t(N_("Signature list")).upper(), "title"),
        doc.p(subtitle, "section"),
        doc.p(doc.t(N_("Object: {title}")).format(title=title or "_" * 48)),
        doc.p(
            doc.t(N_("Date: {date}")).format(date=doc.date(date) if date else "_" * 22)
            + "      "
            + doc.t(N_("Place: {place}")).format(place=place or "_" * 30)
        ),
        doc.p(doc.t(N_("Reference: {reference}")).format(reference=reference), "small"),
    ]
    # An attendance list names the organisation each person represents where a member list has the phone.
    by_org = any(p.organisation for p in participants)
    fifth = N_("Organisation") if by_org else N_("Phone")
    header = [doc.t(h) for h in (N_("No."), N_("Name"), N_("CIN"), N_("Sex"), fifth, N_("Signature"))]
    rows = []
    for n, p in enumerate(participants, start=1):
        names = [p.name_ar, p.name] if doc.rtl else [p.name, p.name_ar]
        name = "\n".join(n for n in names if n)
        sex = Sex(p.sex).label_in(doc.lang) if p.sex in {s.value for s in Sex} else ""
        other = doc.p(p.organisation or "", "cell") if by_org else p.phone or ""
        rows.append([str(n), doc.p(name, "cell"), p.cin or "", sex, other, ""])
    widths = [9 * mm, 0, 24 * mm, 17 * mm, 30 * mm, 38 * mm]
    widths[1] = CONTENT_WIDTH - sum(widths)
    story: list[Flowable] = [
        doc.grid(header, rows, widths, numeric=(0,), row_height=ROW_HEIGHT, banner=banner),
        Spacer(1, 2 * mm),
        doc.p(doc.t(N_("Number of people: {count}")).format(count=len(participants)), "small"),
    ]
    organiser = doc.signatures(
        [(doc.t(N_("The organiser")), doc.t(N_("Name, signature and stamp")))], height=24 * mm, width=80 * mm
    )
    story.append(KeepTogether([Spacer(1, 4 * mm), organiser]))
    heading = doc.t(N_("Signature list"))
    return render(doc, [(f"{heading} {reference}", story, "")], f"{heading} — {subtitle}")
