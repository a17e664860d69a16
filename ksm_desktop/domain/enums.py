"""Closed lists of the domain; values are stored in the database, labels are translated when shown."""

from __future__ import annotations

from enum import StrEnum

from ksm_desktop.i18n import N_, NC_, _, pgettext, translate_in


class LabelledEnum(StrEnum):
    """A StrEnum whose members carry a translatable label.

    Status labels have a context: French and Arabic make them agree with the noun
    (une dotation « Clôturée », un programme « Achevé »).
    """

    @property
    def label(self) -> str:
        text = _LABELS[type(self)][self]
        return _(text) if isinstance(text, str) else pgettext(*text)

    def label_in(self, lang: str) -> str:
        """The label in `lang` whatever the current language (a document printed in Arabic)."""
        text = _LABELS[type(self)][self]
        return translate_in(lang, text) if isinstance(text, str) else translate_in(lang, text[1], text[0])


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


class MemberRole(LabelledEnum):
    PRESIDENT = "president"
    VICE_PRESIDENT = "vice_president"
    TREASURER = "treasurer"
    SECRETARY = "secretary"
    MEMBER = "member"


class AccountRole(LabelledEnum):
    """What a user account may do in the program (a member's role in an organisation is MemberRole)."""

    ADMIN = "admin"
    AGENT = "agent"
    READONLY = "readonly"


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


class ActivityKind(LabelledEnum):
    TRAINING = "training"
    WORKSHOP = "workshop"
    CAMPAIGN = "campaign"


class Campaign(LabelledEnum):
    """KSM's seasonal campaigns, run with partner associations."""

    SOS_WINTER = "sos_winter"
    RAMADAN = "ramadan"
    EID_AL_ADHA = "eid_al_adha"
    SCHOOL_START = "school_start"
    ORPHAN_SPONSORSHIP = "orphan_sponsorship"
    WATER_ACCESS = "water_access"


class PieceCondition(LabelledEnum):
    """What a follow-up visit finds a delivered piece of equipment to be."""

    IN_SERVICE = "in_service"
    BROKEN = "broken"
    SOLD = "sold"
    LOST = "lost"
    REPLACED = "replaced"


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


class AttachmentKind(LabelledEnum):
    """What an attached file proves: the evidence donors and auditors ask for per grant."""

    SIGNED_PV = "signed_pv"
    INVOICE = "invoice"
    PHOTO = "photo"
    STATUTES = "statutes"
    OTHER = "other"


class AttachmentOwner(StrEnum):
    """The records a file can be attached to (the name used by the service and the command line)."""

    GRANT = "grant"
    GRANT_ITEM = "grant_item"
    VISIT = "visit"
    VISIT_PIECE = "visit_piece"  # one piece of equipment seen at a visit (its photo)
    ORGANISATION = "organisation"
    PERSON = "person"


class DuplicateReason(LabelledEnum):
    """Why two persons may be one (domain.duplicates)."""

    SAME_NAME = "same_name"
    SIMILAR_NAME = "similar_name"
    SAME_BIRTH_YEAR = "same_birth_year"
    CLOSE_BIRTH_YEAR = "close_birth_year"
    SAME_DOUAR = "same_douar"
    SAME_COMMUNE = "same_commune"
    SAME_PHONE = "same_phone"
    CIN_NEAR_MISS = "cin_near_miss"
    SAME_ORGANISATION = "same_organisation"


class DoubleDipReason(LabelledEnum):
    """Why a beneficiary appears in the double-dipping report (services.double_dipping)."""

    SEVERAL_PROGRAMMES = "several_programmes"
    REPEATED_IN_PROGRAMME = "repeated_in_programme"


