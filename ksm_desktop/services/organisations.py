"""Cooperatives, associations, AGR holders, partners and donors."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from sqlalchemy import CursorResult, Select, case, delete, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.attributes import flag_modified

from ksm_desktop.db import audit
from ksm_desktop.db.models import Grant, Location, Membership, Organisation, Person, ProgrammeParty
from ksm_desktop.domain.enums import OrgKind, OrgStatus, Sex
from ksm_desktop.domain.errors import ConflictError, NotFoundError, ValidationError
from ksm_desktop.domain.values import normalize_phone, optional_text, required_text, search_key
from ksm_desktop.i18n import N_, _
from ksm_desktop.services.base import (
    ListQuery,
    Page,
    Service,
    check_query,
    check_version,
    paginate,
    text_filter,
)
from ksm_desktop.services.dto import OrganisationDTO, OrganisationInput, OrganisationRow
from ksm_desktop.services.locations import location_dto

_CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9\-_]{1,29}$")


# Words every name shares ("Coopérative … pour le développement"): a code made of them says nothing.
_GENERIC_WORDS = frozenset(
    [
        "DE",
        "DU",
        "LA",
        "LE",
        "LES",
        "DES",
        "POUR",
        "L",
        "D",
        "ET",
        "EL",
        "AL",
        "AU",
        "AUX",
        "EN",
        "SUR",
        "A",
        "THE",
        "OF",
        "AND",
        "FOR",
        "COOPERATIVE",
        "COOP",
        "ASSOCIATION",
        "ASSOC",
        "GROUPEMENT",
        "GROUPE",
        "AGR",
        "UNION",
        "FEDERATION",
        "RESEAU",
        "DEVELOPPEMENT",
        "SOLIDARITE",
        "LOCALE",
        "FEMMES",
        "FEMININ",
        "FEMININE",
    ]
)
CODE_LENGTH = 12

# The filters its list accepts (ListQuery.filters keys).
LIST_FILTERS = ("kind", "province_id", "status", "programme_id")


def _suggest_code(name: str) -> str:
    """A short code people can read and type: the name's distinctive word ("Coopérative Nour
    Tafilalt" → NOUR), with the next one when it is very short (AIT-BAHA), 12 characters at most."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().upper()
    words = [w for w in re.split(r"[^A-Z0-9]+", ascii_name) if w]
    distinctive = [w for w in words if w not in _GENERIC_WORDS] or words
    code = distinctive[0] if distinctive else "ORG"
    if len(code) < 4 and len(distinctive) > 1:
        code = f"{code}-{distinctive[1]}"
    return code[:CODE_LENGTH].rstrip("-") if len(code) >= 2 else "ORG"


def organisation_dto(org: Organisation) -> OrganisationDTO:
    return OrganisationDTO(
        id=org.id,
        code=org.code,
        kind=org.kind,
        name=org.name,
        name_ar=org.name_ar,
        sector=org.sector,
        location_id=org.location_id,
        location=location_dto(org.location) if org.location else None,
        registration_number=org.registration_number,
        created_on=org.created_on,
        president_name=org.president_name,
        phone=org.phone,
        address=org.address,
        status=org.status,
        notes=org.notes,
        version=org.version,
    )


def get_by_code(session: Session, code: str) -> Organisation:
    org = session.scalars(select(Organisation).where(Organisation.code == code.strip().upper())).first()
    if org is None:
        raise NotFoundError(_("No organisation has the code “{code}”.").format(code=code), "code")
    return org


