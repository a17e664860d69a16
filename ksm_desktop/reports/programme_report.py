"""Programme report for donors: who funds and carries the programme, where, how much of the budget
is granted, whom it reaches by sex, what the field work shows, and every grant, with charts.

`collect` reads everything from the services (a few aggregate queries); `programme_report_pdf`
writes it in the document's language, Arabic mirrored like the other printed records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table

from ksm_desktop.domain.dashboard import DashboardFilter, StatusTotal
from ksm_desktop.domain.enums import (
    GrantKind,
    GrantStatus,
    ProgrammeStatus,
    Vulnerability,
)
from ksm_desktop.i18n import N_
from ksm_desktop.reports import charts
from ksm_desktop.reports.layout import (
    CONTENT_WIDTH,
    GRID,
    HALF,
    SHADE,
    Doc,
    labelled,
    render,
    side_by_side,
    table,
)
from ksm_desktop.reports.programme_fieldwork import activities, equipment, indicators, pieces
from ksm_desktop.services import ListQuery, Services
from ksm_desktop.services.dto import ProgrammeDTO
from ksm_desktop.services.dto_fieldwork import ActivityRow, EquipmentProgress, IndicatorProgress, Reach
from ksm_desktop.services.figures import (
    COMMITTED,
    DirectBeneficiaries,
    EquipmentCondition,
    GrantLine,
    VulnerabilityCount,
)

STATUS_COLOURS = dict(zip([s.value for s in GrantStatus], charts.PALETTE[1:], strict=False))


@dataclass(frozen=True)
class ReportData:
    programme: ProgrammeDTO
    grants: Sequence[GrantLine]
    by_status: Sequence[StatusTotal]
    direct: DirectBeneficiaries  # the one definition (FigureService.direct_beneficiaries)
    vulnerabilities: Sequence[VulnerabilityCount]
    equipment: EquipmentProgress
    pieces: EquipmentCondition  # delivered equipment and its condition at the latest visits
    reach: Reach
    activities: Sequence[ActivityRow]
    indicators: Sequence[IndicatorProgress]

    @property
    def live_grants(self) -> list[GrantLine]:
        return [g for g in self.grants if g.status != GrantStatus.CANCELLED]

    @property
    def committed_grants(self) -> list[GrantLine]:
        """Validated, delivered and closed grants: what the programme has granted."""
        return [g for g in self.grants if g.status in COMMITTED]

    @property
    def draft_grants(self) -> list[GrantLine]:
        return [g for g in self.grants if g.status == GrantStatus.DRAFT]

    def amount(self, grants: Sequence[GrantLine]) -> Decimal:
        """Their total in the programme's currency (each grant at its own rate)."""
        euro = self.programme.currency == "EUR"
        return sum((g.total_eur if euro else g.total_mad for g in grants), Decimal("0.00"))

    @property
    def granted(self) -> Decimal:
        return self.amount(self.committed_grants)


def collect(services: Services, programme_code: str) -> ReportData:
    """Everything the report prints (NotFoundError for an unknown code)."""
    p = services.programmes.get_by_code(programme_code)
    figures = services.dashboard.figures(DashboardFilter(programme_id=p.id))
    return ReportData(
        programme=p,
        grants=services.figures.programme_grants(p.id),
        by_status=[s for s in figures.grants_by_status if s.count],
        direct=services.figures.direct_beneficiaries(p.id),
        vulnerabilities=services.figures.programme_vulnerabilities(p.id),
        equipment=services.households.equipment_progress(p.id),
        pieces=services.figures.equipment_condition(p.id),
        reach=services.activities.reach(p.id),
        activities=services.activities.search(
            ListQuery(filters={"programme_id": p.id}, sort="start_date", limit=None)
        ).rows,
        indicators=services.results.progress(p.id),
    )


def render_programme_report(services: Services, programme_code: str, lang: str | None = None) -> bytes:
    from ksm_desktop.reports import _doc

    return programme_report_pdf(_doc(services, lang), collect(services, programme_code))


# --- the document ------------------------------------------------------------------------------


def _name(doc: Doc, name: str, name_ar: str | None) -> str:
    return (name_ar or name) if doc.rtl else name


def _period(doc: Doc, p: ProgrammeDTO) -> str:
    if not p.start_date and not p.end_date:
        return ""
    return doc.t(N_("{start} to {end}")).format(start=doc.date(p.start_date), end=doc.date(p.end_date))


