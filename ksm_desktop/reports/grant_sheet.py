"""Fiche de dotation: the grant sheet the recipient's president and KSM sign."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from ksm_desktop.domain.enums import GrantKind, GrantStatus, OrgKind
from ksm_desktop.i18n import N_, translate_in
from ksm_desktop.reports.layout import CONTENT_WIDTH, Doc, render, table
from ksm_desktop.reports.qr import QrFlowable
from ksm_desktop.reports.words import amount_in_words
from ksm_desktop.services.dto import GrantDTO, GrantItemDTO, RecipientDTO
from ksm_desktop.services.seals import format_code

CLOSING = N_("This sheet is closed at the sum of: {amount}.")
COMMITMENTS = (
    N_("use the equipment and works only for the purpose stated above;"),
    N_("not sell, rent, lend or give away the equipment;"),
    N_("maintain the equipment and premises in good working order at its own expense;"),
    N_("give KSM and its donors access for follow-up and evaluation visits."),
)
QR_SIZE = 24 * mm


def title_block(doc: Doc, title: str, number: str, lines: Sequence[str], side: Flowable | None) -> Table:
    """Title, number and date lines, with an optional box (the QR code) on the far side."""
    left: list[Flowable] = [
        doc.p(title.upper(), "title"),
        doc.p(doc.t(N_("No. {number}")).format(number=number), "section"),
    ]
    left += [doc.p(line) for line in lines]
    side_width = QR_SIZE + 12 * mm if side is not None else 0
    cells = [left, side if side is not None else ""]
    commands = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]
    return table([doc.row(cells)], doc.row([CONTENT_WIDTH - side_width, side_width]), commands)


def _qr_box(doc: Doc, number: str, code: str) -> list[Flowable]:
    """The QR code of the number and the sheet's code, the code written under it to type by hand."""
    qr = QrFlowable(f"{number} {code}", QR_SIZE)
    qr.hAlign = "CENTER"
    caption = doc.t(N_("Verification code {code}")).format(code=format_code(code))
    return [qr, doc.p(caption, "small")]


def recipient_fields(doc: Doc, r: RecipientDTO) -> list[tuple[str, str]]:
    location = (r.location.path_ar if doc.rtl else r.location.path) if r.location else ""
    rows = [(doc.t(N_("Name")), r.name), (doc.t(N_("Name in Arabic")), r.name_ar or "")]
    if r.organisation_id is not None:
        rows += [
            (doc.t(N_("Kind")), OrgKind(r.kind).label_in(doc.lang) if r.kind else ""),
            (doc.t(N_("Registration number")), r.registration_number or ""),
        ]
    rows.append((doc.t(N_("Location")), location or ""))
    if r.organisation_id is not None:
        president = r.president_name or ""
        if r.president_cin:
            president += " — " + doc.t(N_("CIN {cin}")).format(cin=r.president_cin)
        rows.append((doc.t(N_("President")), president))
    else:
        rows.append((doc.t(N_("CIN")), r.cin or ""))
    rows.append((doc.t(N_("Phone")), r.phone or ""))
    return rows


def designation_cell(doc: Doc, item: GrantItemDTO) -> Any:
    """The item's designation, with its serial numbers under it: the pieces a visit will look for."""
    designation = doc.p(item.designation, "cell")
    if not item.serials:
        return designation
    serials = ("، " if doc.rtl else ", ").join(item.serials)
    return [designation, doc.p(doc.t(N_("Serial numbers: {serials}")).format(serials=serials), "small")]


def _items(doc: Doc, grant: GrantDTO) -> Table:
    header = [
        doc.t(h)
        for h in (N_("No."), N_("Designation"), N_("Quantity"), N_("Unit"), N_("Unit price"), N_("Total"))
    ]
    rows = [
        [
            str(i.position),
            designation_cell(doc, i),
            doc.number(i.quantity),
            i.unit or "",
            doc.amount(i.unit_price),
            doc.amount(i.total),
        ]
        for i in grant.items
    ]
    totals = [
        (
            doc.p(doc.t(N_("Total ({currency})")).format(currency=grant.currency), "cell", bold=True),
            doc.amount(grant.total),
        ),
        (
            doc.p(
                doc.t(N_("Equivalent in {currency}")).format(currency=grant.equivalent_currency),
                "cell",
                bold=True,
            ),
            doc.amount(grant.equivalent),
        ),
    ]
    widths = [9 * mm, 0, 18 * mm, 18 * mm, 25 * mm, 28 * mm]
    widths[1] = CONTENT_WIDTH - sum(widths)
    return doc.grid(header, rows, widths, numeric=(0, 2, 4, 5), totals=totals)


def _rate_line(doc: Doc, grant: GrantDTO) -> str:
    line = doc.t(N_("Exchange rate: 1 EUR = {rate} MAD")).format(rate=doc.rate(grant.eur_mad_rate))
    if grant.rate_date:
        line += " " + doc.t(N_("(rate of {date})")).format(date=doc.date(grant.rate_date))
    return line


def _closing(doc: Doc, grant: GrantDTO) -> list[Flowable]:
    """The amount in words in the document's language, and in Arabic (French for an Arabic sheet)."""
    other = "fr" if doc.lang == "ar" else "ar"
    own = doc.t(CLOSING).format(amount=amount_in_words(grant.total, grant.currency, doc.lang))
    second = translate_in(other, CLOSING).format(amount=amount_in_words(grant.total, grant.currency, other))
    second_doc = Doc(other, doc.profile, doc.generated, doc.styles)
    return [doc.p(own, bold=True), Spacer(1, 1 * mm), second_doc.p(second)]


