"""Closed lists of the domain; values are stored in the database, labels are translated when shown."""

from __future__ import annotations

from enum import StrEnum

from ksm_desktop.i18n import N_, _


class LabelledEnum(StrEnum):
    """A StrEnum whose members carry a translatable label."""

    @property
    def label(self) -> str:
        return _(_LABELS[self])

    @property
    def msgid(self) -> str:
        """The untranslated label, for text written in another language than the app's (PDFs)."""
        return _LABELS[self]


class LocationLevel(LabelledEnum):
    REGION = "region"
    PROVINCE = "province"
    COMMUNE = "commune"
    DOUAR = "douar"
    TRIBE = "tribe"


class OrgKind(LabelledEnum):
    COOPERATIVE = "cooperative"
    ASSOCIATION = "association"
    GROUPEMENT = "groupement"
    AGR = "agr"
    PARTNER = "partner"
    DONOR = "donor"


class OrgStatus(LabelledEnum):
    ACTIVE = "active"
    DISSOLVED = "dissolved"


class Sex(LabelledEnum):
    FEMALE = "F"
    MALE = "M"


class Role(LabelledEnum):
    PRESIDENT = "president"
    VICE_PRESIDENT = "vice_president"
    TREASURER = "treasurer"
    SECRETARY = "secretary"
    MEMBER = "member"


class Vulnerability(LabelledEnum):
    WIDOW = "widow"
    SINGLE_MOTHER = "single_mother"
    YOUTH = "youth"
    DISABILITY = "disability"
    NOMAD = "nomad"
    ORPHAN = "orphan"
    HEARING_IMPAIRED = "hearing_impaired"


class ProgrammeStatus(LabelledEnum):
    PLANNED = "planned"
    ONGOING = "ongoing"
    CLOSED = "closed"


class PartyRole(LabelledEnum):
    DONOR = "donor"
    PARTNER = "partner"


class GrantKind(LabelledEnum):
    EQUIPMENT = "equipment"
    WORKS = "works"
    FINANCIAL = "financial"


class GrantStatus(LabelledEnum):
    DRAFT = "draft"
    VALIDATED = "validated"
    DELIVERED = "delivered"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class Currency(LabelledEnum):
    EUR = "EUR"
    MAD = "MAD"


# Allowed next steps of the grant workflow: brouillon → validée → livrée → clôturée, or annulée.
GRANT_TRANSITIONS: dict[GrantStatus, tuple[GrantStatus, ...]] = {
    GrantStatus.DRAFT: (GrantStatus.VALIDATED, GrantStatus.CANCELLED),
    GrantStatus.VALIDATED: (GrantStatus.DELIVERED, GrantStatus.CANCELLED),
    GrantStatus.DELIVERED: (GrantStatus.CLOSED,),
    GrantStatus.CLOSED: (),
    GrantStatus.CANCELLED: (),
}

# Statuses in which the grant's content (header and items) can still change.
EDITABLE_GRANT_STATUSES = frozenset({GrantStatus.DRAFT, GrantStatus.VALIDATED})

_LABELS: dict[LabelledEnum, str] = {
    LocationLevel.REGION: N_("Region"),
    LocationLevel.PROVINCE: N_("Province / prefecture"),
    LocationLevel.COMMUNE: N_("Commune"),
    LocationLevel.DOUAR: N_("Douar"),
    LocationLevel.TRIBE: N_("Tribe"),
    OrgKind.COOPERATIVE: N_("Cooperative"),
    OrgKind.ASSOCIATION: N_("Association / CSO"),
    OrgKind.GROUPEMENT: N_("Producer group"),
    OrgKind.AGR: N_("Individual IGA"),
    OrgKind.PARTNER: N_("Partner"),
    OrgKind.DONOR: N_("Donor"),
    OrgStatus.ACTIVE: N_("Active"),
    OrgStatus.DISSOLVED: N_("Dissolved"),
    Sex.FEMALE: N_("Woman"),
    Sex.MALE: N_("Man"),
    Role.PRESIDENT: N_("President"),
    Role.VICE_PRESIDENT: N_("Vice-president"),
    Role.TREASURER: N_("Treasurer"),
    Role.SECRETARY: N_("Secretary"),
    Role.MEMBER: N_("Member"),
    Vulnerability.WIDOW: N_("Widow"),
    Vulnerability.SINGLE_MOTHER: N_("Single mother"),
    Vulnerability.YOUTH: N_("Youth"),
    Vulnerability.DISABILITY: N_("Disability"),
    Vulnerability.NOMAD: N_("Nomad"),
    Vulnerability.ORPHAN: N_("Orphan"),
    Vulnerability.HEARING_IMPAIRED: N_("Hearing-impaired"),
    ProgrammeStatus.PLANNED: N_("Planned"),
    ProgrammeStatus.ONGOING: N_("Ongoing"),
    ProgrammeStatus.CLOSED: N_("Completed"),
    PartyRole.DONOR: N_("Donor"),
    PartyRole.PARTNER: N_("Partner"),
    GrantKind.EQUIPMENT: N_("Equipment"),
    GrantKind.WORKS: N_("Works / fitting-out"),
    GrantKind.FINANCIAL: N_("Financial support"),
    GrantStatus.DRAFT: N_("Draft"),
    GrantStatus.VALIDATED: N_("Validated"),
    GrantStatus.DELIVERED: N_("Delivered"),
    GrantStatus.CLOSED: N_("Closed"),
    GrantStatus.CANCELLED: N_("Cancelled"),
    Currency.EUR: N_("Euro"),
    Currency.MAD: N_("Moroccan dirham"),
}
