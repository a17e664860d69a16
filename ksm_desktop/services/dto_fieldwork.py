"""DTOs of field work: households, activities, results framework, AGR follow-up visits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class HouseholdInput:
    head_id: int
    size: int
    location_id: int  # a tribe or a douar
    programme_id: int | None = None
    code: str | None = None  # generated (FAM-00001) when empty
    notes: str | None = None


@dataclass(frozen=True)
class HouseholdDTO:
    id: int
    code: str
    programme_id: int | None
    programme_code: str | None
    head_id: int
    head_name: str
    head_name_ar: str | None
    head_cin: str | None
    head_sex: str
    size: int
    location_id: int
    location_level: str  # "tribe" or "douar"
    location_name: str
    commune: str | None
    notes: str | None


@dataclass(frozen=True)
class EquipmentDTO:
    """One grant of a household, as its row in the household list shows it."""

    number: str
    purpose: str
    status: str
    installed_on: dt.date | None


@dataclass(frozen=True)
class HouseholdRow:
    id: int
    code: str
    programme: str | None
    head_name: str
    head_cin: str | None
    size: int
    location_level: str
    location_name: str
    commune: str | None
    equipment: tuple[EquipmentDTO, ...]


@dataclass
class HouseholdAllocation:
    """One household of a bulk grant, with its installation date once installed."""

    household_id: int
    installed_on: dt.date | None = None


@dataclass(frozen=True)
class EquippedPeriod:
    """Households whose equipment was installed in one quarter (a household counts once, at its
    first installation)."""

    year: int
    quarter: int
    households: int


@dataclass(frozen=True)
class EquipmentProgress:
    programme_code: str
    households: int  # households of the programme
    equipped: int
    periods: tuple[EquippedPeriod, ...]

    def by_year(self) -> dict[int, int]:
        years: dict[int, int] = {}
        for p in self.periods:
            years[p.year] = years.get(p.year, 0) + p.households
        return years


@dataclass
class ActivityInput:
    kind: str
    topic: str
    start_date: dt.date
    end_date: dt.date | None = None
    campaign: str | None = None  # required for a campaign
    programme_id: int | None = None
    place: str | None = None
    location_id: int | None = None
    trainer: str | None = None
    partner_ids: list[int] = field(default_factory=list)
    unlisted_participants: int = 0
    indirect_women: int = 0
    indirect_men: int = 0
    indirect_unspecified: int = 0
    notes: str | None = None


@dataclass(frozen=True)
class ParticipantDTO:
    id: int
    person_id: int
    name: str
    name_ar: str | None
    cin: str | None
    sex: str
    organisation_id: int | None
    organisation_code: str | None
    organisation_name: str | None


@dataclass(frozen=True)
class ActivityDTO:
    id: int
    kind: str
    campaign: str | None
    topic: str
    start_date: dt.date
    end_date: dt.date | None
    programme_id: int | None
    programme_code: str | None
    place: str | None
    location_id: int | None
    trainer: str | None
    partners: tuple[tuple[int, str, str], ...]  # (organisation id, code, name)
    participants: tuple[ParticipantDTO, ...]
    unlisted_participants: int
    indirect_women: int
    indirect_men: int
    indirect_unspecified: int
    notes: str | None

    @property
    def direct(self) -> int:
        return len(self.participants) + self.unlisted_participants

    @property
    def indirect(self) -> int:
        return self.indirect_women + self.indirect_men + self.indirect_unspecified


@dataclass(frozen=True)
class ActivityRow:
    id: int
    kind: str
    campaign: str | None
    topic: str
    start_date: dt.date
    end_date: dt.date | None
    programme: str | None
    place: str | None
    participants: int
    direct: int
    indirect: int


@dataclass(frozen=True)
class Reach:
    """People reached by a programme's activities: direct (each person once) and indirect, by sex."""

    direct_women: int
    direct_men: int
    direct_unlisted: int
    organisations: int  # distinct organisations represented by participants
    indirect_women: int
    indirect_men: int
    indirect_unspecified: int

    @property
    def direct(self) -> int:
        return self.direct_women + self.direct_men + self.direct_unlisted

    @property
    def indirect(self) -> int:
        return self.indirect_women + self.indirect_men + self.indirect_unspecified