def _ratio(part: Decimal | int, whole: Decimal | int | None) -> Decimal | None:
    return None if not whole else (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"))


def _cover(doc: Doc, data: ReportData) -> list[Flowable]:
    p = data.programme
    names = [p.name_ar, p.name] if doc.rtl else [p.name, p.name_ar]
    story: list[Flowable] = [doc.p(doc.t(N_("Programme report")).upper(), "title")]
    story += [doc.p(n, "section") for n in names if n]
    story.append(Spacer(1, 2 * mm))
    parties = [(d.name_ar or d.name) if doc.rtl else d.name for d in p.donors]
    partners = [(d.name_ar or d.name) if doc.rtl else d.name for d in p.partners]
    story.append(
        doc.fields(
            [
                (doc.t(N_("Code")), p.code),
                (doc.t(N_("Name")), p.name),
                (doc.t(N_("Name in Arabic")), p.name_ar or ""),
                (doc.t(N_("Period")), _period(doc, p)),
                (doc.t(N_("Status")), ProgrammeStatus(p.status).label_in(doc.lang)),
                (doc.t(N_("Donor(s)")), "\n".join(parties)),
                (doc.t(N_("Partners")), "\n".join(partners)),
                (doc.t(N_("Description")), p.description or ""),
            ]
        )
    )
    return [*story, Spacer(1, 3 * mm), _key_figures(doc, data)]


def _key_figures(doc: Doc, data: ReportData) -> Table:
    """A row of boxes with the figures a donor looks for first."""
    p = data.programme
    consumed = _ratio(data.granted, p.budget)
    grants = doc.number(len(data.committed_grants))
    drafts = len(data.draft_grants)
    if drafts:
        grants += " + " + doc.t(N_("{count} in preparation")).format(count=doc.number(drafts))
    boxes = [
        (doc.money(p.budget, p.currency) if p.budget is not None else "—", doc.t(N_("Budget"))),
        (doc.money(data.granted, p.currency), doc.t(N_("Granted"))),
        (doc.percent(consumed) if consumed is not None else "—", doc.t(N_("Budget consumed"))),
        (grants, doc.t(N_("Grants"))),
        (doc.number(data.direct.total), doc.t(N_("Direct beneficiaries"))),
    ]
    cells = [[doc.p(value, "section"), doc.p(caption, "small")] for value, caption in boxes]
    width = CONTENT_WIDTH / len(boxes)
    return table(
        [doc.row(cells)],
        [width] * len(boxes),
        [
            ("BOX", (0, 0), (-1, -1), 0.5, GRID),
            ("INNERGRID", (0, 0), (-1, -1), 0.5, GRID),
            ("BACKGROUND", (0, 0), (-1, -1), SHADE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ],
    )


def _zones(doc: Doc, p: ProgrammeDTO) -> list[Flowable]:
    from ksm_desktop.domain.enums import LocationLevel

    if not p.zones:
        return []
    header = [doc.t(h) for h in (N_("No."), N_("Level"), N_("Location"))]
    rows = [
        [
            str(n),
            LocationLevel(z.level).label_in(doc.lang),
            doc.p((z.path_ar or z.path) if doc.rtl else z.path, "cell"),
        ]
        for n, z in enumerate(p.zones, start=1)
    ]
    widths = [10 * mm, 34 * mm, CONTENT_WIDTH - 44 * mm]
    return [*doc.section(doc.t(N_("Zones of intervention"))), doc.grid(header, rows, widths, numeric=(0,))]


def _chart_box(doc: Doc, title: str, drawing: Drawing) -> list[Flowable]:
    return [doc.p(title, "head"), Spacer(1, 1.5 * mm), drawing]


def _budget(doc: Doc, data: ReportData) -> list[Flowable]:
    p = data.programme
    story = doc.section(doc.t(N_("Budget consumption")))
    live = data.committed_grants
    rows = []
    for currency in sorted({g.currency for g in live}):
        mine = [g for g in live if g.currency == currency]
        rows.append(
            [
                currency,
                doc.number(len(mine)),
                doc.money(sum((g.total for g in mine), Decimal("0.00")), currency),
                doc.money(sum((g.total_eur for g in mine), Decimal("0.00")), "EUR"),
            ]
        )
    header = [doc.t(h) for h in (N_("Currency"), N_("Grants"), N_("Amount"), N_("Equivalent in EUR"))]
    remaining = (p.budget - data.granted) if p.budget is not None else None
    consumed = _ratio(data.granted, p.budget)
    preparing = data.amount(data.draft_grants)
    totals = [
        (doc.t(N_("Budget ({currency})")).format(currency=p.currency), _or_dash(doc, p.budget, p.currency)),
        (doc.t(N_("Granted ({currency})")).format(currency=p.currency), doc.money(data.granted, p.currency)),
        (
            doc.t(N_("In preparation, draft grants ({currency})")).format(currency=p.currency),
            doc.money(preparing, p.currency),
        ),
        (
            doc.t(N_("Remaining ({currency})")).format(currency=p.currency),
            _or_dash(doc, remaining, p.currency),
        ),
        (doc.t(N_("Budget consumed")), doc.percent(consumed) if consumed is not None else "—"),
    ]
    widths = [30 * mm, 30 * mm, 0, 45 * mm]
    widths[2] = CONTENT_WIDTH - sum(widths)
    story = [
        KeepTogether(
            [*story, doc.grid(header, rows, widths, numeric=(1, 2, 3), totals=labelled(doc, totals))]
        )
    ]
    note = doc.t(N_("Granted: validated, delivered and closed grants; drafts are in preparation."))
    story += [Spacer(1, 1.5 * mm), doc.p(note, "small")]
    if not live:
        story += [Spacer(1, 1.5 * mm), doc.p(doc.t(N_("No grant has been made under this programme yet.")))]
    if p.budget is None and not live:
        return story
    bars: list[tuple[str, float, str, Color]] = []
    if p.budget is not None:
        bars.append((doc.t(N_("Budget")), float(p.budget), doc.amount(p.budget), charts.LIGHT))
    bars.append((doc.t(N_("Granted")), float(data.granted), doc.amount(data.granted), charts.PALETTE[0]))
    if preparing:
        bars.append((doc.t(N_("In preparation")), float(preparing), doc.amount(preparing), charts.PALETTE[1]))
    left = _chart_box(
        doc,
        doc.t(N_("Budget and grants ({currency})")).format(currency=p.currency),
        charts.hbars(bars, HALF, doc.rtl),
    )
    right: list[Flowable] | str = ""
    if data.by_status:
        slices = [
            (
                doc.t(N_("{status}: {count} ({amount} EUR)")).format(
                    status=_status(doc, s.status),
                    count=doc.number(s.count),
                    amount=doc.amount(s.total_eur),
                ),
                float(s.total_eur) or float(s.count),
                STATUS_COLOURS[s.status],
            )
            for s in data.by_status
        ]
        right = _chart_box(doc, doc.t(N_("Grants by status")), charts.pie(slices, HALF, 34 * mm, doc.rtl))
    story += [Spacer(1, 3 * mm), KeepTogether(side_by_side(doc, left, right))]
    return story


def _status(doc: Doc, status: str) -> str:
    """A grant's status as a donor reads it: a draft is 'in preparation'."""
    if status == GrantStatus.DRAFT:
        return doc.t(N_("In preparation"))
    return GrantStatus(status).label_in(doc.lang)


def _or_dash(doc: Doc, value: Decimal | None, currency: str) -> str:
    return doc.money(value, currency) if value is not None else "—"


def _beneficiaries(doc: Doc, data: ReportData) -> list[Flowable]:
    p = data.programme
    story = doc.section(doc.t(N_("Beneficiaries: targets and reached")))

    def line(name: str, target: int | None, reached: int) -> list[str]:
        ratio = _ratio(reached, target)
        return [
            name,
            doc.number(target) if target is not None else "—",
            doc.number(reached),
            doc.percent(ratio) if ratio is not None else "—",
        ]

    targets = [p.target_women, p.target_men]
    total_target = sum(t for t in targets if t is not None) if any(t is not None for t in targets) else None
    d = data.direct
    rows = [
        line(doc.t(N_("Women")), p.target_women, d.women),
        line(doc.t(N_("Men")), p.target_men, d.men),
        line(doc.t(N_("Sex not specified")), None, d.unspecified),
        line(doc.t(N_("Total")), total_target, d.total),
    ]
    header = [doc.t(h) for h in (N_("Beneficiaries"), N_("Target"), N_("Reached"), N_("% of target"))]
    widths = [0, 18 * mm, 18 * mm, 17 * mm]
    widths[0] = HALF - sum(widths[1:])
    grid = doc.grid(header, rows, widths, numeric=(1, 2, 3))
    grid.setStyle(
        [("FONT", (0, -1), (-1, -1), "KSM-Sans-Bold", 8.5, 11), ("BACKGROUND", (0, -1), (-1, -1), SHADE)]
    )
    definition = doc.t(
        N_(
            "Reached: direct beneficiaries, the people declared on the programme's validated, delivered "
            "and closed grants, and the members of the households equipped where no one is declared."
        )
    )
    note = doc.p(definition, "small")
    chart = charts.grouped_bars(
        [doc.t(N_("Women")), doc.t(N_("Men")), doc.t(N_("Sex not specified"))],
        [
            (doc.t(N_("Target")), [p.target_women or 0, p.target_men or 0, 0], charts.LIGHT),
            (doc.t(N_("Reached")), [d.women, d.men, d.unspecified], charts.PALETTE[0]),
        ],
        HALF,
        52 * mm,
        doc.rtl,
        lambda v: doc.number(int(v)),
    )
    values = [p.target_women, p.target_men, d.total]
    figures = side_by_side(doc, [grid, Spacer(1, 1.5 * mm), note], chart if any(values) else "")
    story = [KeepTogether([*story, figures])]
    if data.vulnerabilities:
        header = [doc.t(h) for h in (N_("Vulnerability"), N_("Women"), N_("Men"), N_("Total"))]
        rows = [
            [
                Vulnerability(v.tag).label_in(doc.lang),
                doc.number(v.women),
                doc.number(v.men),
                doc.number(v.total),
            ]
            for v in data.vulnerabilities
            if v.tag in {x.value for x in Vulnerability}
        ]
        story += [
            Spacer(1, 3 * mm),
            CondPageBreak(30 * mm),
            doc.p(doc.t(N_("People reached with a vulnerability recorded")), "head"),
            Spacer(1, 1 * mm),
            doc.grid(header, rows, [CONTENT_WIDTH - 75 * mm, 25 * mm, 25 * mm, 25 * mm], numeric=(1, 2, 3)),
        ]
    return story


def _grants(doc: Doc, data: ReportData) -> list[Flowable]:
    story: list[Flowable] = [CondPageBreak(40 * mm), *doc.section(doc.t(N_("Grants by recipient")))]
    if not data.grants:
        return [*story, doc.p(doc.t(N_("No grant has been made under this programme yet.")))]
    header = [
        doc.t(h)
        for h in (
            N_("Number"),
            N_("Recipient"),
            N_("Kind"),
            N_("Status"),
            N_("Total"),
            N_("Equivalent in EUR"),
        )
    ]
    rows = [
        [
            g.number,
            doc.p(_name(doc, g.recipient, g.recipient_ar), "cell"),
            doc.p(GrantKind(g.kind).label_in(doc.lang), "cell"),
            doc.p(_status(doc, g.status), "cell"),
            doc.money(g.total, g.currency),
            doc.amount(g.total_eur),
        ]
        for g in data.grants
    ]
    totals = [
        (
            doc.t(N_("Granted in EUR (validated, delivered, closed)")),
            doc.amount(sum((g.total_eur for g in data.committed_grants), Decimal("0.00"))),
        )
    ]
    widths = [24 * mm, 0, 26 * mm, 20 * mm, 28 * mm, 24 * mm]
    widths[1] = CONTENT_WIDTH - sum(widths)
    return [*story, doc.grid(header, rows, widths, numeric=(4, 5), totals=labelled(doc, totals))]


def programme_report_story(doc: Doc, data: ReportData) -> list[Flowable]:
    story = _cover(doc, data)
    story += _zones(doc, data.programme)
    story += _budget(doc, data)
    story += _beneficiaries(doc, data)
    field = (
        equipment(doc, data.equipment)
        + pieces(doc, data.pieces)
        + activities(doc, data.reach, data.activities)
        + indicators(doc, data.indicators)
    )
    if field:
        story += [CondPageBreak(50 * mm), *doc.section(doc.t(N_("Field figures"))), *field]
    return story + _grants(doc, data)


def programme_report_pdf(doc: Doc, data: ReportData) -> bytes:
    p = data.programme
    reference = doc.t(N_("Programme report {code}")).format(code=p.code)
    return render(doc, [(reference, programme_report_story(doc, data), "")], f"{reference} — {p.name}")
