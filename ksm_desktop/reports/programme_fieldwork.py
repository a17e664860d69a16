"""The programme report's fieldwork sections: households' equipment and its condition at the
last visits, activities and whom they reached, and the results against their targets."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer

from ksm_desktop.domain.enums import (
    ActivityKind,
    Campaign,
    PieceCondition,
)
from ksm_desktop.i18n import N_
from ksm_desktop.reports import charts
from ksm_desktop.reports.layout import CONTENT_WIDTH, HALF, Doc, labelled, side_by_side
from ksm_desktop.services.dto_fieldwork import ActivityRow, EquipmentProgress, IndicatorProgress, Reach
from ksm_desktop.services.figures import (
    EquipmentCondition,
)


def equipment(doc: Doc, e: EquipmentProgress) -> list[Flowable]:
    if not e.households and not e.periods:
        return []
    story = [CondPageBreak(60 * mm), doc.p(doc.t(N_("Households equipped")), "head"), Spacer(1, 1 * mm)]
    story.append(
        doc.p(
            doc.t(N_("{equipped} of {households} households equipped.")).format(
                equipped=doc.number(e.equipped), households=doc.number(e.households)
            )
        )
    )
    header = [doc.t(h) for h in (N_("Year"), N_("Quarter"), N_("Households"))]
    quarter = doc.t(N_("Q{quarter}"))
    rows = [[str(q.year), quarter.format(quarter=q.quarter), doc.number(q.households)] for q in e.periods]
    totals = [(doc.t(N_("Total")), doc.number(e.equipped))]
    grid = doc.grid(
        header, rows, [22 * mm, 22 * mm, HALF - 44 * mm], numeric=(2,), totals=labelled(doc, totals)
    )
    chart = charts.grouped_bars(
        [f"{q.year} {quarter.format(quarter=q.quarter)}" for q in e.periods],
        [(doc.t(N_("Households equipped")), [q.households for q in e.periods], charts.PALETTE[0])],
        HALF,
        50 * mm,
        doc.rtl,
        lambda v: doc.number(int(v)),
    )
    story += [Spacer(1, 1.5 * mm), side_by_side(doc, grid, chart)]
    return story


def pieces(doc: Doc, e: EquipmentCondition) -> list[Flowable]:
    """Equipment in service: each delivered piece as its latest follow-up visit found it."""
    if not e.delivered:
        return []
    summary = doc.t(
        N_(
            "Equipment in service: {in_service} of {delivered} pieces delivered, at their latest follow-up visit."
        )
    ).format(in_service=doc.number(e.in_service), delivered=doc.number(e.delivered))
    rows = [[PieceCondition(c).label_in(doc.lang), doc.number(n)] for c, n in e.by_condition.items() if n]
    if e.not_seen:
        rows.append([doc.t(N_("Delivered, not seen at a visit yet")), doc.number(e.not_seen)])
    header = [doc.t(N_("Condition")), doc.t(N_("Pieces"))]
    totals = [(doc.t(N_("Delivered")), doc.number(e.delivered))]
    note = doc.t(
        N_(
            "A piece with a serial number counts in the condition of the latest visit that recorded it, "
            "pieces without one in the counts of the latest visit of their item; a piece never seen at a "
            "visit counts as delivered, not as in service."
        )
    )
    grid = doc.grid(header, rows, [HALF - 25 * mm, 25 * mm], numeric=(1,), totals=labelled(doc, totals))
    return [
        Spacer(1, 3 * mm),
        CondPageBreak(40 * mm),
        doc.p(doc.t(N_("Equipment in service")), "head"),
        Spacer(1, 1 * mm),
        doc.p(summary),
        Spacer(1, 1.5 * mm),
        grid,
        Spacer(1, 1.5 * mm),
        doc.p(note, "small"),
    ]


def activity_kind(doc: Doc, a: ActivityRow) -> str:
    """The activity's own kind, with its campaign when it has one ('Seasonal campaign — Ramadan')."""
    kind = ActivityKind(a.kind).label_in(doc.lang)
    if a.campaign and a.campaign in {c.value for c in Campaign}:
        kind += " — " + Campaign(a.campaign).label_in(doc.lang)
    return kind


def activities(doc: Doc, reach: Reach, activities: Sequence[ActivityRow]) -> list[Flowable]:
    if not activities:
        return []
    summary = doc.t(
        N_(
            "Direct participants: {direct} (women {women}, men {men}, not listed {unlisted}) from "
            "{organisations} organisations; indirect beneficiaries: {indirect}."
        )
    ).format(
        direct=doc.number(reach.direct),
        women=doc.number(reach.direct_women),
        men=doc.number(reach.direct_men),
        unlisted=doc.number(reach.direct_unlisted),
        organisations=doc.number(reach.organisations),
        indirect=doc.number(reach.indirect),
    )
    header = [doc.t(h) for h in (N_("Date"), N_("Kind"), N_("Topic"), N_("Direct"), N_("Indirect"))]
    rows = [
        [
            doc.p(doc.date(a.start_date), "cell"),
            doc.p(activity_kind(doc, a), "cell"),
            doc.p(a.topic, "cell"),
            doc.number(a.direct),
            doc.number(a.indirect),
        ]
        for a in activities
    ]
    totals = [(doc.t(N_("Indirect beneficiaries")), doc.number(reach.indirect))]
    widths = [28 * mm, 32 * mm, 0, 18 * mm, 18 * mm]
    widths[2] = CONTENT_WIDTH - sum(widths)
    return [
        Spacer(1, 3 * mm),
        CondPageBreak(30 * mm),
        doc.p(doc.t(N_("Activities")), "head"),
        Spacer(1, 1 * mm),
        doc.p(summary),
        Spacer(1, 1.5 * mm),
        doc.grid(header, rows, widths, numeric=(3, 4), totals=labelled(doc, totals)),
    ]


def indicators(doc: Doc, indicators: Sequence[IndicatorProgress]) -> list[Flowable]:
    if not indicators:
        return []

    def split(women: Decimal | None, men: Decimal | None) -> str:
        if women is None and men is None:
            return ""
        return "\n" + doc.t(N_("W {women} / M {men}")).format(
            women=doc.number(women) if women is not None else "—",
            men=doc.number(men) if men is not None else "—",
        )

    header = [
        doc.t(h)
        for h in (N_("Indicator"), N_("Unit"), N_("Baseline"), N_("Target"), N_("Achieved"), N_("Progress"))
    ]
    rows = [
        [
            doc.p(f"{i.indicator_code} — {i.name}", "cell"),
            doc.p(i.unit, "cell"),
            doc.number(i.baseline.normalize()),
            doc.p(doc.number(i.target.normalize()) + split(i.target_women, i.target_men), "cell"),
            doc.p(
                (doc.number(i.achieved.normalize()) if i.achieved is not None else "—")
                + split(i.achieved_women, i.achieved_men),
                "cell",
            ),
            doc.percent(i.progress) if i.progress is not None else "—",
        ]
        for i in indicators
    ]
    widths = [0, 20 * mm, 20 * mm, 28 * mm, 28 * mm, 23 * mm]
    widths[0] = CONTENT_WIDTH - sum(widths)
    return [
        Spacer(1, 3 * mm),
        CondPageBreak(30 * mm),
        doc.p(doc.t(N_("Results and indicators")), "head"),
        Spacer(1, 1 * mm),
        doc.grid(header, rows, widths, numeric=(2, 5)),
    ]