class OrganisationService(Service):
    def _validate(self, data: OrganisationInput) -> dict[str, Any]:
        try:
            kind = OrgKind(data.kind)
        except ValueError:
            raise ValidationError(
                _("Unknown organisation kind “{kind}”.").format(kind=data.kind), "kind"
            ) from None
        try:
            status = OrgStatus(data.status)
        except ValueError:
            raise ValidationError(
                _("Unknown status “{status}”.").format(status=data.status), "status"
            ) from None
        name = required_text(data.name, "name", N_("Name"))
        code = (data.code or "").strip().upper() or None
        if code is not None and not _CODE_RE.match(code):
            raise ValidationError(
                _("The code may contain only letters, digits and dashes (2 to 30 characters)."),
                "code",
            )
        return {
            "kind": kind.value,
            "status": status.value,
            "name": name,
            "code": code,
            "name_ar": optional_text(data.name_ar),
            "sector": optional_text(data.sector),
            "location_id": data.location_id,
            "registration_number": optional_text(data.registration_number),
            "created_on": data.created_on,
            "president_name": optional_text(data.president_name),
            "phone": normalize_phone(data.phone),
            "address": optional_text(data.address),
            "notes": optional_text(data.notes),
        }

    def _unique_code(self, session: Session, wanted: str | None, name: str, own_id: int | None) -> str:
        taken = select(Organisation.id).where(Organisation.code == (wanted or ""))
        if wanted is not None:
            other = session.scalar(taken)
            if other is not None and other != own_id:
                raise ConflictError(
                    _("The code “{code}” is already used by another organisation.").format(code=wanted),
                    "code",
                    existing_id=other,
                )
            return wanted
        base = _suggest_code(name)
        code, n = base, 1
        while session.scalar(select(Organisation.id).where(Organisation.code == code)) is not None:
            n += 1
            code = f"{base}-{n}"
        return code

    def _check_location(self, session: Session, location_id: object) -> None:
        if location_id is not None and session.get(Location, location_id) is None:
            raise NotFoundError(_("Unknown location (id {id}).").format(id=location_id), "location")

    def create(self, data: OrganisationInput) -> OrganisationDTO:
        values = self._validate(data)
        with self._write() as session:
            self._check_location(session, values["location_id"])
            values["code"] = self._unique_code(session, values["code"], str(values["name"]), None)
            org = Organisation(**values)
            org.search = search_key(
                org.code, org.name, org.name_ar, org.sector, org.president_name, org.phone
            )
            session.add(org)
            session.flush()
            session.refresh(org)
            return organisation_dto(org)

    def update(self, org_id: int, data: OrganisationInput) -> OrganisationDTO:
        values = self._validate(data)
        with self._write() as session:
            org = _get(session, org_id)
            check_version(session, org, data.version, "organisation")
            self._check_location(session, values["location_id"])
            values["code"] = self._unique_code(
                session, values["code"] or org.code, str(values["name"]), org.id
            )
            for key, value in values.items():
                setattr(org, key, value)
            flag_modified(org, "search")  # a new version even when nothing changed
            org.search = search_key(
                org.code, org.name, org.name_ar, org.sector, org.president_name, org.phone
            )
            session.flush()
            session.refresh(org)
            return organisation_dto(org)

    def get(self, org_id: int) -> OrganisationDTO:
        with self.db.reading() as session:
            return organisation_dto(_get(session, org_id))

    def get_by_code(self, code: str) -> OrganisationDTO:
        with self.db.reading() as session:
            return organisation_dto(get_by_code(session, code))

    def delete(self, org_id: int) -> None:
        """Delete an organisation with no grant and no programme role; its memberships go with it
        (a bulk delete: a backup is made first)."""
        self._backup_before("bulk-delete")
        with self._write() as session:
            org = _get(session, org_id)
            if session.scalar(select(exists().where(Grant.organisation_id == org.id))):
                raise ConflictError(
                    _("“{name}” has grants and cannot be deleted; mark it as dissolved instead.").format(
                        name=org.name
                    )
                )
            if session.scalar(select(exists().where(ProgrammeParty.organisation_id == org.id))):
                raise ConflictError(
                    _("“{name}” is a donor or partner of a programme and cannot be deleted.").format(
                        name=org.name
                    )
                )
            name = org.name  # read now: a failed flush expires the object
            removed: CursorResult[Any] = session.execute(  # type: ignore[assignment]
                delete(Membership).where(Membership.organisation_id == org.id)
            )
            if removed.rowcount:
                audit.record(session, "delete", "membership", name, {"memberships": removed.rowcount})
            session.delete(org)
            try:
                session.flush()
            except IntegrityError as exc:
                raise ConflictError(
                    _("“{name}” is still referenced and cannot be deleted.").format(name=name)
                ) from exc

    def search(self, query: ListQuery = ListQuery()) -> Page[OrganisationRow]:
        """Organisations with member counts by sex; filters: kind, province_id, status, programme_id."""
        with self.db.reading() as session:
            rows, total = paginate(session, self._list_stmt(query), query)
            return Page([OrganisationRow(**row) for row in rows], total)

    def _list_stmt(self, query: ListQuery) -> Select[Any]:
        counts = (
            select(
                Membership.organisation_id.label("org_id"),
                func.count().label("members"),
                func.sum(case((Person.sex == Sex.FEMALE, 1), else_=0)).label("women"),
                func.sum(case((Person.sex == Sex.MALE, 1), else_=0)).label("men"),
            )
            .join(Person, Person.id == Membership.person_id)
            .group_by(Membership.organisation_id)
            .subquery()
        )
        loc = aliased(Location)
        province = aliased(Location)
        columns = {
            "code": Organisation.code,
            "kind": Organisation.kind,
            "name": Organisation.name,
            "name_ar": Organisation.name_ar,
            "sector": Organisation.sector,
            "province": province.name,
            "status": Organisation.status,
            "members": func.coalesce(counts.c.members, 0),
            "women": func.coalesce(counts.c.women, 0),
            "men": func.coalesce(counts.c.men, 0),
        }
        stmt = (
            select(Organisation.id, *[c.label(k) for k, c in columns.items()])
            .outerjoin(counts, counts.c.org_id == Organisation.id)
            .outerjoin(loc, loc.id == Organisation.location_id)
            .outerjoin(province, province.id == loc.province_id)
        )
        condition = text_filter(Organisation.search, query.text)
        if condition is not None:
            stmt = stmt.where(condition)
        f = query.filters
        if f.get("kind"):
            kinds = f["kind"] if isinstance(f["kind"], (list, tuple, set)) else [f["kind"]]
            stmt = stmt.where(Organisation.kind.in_(kinds))
        if f.get("province_id"):
            stmt = stmt.where(loc.province_id == f["province_id"])
        if f.get("status"):
            stmt = stmt.where(Organisation.status == f["status"])
        if f.get("programme_id"):
            stmt = stmt.where(
                exists().where(
                    Grant.organisation_id == Organisation.id,
                    Grant.programme_id == f["programme_id"],
                )
                | exists().where(
                    ProgrammeParty.organisation_id == Organisation.id,
                    ProgrammeParty.programme_id == f["programme_id"],
                )
            )
        check_query(query, LIST_FILTERS, columns)
        sort = columns.get(query.sort or "name", Organisation.name)
        return stmt.order_by(sort.desc() if query.descending else sort, Organisation.id)


def _get(session: Session, org_id: int) -> Organisation:
    org = session.get(Organisation, org_id)
    if org is None:
        raise NotFoundError(_("Unknown organisation (id {id}).").format(id=org_id), "organisation")
    return org
