"""Plain data handed between services and their callers (GUI, CLI, reports): never ORM objects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class LocationDTO:
    id: int
    level: str
    name: str
    name_ar: str | None
    parent_id: int | None
    path: str  # "Douar X, Commune Y, Errachidia, Drâa-Tafilalet"
    path_ar: str | None


@dataclass
class OrganisationInput:
    kind: str
    name: str
    code: str | None = None  # generated from the name when empty
    name_ar: str | None = None
    sector: str | None = None
    location_id: int | None = None
    registration_number: str | None = None
    created_on: dt.date | None = None
    president_name: str | None = None
    phone: str | None = None
    address: str | None = None
    status: str = "active"
    notes: str | None = None
    version: int | None = None


@dataclass(frozen=True)
class OrganisationDTO:
    id: int
    code: str
    kind: str
    name: str
    name_ar: str | None
    sector: str | None
    location_id: int | None
    location: LocationDTO | None
    registration_number: str | None
    created_on: dt.date | None
    president_name: str | None
    phone: str | None
    address: str | None
    status: str
    notes: str | None
    version: int = 0


@dataclass(frozen=True)
class OrganisationRow:
    id: int
    code: str
    kind: str
    name: str
    name_ar: str | None
    sector: str | None
    province: str | None
    status: str
    members: int
    women: int
    men: int


@dataclass
class PersonInput:
    first_name: str
    last_name: str
    sex: str
    full_name_ar: str | None = None
    cin: str | None = None
    birth_date: dt.date | None = None
    birth_year: int | None = None
    phone: str | None = None
    vulnerabilities: list[str] = field(default_factory=list)
    household_size: int | None = None
    location_id: int | None = None
    notes: str | None = None
    version: int | None = None


@dataclass(frozen=True)
class PersonDTO:
    id: int
    first_name: str
    last_name: str
    full_name_ar: str | None
    cin: str | None
    sex: str
    birth_date: dt.date | None
    birth_year: int | None
    phone: str | None
    vulnerabilities: tuple[str, ...]
    household_size: int | None
    location_id: int | None
    notes: str | None
    consent_date: dt.date | None = None  # consent under law 09-08, set through the privacy service
    consent_purpose: str | None = None
    anonymised_on: dt.date | None = None
    version: int = 0

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class PersonRow:
    id: int
    first_name: str
    last_name: str
    full_name_ar: str | None
    cin: str | None
    sex: str
    birth_year: int | None
    phone: str | None
    orgs: tuple[str, ...]  # organisation codes
    birth_date: dt.date | None = None  # when known, the exports keep it whole


@dataclass(frozen=True)
class MembershipDTO:
    id: int
    person_id: int
    organisation_id: int
    organisation_code: str
    organisation_name: str
    first_name: str
    last_name: str
    full_name_ar: str | None
    cin: str | None
    sex: str
    phone: str | None
    role: str
    start_date: dt.date | None
    end_date: dt.date | None


@dataclass
class ProgrammeInput:
    code: str
    name: str
    name_ar: str | None = None
    description: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    status: str = "ongoing"
    budget: Decimal | None = None
    currency: str = "EUR"
    target_women: int | None = None
    target_men: int | None = None
    donor_ids: list[int] = field(default_factory=list)
    partner_ids: list[int] = field(default_factory=list)
    zone_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class PartyDTO:
    organisation_id: int
    code: str
    name: str
    name_ar: str | None
    role: str


@dataclass(frozen=True)
class ProgrammeDTO:
    id: int
    code: str
    name: str
    name_ar: str | None
    description: str | None
    start_date: dt.date | None
    end_date: dt.date | None
    status: str
    budget: Decimal | None
    currency: str
    target_women: int | None
    target_men: int | None
    donors: tuple[PartyDTO, ...]
    partners: tuple[PartyDTO, ...]
    zones: tuple[LocationDTO, ...]
    granted: Decimal  # sum of non-cancelled grants, in the programme's currency
    reached_women: int
    reached_men: int


@dataclass(frozen=True)
class ProgrammeRow:
    id: int
    code: str
    name: str
    name_ar: str | None
    start_date: dt.date | None
    end_date: dt.date | None
    status: str
    budget: Decimal | None
    currency: str
    grants: int


@dataclass
class GrantItemInput:
    designation: str
    quantity: Decimal
    unit_price: Decimal
    unit: str | None = None
    supplier: str | None = None
    invoice_ref: str | None = None
    serials: list[str] = field(default_factory=list)  # serial numbers or inventory tags, one per piece


@dataclass
class GrantInput:
    purpose: str
    kind: str = "equipment"
    programme_id: int | None = None
    organisation_id: int | None = None
    person_id: int | None = None
    household_id: int | None = None
    currency: str = "EUR"
    eur_mad_rate: Decimal = Decimal("10.8000")
    rate_date: dt.date | None = None
    grant_date: dt.date | None = None
    women: int = 0
    men: int = 0
    unspecified: int = 0
    notes: str | None = None
    items: list[GrantItemInput] = field(default_factory=list)
    version: int | None = None  # the version the form read; None skips the check (imports, CLI)


@dataclass
class DeliveryInput:
    delivered_on: dt.date
    place: str
    received_by_name: str
    received_by_cin: str | None = None
    received_by_role: str | None = None


@dataclass(frozen=True)
class GrantItemDTO:
    id: int
    position: int
    designation: str
    quantity: Decimal
    unit: str | None
    unit_price: Decimal
    supplier: str | None
    invoice_ref: str | None
    total: Decimal
    serials: tuple[str, ...] = ()

    @property
    def pieces(self) -> int:
        """How many pieces the item counts (12.5 m of cable: 12), the most serial numbers it takes."""
        return int(self.quantity)


@dataclass(frozen=True)
class GrantEventDTO:
    status: str
    at: dt.datetime
    user: str
    note: str | None


@dataclass(frozen=True)
class RecipientDTO:
    """Who receives a grant: an organisation, a person or a household (printed as its head, with the
    household's code in `code`), with what the grant sheet prints."""

    organisation_id: int | None
    person_id: int | None
    household_id: int | None
    code: str | None
    name: str
    name_ar: str | None
    kind: str | None  # organisation kind, None for a person
    registration_number: str | None
    location: LocationDTO | None
    president_name: str | None
    president_cin: str | None
    cin: str | None
    phone: str | None


@dataclass(frozen=True)
class GrantDTO:
    id: int
    number: str
    programme_id: int | None
    programme_code: str | None
    programme_name: str | None
    donors: tuple[str, ...]
    recipient: RecipientDTO
    kind: str
    purpose: str
    currency: str
    eur_mad_rate: Decimal
    rate_date: dt.date | None
    grant_date: dt.date | None
    women: int
    men: int
    unspecified: int
    status: str
    delivered_on: dt.date | None
    delivery_place: str | None
    received_by_name: str | None
    received_by_cin: str | None
    received_by_role: str | None
    cancel_reason: str | None
    notes: str | None
    items: tuple[GrantItemDTO, ...]
    events: tuple[GrantEventDTO, ...]
    total: Decimal
    equivalent: Decimal  # the total in the other currency (MAD for EUR grants, EUR for MAD grants)
    equivalent_currency: str
    next_steps: tuple[str, ...]
    editable: bool
    version: int = 0  # the record's version when read: an update from it checks nobody saved since


@dataclass(frozen=True)
class GrantRow:
    id: int
    number: str
    recipient: str
    recipient_ar: str | None
    programme: str | None
    kind: str
    purpose: str
    status: str
    total: Decimal
    currency: str
    women: int
    men: int
    unspecified: int
    grant_date: dt.date | None