def _beneficiaries(doc: Doc, grant: GrantDTO) -> str:
    parts = [
        doc.t(N_("Women: {count}")).format(count=doc.number(grant.women)),
        doc.t(N_("Men: {count}")).format(count=doc.number(grant.men)),
    ]
    if grant.unspecified:
        parts.append(doc.t(N_("Sex not specified: {count}")).format(count=doc.number(grant.unspecified)))
    total = grant.women + grant.men + grant.unspecified
    parts.append(doc.t(N_("Total: {count}")).format(count=doc.number(total)))
    return "  ·  ".join(parts)


WATERMARKS = {GrantStatus.DRAFT: N_("DRAFT"), GrantStatus.CANCELLED: N_("CANCELLED")}


def watermark(doc: Doc, grant: GrantDTO) -> str:
    """The word across every page of a sheet that is not (or no longer) a valid grant."""
    mark = WATERMARKS.get(GrantStatus(grant.status))
    return doc.t(mark) if mark else ""


def _cancellation(doc: Doc, grant: GrantDTO) -> list[Flowable]:
    """When and why the grant was cancelled, where a valid sheet has its signatures."""
    when = next((e.at.date() for e in reversed(grant.events) if e.status == GrantStatus.CANCELLED), None)
    notice = doc.t(N_("Grant cancelled on {date}. Reason: {reason}")).format(
        date=doc.date(when), reason=grant.cancel_reason or "—"
    )
    return [Spacer(1, 4 * mm), doc.p(notice, "section")]


def grant_sheet_story(doc: Doc, grant: GrantDTO, code: str | None = None) -> list[Flowable]:
    """The sheet; `code` (the seal of a validated grant) goes in its QR code."""
    status = GrantStatus(grant.status)
    lines = [doc.t(N_("Date: {date}")).format(date=doc.date(grant.grant_date))]
    valid = status not in WATERMARKS
    if not valid:
        lines.append(doc.t(N_("Status: {status}")).format(status=status.label_in(doc.lang)))
    story: list[Flowable] = [
        title_block(
            doc,
            doc.t(N_("Grant sheet")),
            grant.number,
            lines,
            _qr_box(doc, grant.number, code) if valid and code else None,
        )
    ]
    programme = f"{grant.programme_code} — {grant.programme_name}" if grant.programme_code else ""
    story.append(
        doc.fields(
            [
                (doc.t(N_("Programme")), programme),
                (doc.t(N_("Donor(s)")), ", ".join(grant.donors)),
                (doc.t(N_("Kind of grant")), GrantKind(grant.kind).label_in(doc.lang)),
                (doc.t(N_("Purpose")), grant.purpose),
                (doc.t(N_("Direct beneficiaries")), _beneficiaries(doc, grant)),
            ]
        )
    )
    story += doc.section(doc.t(N_("Recipient")))
    story.append(doc.fields(recipient_fields(doc, grant.recipient)))
    story += doc.section(doc.t(N_("Items")))
    story += [
        _items(doc, grant),
        Spacer(1, 1.5 * mm),
        doc.p(_rate_line(doc, grant), "small"),
        Spacer(1, 2 * mm),
    ]
    story += _closing(doc, grant)
    commitments = [doc.p(doc.t(N_("The recipient undertakes to:")), "cell")]
    commitments += [doc.p(f"{n}. {doc.t(text)}", "cell") for n, text in enumerate(COMMITMENTS, start=1)]
    story += [KeepTogether(doc.section(doc.t(N_("Commitments of the recipient"))) + commitments)]
    if status == GrantStatus.CANCELLED:
        story += _cancellation(doc, grant)
    if not valid:  # nothing to sign: a draft or cancelled sheet must not pass for a grant
        story.append(doc.p(doc.t(N_("This sheet is not valid: it has no signatures.")), "small"))
        return story
    r = grant.recipient
    recipient_hint = r.president_name or r.name if r.organisation_id is not None else r.name
    cin = r.president_cin if r.organisation_id is not None else r.cin
    if cin:
        recipient_hint += " — " + doc.t(N_("CIN {cin}")).format(cin=cin)
    ksm_hint = " — ".join(x for x in (doc.profile.signatory_name, doc.profile.signatory_title) if x)
    signatures = doc.signatures(
        [
            (
                doc.t(N_("For the recipient, the president"))
                if r.organisation_id is not None
                else doc.t(N_("The recipient")),
                recipient_hint,
            ),
            (doc.t(N_("For KSM")), ksm_hint or doc.t(N_("Name and title"))),
            (doc.t(N_("Visa of the local authority")), doc.t(N_("Name, stamp and date"))),
        ]
    )
    story += [
        KeepTogether(
            [
                Spacer(1, 3 * mm),
                doc.p(doc.t(N_("Done at ____________________, on ____________________"))),
                Spacer(1, 2 * mm),
                signatures,
            ]
        )
    ]
    return story


def grant_sheets_pdf(
    doc: Doc, grants: Sequence[GrantDTO], codes: Mapping[str, str | None] | None = None
) -> bytes:
    """One PDF with one sheet per grant, each numbered on its own; `codes` (seals) by grant number."""
    reference = doc.t(N_("Grant sheet {number}"))
    codes = codes or {}
    sheets = [
        (reference.format(number=g.number), grant_sheet_story(doc, g, codes.get(g.number)), watermark(doc, g))
        for g in grants
    ]
    title = sheets[0][0] if len(sheets) == 1 else doc.t(N_("Grant sheets"))
    return render(doc, sheets, title, initials=True)
