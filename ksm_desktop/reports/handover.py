"""PV de remise: the handover certificate of a delivered grant, signed by both sides."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from ksm_desktop.domain.enums import GrantStatus
from ksm_desktop.domain.errors import ConflictError
from ksm_desktop.i18n import N_, _
from ksm_desktop.reports.grant_sheet import designation_cell, recipient_fields, title_block
from ksm_desktop.reports.layout import CONTENT_WIDTH, Doc, render
from ksm_desktop.services.dto import GrantDTO

DELIVERED = frozenset({GrantStatus.DELIVERED, GrantStatus.CLOSED})


def check_delivered(grant: GrantDTO) -> None:
    """A certificate records a delivery that happened: refuse any other grant."""
    if grant.status not in DELIVERED or grant.delivered_on is None:
        raise ConflictError(
            _("Grant {number} is “{status}”: a handover certificate is printed once it is delivered.").format(
                number=grant.number, status=GrantStatus(grant.status).label
            ),
            "status",
        )


def handover_story(doc: Doc, grant: GrantDTO) -> list[Flowable]:
    check_delivered(grant)
    r = grant.recipient
    story: list[Flowable] = [
        title_block(
            doc,
            doc.t(N_("Handover certificate")),
            grant.number,
            [doc.t(N_("Date of delivery: {date}")).format(date=doc.date(grant.delivered_on))],
            None,
        )
    ]
    programme = f"{grant.programme_code} — {grant.programme_name}" if grant.programme_code else "—"
    intro = doc.t(
        N_(
            "On {date}, at {place}, KSM handed over to {recipient} the equipment and works listed below, "
            "granted under grant sheet {number} (programme {programme})."
        )
    ).format(
        date=doc.date(grant.delivered_on),
        place=grant.delivery_place or "—",
        recipient=(r.name_ar or r.name) if doc.rtl else r.name,
        number=grant.number,
        programme=programme,
    )
    story += [Spacer(1, 3 * mm), doc.p(intro)]
    story += doc.section(doc.t(N_("Recipient")))
    story.append(doc.fields(recipient_fields(doc, r)))
    story += doc.section(doc.t(N_("Delivered items")))
    header = [doc.t(h) for h in (N_("No."), N_("Designation"), N_("Quantity"), N_("Unit"), N_("Checked"))]
    rows = [
        [str(i.position), designation_cell(doc, i), doc.number(i.quantity), i.unit or "", ""]
        for i in grant.items
    ]
    widths = [9 * mm, 0, 22 * mm, 22 * mm, 24 * mm]
    widths[1] = CONTENT_WIDTH - sum(widths)
    story.append(doc.grid(header, rows, widths, numeric=(0, 2)))
    story += doc.section(doc.t(N_("Received by")))
    story.append(
        doc.fields(
            [
                (doc.t(N_("Name")), grant.received_by_name or ""),
                (doc.t(N_("CIN")), grant.received_by_cin or ""),
                (doc.t(N_("Role")), grant.received_by_role or ""),
            ]
        )
    )
    statement = doc.t(
        N_(
            "The undersigned acknowledges receipt of the items above, complete and in good condition, and "
            "confirms the commitments of the grant sheet."
        )
    )
    signatures = doc.signatures(
        [
            (doc.t(N_("Handed over by (KSM)")), doc.profile.signatory_name or doc.t(N_("Name and title"))),
            (doc.t(N_("Received by")), grant.received_by_name or ""),
            (doc.t(N_("Visa of the local authority")), doc.t(N_("Name, stamp and date"))),
        ]
    )
    story += [KeepTogether([Spacer(1, 3 * mm), doc.p(statement), Spacer(1, 4 * mm), signatures])]
    return story


def handover_pdf(doc: Doc, grant: GrantDTO) -> bytes:
    check_delivered(grant)
    reference = doc.t(N_("Handover certificate {number}")).format(number=grant.number)
    return render(doc, [(reference, handover_story(doc, grant), "")], reference)