@dataclass
class IndicatorInput:
    code: str
    name: str
    unit: str
    target: Decimal
    baseline: Decimal = Decimal("0")
    target_women: Decimal | None = None
    target_men: Decimal | None = None


@dataclass
class MeasurementInput:
    measured_on: dt.date
    value: Decimal
    women: Decimal | None = None
    men: Decimal | None = None
    note: str | None = None


@dataclass(frozen=True)
class MeasurementDTO:
    id: int
    measured_on: dt.date
    value: Decimal
    women: Decimal | None
    men: Decimal | None
    note: str | None


@dataclass(frozen=True)
class IndicatorDTO:
    id: int
    result_id: int
    code: str
    name: str
    unit: str
    baseline: Decimal
    target: Decimal
    target_women: Decimal | None
    target_men: Decimal | None
    measurements: tuple[MeasurementDTO, ...]

    @property
    def achieved(self) -> MeasurementDTO | None:
        """The latest measurement (indicators are cumulative)."""
        return self.measurements[-1] if self.measurements else None

    @property
    def progress(self) -> Decimal | None:
        """Achieved ÷ target, e.g. 0.75 for 75 %; None before any measurement or with a zero target."""
        if self.achieved is None or self.target == 0:
            return None
        return (self.achieved.value / self.target).quantize(Decimal("0.0001"))


@dataclass(frozen=True)
class ResultDTO:
    id: int
    programme_id: int
    code: str
    statement: str
    indicators: tuple[IndicatorDTO, ...]


@dataclass(frozen=True)
class IndicatorProgress:
    """One line of the results table in a programme report."""

    result_code: str
    indicator_code: str
    name: str
    unit: str
    baseline: Decimal
    target: Decimal
    achieved: Decimal | None
    progress: Decimal | None
    target_women: Decimal | None
    achieved_women: Decimal | None
    target_men: Decimal | None
    achieved_men: Decimal | None


@dataclass
class VisitInput:
    organisation_id: int
    visited_on: dt.date
    visitor: str
    observations: str | None = None
    monthly_revenue: Decimal | None = None  # MAD
    production_quantity: Decimal | None = None
    production_unit: str | None = None
    problems: str | None = None
    # The condition of the equipment seen; None leaves an existing visit's record as it is.
    pieces: list[PieceInput] | None = None


@dataclass
class PieceInput:
    """What a visit found: one piece by its serial number (`serial_id`), or `count` pieces of an
    item that carry no serial number."""

    item_id: int
    condition: str
    serial_id: int | None = None
    count: int = 1


@dataclass(frozen=True)
class PieceDTO:
    """Equipment an organisation received (an item of its delivered grants), as a visit lists it:
    one serial-numbered piece, or the item's pieces without a serial number (`pieces` of them)."""

    item_id: int
    serial_id: int | None
    grant_number: str
    designation: str
    serial: str | None
    pieces: int


@dataclass(frozen=True)
class PieceConditionDTO:
    """One line of a visit's equipment record; `id` stays the same while the visit is edited, so a
    photo of the piece can be attached to it (attachment entity "visit_piece"): `photos` are the
    ids of those attachments."""

    id: int
    item_id: int
    serial_id: int | None
    condition: str
    count: int
    photos: tuple[int, ...] = ()


@dataclass(frozen=True)
class VisitDTO:
    id: int
    organisation_id: int
    organisation_name: str
    visited_on: dt.date
    visitor: str
    observations: str | None
    monthly_revenue: Decimal | None
    production_quantity: Decimal | None
    production_unit: str | None
    problems: str | None
    pieces: tuple[PieceConditionDTO, ...] = ()


@dataclass(frozen=True)
class TrendPoint:
    visited_on: dt.date
    monthly_revenue: Decimal | None
    production_quantity: Decimal | None
    production_unit: str | None