# Labels per enum class: members of two StrEnums with the same value ("closed") are equal as
# dict keys, so one flat dict would give a programme the label of a grant.
_LABELS: dict[type[LabelledEnum], dict[str, str | tuple[str, str]]] = {
    LocationLevel: {
        LocationLevel.REGION: N_("Region"),
        LocationLevel.PROVINCE: N_("Province / prefecture"),
        LocationLevel.COMMUNE: N_("Commune"),
        LocationLevel.DOUAR: N_("Douar"),
        LocationLevel.TRIBE: N_("Tribe"),
    },
    OrgKind: {
        OrgKind.COOPERATIVE: N_("Cooperative"),
        OrgKind.ASSOCIATION: N_("Association / CSO"),
        OrgKind.GROUPEMENT: N_("Producer group"),
        OrgKind.AGR: N_("Individual IGA"),
        OrgKind.PARTNER: N_("Partner"),
        OrgKind.DONOR: N_("Donor"),
    },
    OrgStatus: {
        OrgStatus.ACTIVE: NC_("organisation status", "Active"),
        OrgStatus.DISSOLVED: NC_("organisation status", "Dissolved"),
    },
    Sex: {
        Sex.FEMALE: N_("Woman"),
        Sex.MALE: N_("Man"),
    },
    MemberRole: {
        MemberRole.PRESIDENT: N_("President"),
        MemberRole.VICE_PRESIDENT: N_("Vice-president"),
        MemberRole.TREASURER: N_("Treasurer"),
        MemberRole.SECRETARY: N_("Secretary"),
        MemberRole.MEMBER: N_("Member"),
    },
    Vulnerability: {
        Vulnerability.WIDOW: N_("Widow"),
        Vulnerability.SINGLE_MOTHER: N_("Single mother"),
        Vulnerability.YOUTH: N_("Youth"),
        Vulnerability.DISABILITY: N_("Disability"),
        Vulnerability.NOMAD: N_("Nomad"),
        Vulnerability.ORPHAN: N_("Orphan"),
        Vulnerability.HEARING_IMPAIRED: N_("Hearing-impaired"),
    },
    ProgrammeStatus: {
        ProgrammeStatus.PLANNED: NC_("programme status", "Planned"),
        ProgrammeStatus.ONGOING: NC_("programme status", "Ongoing"),
        ProgrammeStatus.CLOSED: NC_("programme status", "Completed"),
    },
    AccountRole: {
        AccountRole.ADMIN: N_("Administrator"),
        AccountRole.AGENT: N_("Agent"),
        AccountRole.READONLY: N_("Read only"),
    },
    PartyRole: {
        PartyRole.DONOR: N_("Donor"),
        PartyRole.PARTNER: N_("Partner"),
    },
    GrantKind: {
        GrantKind.EQUIPMENT: N_("Equipment"),
        GrantKind.WORKS: N_("Works / fitting-out"),
        GrantKind.FINANCIAL: N_("Financial support"),
    },
    GrantStatus: {
        GrantStatus.DRAFT: NC_("grant status", "Draft"),
        GrantStatus.VALIDATED: NC_("grant status", "Validated"),
        GrantStatus.DELIVERED: NC_("grant status", "Delivered"),
        GrantStatus.CLOSED: NC_("grant status", "Closed"),
        GrantStatus.CANCELLED: NC_("grant status", "Cancelled"),
    },
    Currency: {
        Currency.EUR: N_("Euro"),
        Currency.MAD: N_("Moroccan dirham"),
    },
    ActivityKind: {
        ActivityKind.TRAINING: N_("Training"),
        ActivityKind.WORKSHOP: N_("Restitution workshop"),
        ActivityKind.CAMPAIGN: N_("Seasonal campaign"),
    },
    Campaign: {
        Campaign.SOS_WINTER: N_("SOS Winter"),
        Campaign.RAMADAN: N_("Ramadan"),
        Campaign.EID_AL_ADHA: N_("Eid al-Adha"),
        Campaign.SCHOOL_START: N_("Back to school"),
        Campaign.ORPHAN_SPONSORSHIP: N_("Orphan sponsorship"),
        Campaign.WATER_ACCESS: N_("Access to water"),
    },
    PieceCondition: {
        PieceCondition.IN_SERVICE: NC_("equipment condition", "In service"),
        PieceCondition.BROKEN: NC_("equipment condition", "Out of order"),
        PieceCondition.SOLD: NC_("equipment condition", "Sold"),
        PieceCondition.LOST: NC_("equipment condition", "Lost"),
        PieceCondition.REPLACED: NC_("equipment condition", "Replaced"),
    },
    AttachmentKind: {
        AttachmentKind.SIGNED_PV: N_("Signed handover certificate"),
        AttachmentKind.INVOICE: N_("Invoice"),
        AttachmentKind.PHOTO: N_("Photo"),
        AttachmentKind.STATUTES: N_("Statutes"),
        AttachmentKind.OTHER: N_("Other"),
    },
    DuplicateReason: {
        DuplicateReason.SAME_NAME: N_("same name (in another spelling or script)"),
        DuplicateReason.SIMILAR_NAME: N_("similar name"),
        DuplicateReason.SAME_BIRTH_YEAR: N_("same birth year"),
        DuplicateReason.CLOSE_BIRTH_YEAR: N_("birth years one apart"),
        DuplicateReason.SAME_DOUAR: N_("same douar"),
        DuplicateReason.SAME_COMMUNE: N_("same commune"),
        DuplicateReason.SAME_PHONE: N_("same phone number"),
        DuplicateReason.CIN_NEAR_MISS: N_("CIN one keystroke away"),
        DuplicateReason.SAME_ORGANISATION: N_("member of the same organisation"),
    },
    DoubleDipReason: {
        DoubleDipReason.SEVERAL_PROGRAMMES: N_("grants under several programmes"),
        DoubleDipReason.REPEATED_IN_PROGRAMME: N_("the same equipment twice in one programme"),
    },
}
