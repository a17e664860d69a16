"""Members and beneficiaries: people, their CIN and phone, and their roles in organisations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from sqlalchemy import Select, case, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from ksm_desktop.db import audit
from ksm_desktop.db.models import Grant, Location, Membership, Organisation, Person
from ksm_desktop.db.models_fieldwork import Household
from ksm_desktop.db.search_index import has_person_index
from ksm_desktop.domain.enums import MemberRole
from ksm_desktop.domain.errors import ConflictError, NotFoundError, ValidationError
from ksm_desktop.domain.values import (
    normalize_cin,
)
from ksm_desktop.i18n import _
from ksm_desktop.services.base import (
    ListQuery,
    Page,
    Service,
    check_query,
    check_version,
    collector_paused,
    executemany,
    mask,
    paginate,
    search_words,
)
from ksm_desktop.services.dto import MembershipDTO, PersonDTO, PersonInput, PersonRow
from ksm_desktop.services.duplicates import record_different
from ksm_desktop.services.merges import check_choices, merge_persons, undo_merge
from ksm_desktop.services.name_pages import name_ordered_page
from ksm_desktop.services.person_rows import existing_cins, insert_people, validate_batch, validate_person
from ksm_desktop.services.person_search import text_filters, text_streams

M = TypeVar("M", PersonDTO, PersonRow, MembershipDTO)

ORG_SEPARATOR = ","

# The filters its list accepts (ListQuery.filters keys).
LIST_FILTERS = ("organisation_id", "member", "sex", "province_id", "vulnerability")
# The list's order when not sorted by another column: the name index's (migration 0014).
NAME_ORDER = (Person.last_name, Person.first_name, Person.id)


def person_dto(p: Person) -> PersonDTO:
    return PersonDTO(
        id=p.id,
        first_name=p.first_name,
        last_name=p.last_name,
        full_name_ar=p.full_name_ar,
        cin=p.cin,
        sex=p.sex,
        birth_date=p.birth_date,
        birth_year=p.birth_year,
        phone=p.phone,
        vulnerabilities=tuple(v for v in p.vulnerabilities.split(",") if v),
        household_size=p.household_size,
        location_id=p.location_id,
        notes=p.notes,
        consent_date=p.consent_date,
        consent_purpose=p.consent_purpose,
        anonymised_on=p.anonymised_on,
        version=p.version,
    )


def insert_memberships(session: Session, organisation_id: int, members: Sequence[tuple[int, str]]) -> None:
    """Add (person id, role) memberships of one organisation with one executemany."""
    if members:
        executemany(
            session,
            "membership",
            ("person_id", "organisation_id", "role"),
            [(pid, organisation_id, str(role)) for pid, role in members],
        )


def duplicate_cin_error(session: Session, cin: str, person_id: int) -> ConflictError:
    """'CIN AB123 is already registered for Fatima Alaoui (member of Coopérative Malika)'."""
    person = session.get(Person, person_id)
    assert person is not None
    orgs = list(
        session.scalars(
            select(Organisation.name)
            .join(Membership, Membership.organisation_id == Organisation.id)
            .where(Membership.person_id == person_id)
            .order_by(Organisation.name)
        )
    )
    name = f"{person.first_name} {person.last_name}"
    if orgs:
        message = _("The CIN {cin} is already registered for {name} (member of {orgs}).").format(
            cin=cin, name=name, orgs=", ".join(orgs)
        )
    else:
        message = _("The CIN {cin} is already registered for {name}.").format(cin=cin, name=name)
    return ConflictError(message, "cin", existing_id=person_id)


class PersonService(Service):
    def create(self, data: PersonInput, different_from: Collection[int] = ()) -> PersonDTO:
        """A new person; `different_from`: registered persons the user said this one is not (the
        duplicate candidates they dismissed), remembered in the same transaction."""
        values = validate_person(data)
        with self._write() as session:
            self._check_cin(session, values["cin"], None)
            self._check_location(session, values["location_id"])
            person = Person(**values)
            session.add(person)
            session.flush()
            for other in different_from:
                record_different(session, person.id, other)
            return person_dto(person)

    def update(self, person_id: int, data: PersonInput) -> PersonDTO:
        values = validate_person(data)
        with self._write() as session:
            person = _get(session, person_id)
            check_version(session, person, data.version, "person")
            self._check_cin(session, values["cin"], person.id)
            self._check_location(session, values["location_id"])
            for key, value in values.items():
                setattr(person, key, value)
            flag_modified(person, "search")  # a new version even when nothing changed
            session.flush()
            return person_dto(person)

    def get(self, person_id: int) -> PersonDTO:
        with self.db.reading() as session:
            return self._masked(person_dto(_get(session, person_id)))

    def cin_owner(self, raw_cin: str, exclude_id: int | None = None) -> ConflictError | None:
        """The conflict a CIN would cause (who already has it), for live checks in forms."""
        cin = normalize_cin(raw_cin)
        if cin is None:
            return None
        with self.db.reading() as session:
            owner = session.scalar(select(Person.id).where(Person.cin == cin))
            if owner is None or owner == exclude_id:
                return None
            return duplicate_cin_error(session, cin, owner)

    def delete(self, person_id: int) -> None:
        with self._write() as session:
            person = _get(session, person_id)
            if session.scalar(select(exists().where(Grant.person_id == person.id))):
                raise ConflictError(
                    _("{name} received grants and cannot be deleted.").format(
                        name=f"{person.first_name} {person.last_name}"
                    )
                )
            name = f"{person.first_name} {person.last_name}"
            session.delete(person)
            try:
                session.flush()
            except IntegrityError as exc:  # heads a household, took part in an activity…
                raise ConflictError(
                    _("{name} is still referenced and cannot be deleted.").format(name=name)
                ) from exc

    @collector_paused()
    def bulk_create(
        self,
        rows: Sequence[PersonInput],
        organisation_id: int | None = None,
        role: str = MemberRole.MEMBER,
    ) -> int:
        """Create many people in one transaction (imports, demo): all or nothing.

        A bad row raises ValidationError with its 1-based row number in the message.
        """
        checked, errors = validate_batch(list(enumerate(rows, start=1)))
        if errors:
            n, error = errors[0]
            raise type(error)(_("Row {n}: {message}").format(n=n, message=error.message), error.field)
        values = [row for _n, row in checked]
        seen = {row["cin"]: n for n, row in checked if row["cin"] is not None}
        with self._write() as session:
            if organisation_id is not None:
                _org(session, organisation_id)
            for cin, owner in existing_cins(session, list(seen)):
                error = duplicate_cin_error(session, cin, owner)
                raise ConflictError(
                    _("Row {n}: {message}").format(n=seen[cin], message=error.message),
                    "cin",
                    existing_id=owner,
                )
            if not values:
                return 0
            ids = insert_people(session, values)
            if organisation_id is not None:
                insert_memberships(session, organisation_id, [(pid, role) for pid in ids])
            audit.record(
                session,
                "create",
                "person",
                _("Import"),
                {"persons": len(ids), "organisation_id": organisation_id},
            )
            return len(values)

    def search(self, query: ListQuery = ListQuery()) -> Page[PersonRow]:
        """People; filters: organisation_id, member (True/False), sex, province_id, vulnerability."""
        with self.db.reading() as session:
            indexed = has_person_index(session)
            more = False
            if query.sort in (None, "last_name") and query.limit is not None and search_words(query.text):
                base = self._list_stmt(replace(query, text=""))
                streams = text_streams(query.text, indexed, as_typed_first=query.sort is None)
                rows, total, more = name_ordered_page(
                    session, base, Person.id, streams, query.offset, query.limit
                )
            else:
                rows, total = paginate(session, self._list_stmt(query, indexed), query, indexed)
            result = []
            for row in rows:
                orgs = tuple(row["orgs"].split(ORG_SEPARATOR)) if row["orgs"] else ()
                result.append(self._masked(PersonRow(**(row | {"orgs": orgs}))))
            return Page(result, total, more)

    def _list_stmt(self, query: ListQuery, indexed: bool = False) -> Select[Any]:
        """The list's query; `indexed`: the text is looked up through SQLite's trigram table."""
        orgs = (
            select(
                func.group_concat(Organisation.code, ORG_SEPARATOR)
                if self.db.is_sqlite
                else func.string_agg(Organisation.code, ORG_SEPARATOR)
            )
            .join(Membership, Membership.organisation_id == Organisation.id)
            .where(Membership.person_id == Person.id)
            .correlate(Person)
            .scalar_subquery()
        )
        columns = {
            "first_name": Person.first_name,
            "last_name": Person.last_name,
            "full_name_ar": Person.full_name_ar,
            "cin": Person.cin,
            "sex": Person.sex,
            "birth_year": Person.birth_year,
            "phone": Person.phone,
            "birth_date": Person.birth_date,
        }
        stmt = select(Person.id, *[c.label(k) for k, c in columns.items()], orgs.label("orgs"))
        found = text_filters(query.text, indexed)
        exact = None
        if found is not None:
            exact, anyhow = found
            stmt = stmt.where(anyhow)
        f = query.filters
        if f.get("organisation_id"):
            stmt = stmt.where(
                exists().where(
                    Membership.person_id == Person.id,
                    Membership.organisation_id == f["organisation_id"],
                )
            )
        if f.get("member") is not None:  # True: members of an organisation, False: nobody's member
            belongs = exists().where(Membership.person_id == Person.id)
            stmt = stmt.where(belongs if f["member"] else ~belongs)
        if f.get("sex"):
            stmt = stmt.where(Person.sex == f["sex"])
        if f.get("province_id"):
            stmt = stmt.join(Location, Location.id == Person.location_id).where(
                Location.province_id == f["province_id"]
            )
        if f.get("vulnerability"):
            stmt = stmt.where(Person.vulnerabilities.contains(str(f["vulnerability"])))
        check_query(query, LIST_FILTERS, columns)
        order: list[Any] = []
        if exact is not None and query.sort is None:  # the name as typed first, then its other spellings
            order.append(case((exact, 0), else_=1))
        keys = NAME_ORDER if query.sort in (None, "last_name") else (columns[query.sort], Person.id)
        order += [k.desc() if query.descending else k for k in keys]
        return stmt.order_by(*order)

    def merge(self, keep_id: int, drop_id: int, choices: Mapping[str, str] | None = None) -> PersonDTO:
        """One person registered twice becomes one: everything that points to `drop_id` points to
        `keep_id`, and the dropped person's former data stays in the audit log, with what an undo
        needs. Per field the kept person's value stays, or the dropped one's fills it when empty;
        `choices` ({field: "keep" | "drop"}) decide where both differ. A membership or an activity
        both had is kept once; two households headed is a conflict (a household has one head)."""
        if keep_id == drop_id:
            raise ValidationError(_("Choose two different persons to merge."), "person")
        check_choices(choices or {})
        with self._write() as session:
            keep, drop = _get(session, keep_id), _get(session, drop_id)
            if keep.anonymised_on is not None or drop.anonymised_on is not None:
                raise ConflictError(_("An anonymised person cannot be merged."), "person")
            heads = session.scalars(
                select(Household.id).where(Household.head_id.in_([keep.id, drop.id]))
            ).all()
            if len(heads) > 1:
                raise ConflictError(
                    _(
                        "{keep} and {drop} each head a household: give one household another head first."
                    ).format(keep=_name(keep), drop=_name(drop)),
                    "person",
                )
            merge_persons(session, keep, drop, choices or {})
            return person_dto(keep)

    def undo_merge(self, audit_id: int) -> PersonDTO:
        """The merge recorded in audit entry `audit_id` undone: the dropped person back with their
        id, data, memberships, grants, households and activities (administrators only, like the log)."""
        self._require_admin()
        with self._write() as session:
            return person_dto(undo_merge(session, audit_id))

    # --- memberships -------------------------------------------------------------------------

    def add_member(
        self,
        organisation_id: int,
        person_id: int,
        role: str = MemberRole.MEMBER,
        start_date: dt.date | None = None,
        end_date: dt.date | None = None,
    ) -> MembershipDTO:
        role_value = _role(role)
        _check_dates(start_date, end_date)
        with self._write() as session:
            org = _org(session, organisation_id)
            person = _get(session, person_id)
            if session.scalar(
                select(Membership.id).where(
                    Membership.person_id == person.id, Membership.organisation_id == org.id
                )
            ):
                raise ConflictError(
                    _("{name} is already a member of {org}.").format(
                        name=f"{person.first_name} {person.last_name}", org=org.name
                    ),
                    "person",
                )
            membership = Membership(
                person=person,
                organisation=org,
                role=role_value,
                start_date=start_date,
                end_date=end_date,
            )
            session.add(membership)
            session.flush()
            return _membership_dto(membership)

    def update_membership(
        self, membership_id: int, role: str, start_date: dt.date | None, end_date: dt.date | None
    ) -> MembershipDTO:
        role_value = _role(role)
        _check_dates(start_date, end_date)
        with self._write() as session:
            membership = session.get(Membership, membership_id)
            if membership is None:
                raise NotFoundError(_("This membership no longer exists."))
            membership.role, membership.start_date, membership.end_date = (
                role_value,
                start_date,
                end_date,
            )
            session.flush()
            return _membership_dto(membership)

    def remove_member(self, membership_id: int) -> None:
        with self._write() as session:
            membership = session.get(Membership, membership_id)
            if membership is None:
                raise NotFoundError(_("This membership no longer exists."))
            session.delete(membership)

    def members_of(self, organisation_id: int) -> list[MembershipDTO]:
        with self.db.reading() as session:
            _org(session, organisation_id)
            stmt = (
                select(Membership)
                .join(Person, Person.id == Membership.person_id)
                .where(Membership.organisation_id == organisation_id)
                .order_by(Person.last_name, Person.first_name, Person.id)
            )
            return [self._masked(_membership_dto(m)) for m in session.scalars(stmt)]

    def memberships_of(self, person_id: int) -> list[MembershipDTO]:
        with self.db.reading() as session:
            _get(session, person_id)
            stmt = select(Membership).where(Membership.person_id == person_id).order_by(Membership.id)
            return [self._masked(_membership_dto(m)) for m in session.scalars(stmt)]

    # --- helpers -----------------------------------------------------------------------------

    def _masked(self, dto: M) -> M:
        """CIN and phone hidden from read-only accounts (they view and print lists, not contacts)."""
        if self.actor.sees_personal_data:
            return dto
        return replace(dto, cin=mask(dto.cin), phone=mask(dto.phone))

    def _check_cin(self, session: Session, cin: str | None, own_id: int | None) -> None:
        if cin is None:
            return
        owner = session.scalar(select(Person.id).where(Person.cin == cin))
        if owner is not None and owner != own_id:
            raise duplicate_cin_error(session, cin, owner)

    def _check_location(self, session: Session, location_id: int | None) -> None:
        if location_id is not None and session.get(Location, location_id) is None:
            raise NotFoundError(_("Unknown location (id {id}).").format(id=location_id), "location")


def _name(person: Person) -> str:
    return f"{person.first_name} {person.last_name}"


def _membership_dto(m: Membership) -> MembershipDTO:
    return MembershipDTO(
        id=m.id,
        person_id=m.person_id,
        organisation_id=m.organisation_id,
        organisation_code=m.organisation.code,
        organisation_name=m.organisation.name,
        first_name=m.person.first_name,
        last_name=m.person.last_name,
        full_name_ar=m.person.full_name_ar,
        cin=m.person.cin,
        sex=m.person.sex,
        phone=m.person.phone,
        role=m.role,
        start_date=m.start_date,
        end_date=m.end_date,
    )


def _role(role: str) -> str:
    try:
        return MemberRole(role).value
    except ValueError:
        raise ValidationError(_("Unknown role “{role}”.").format(role=role), "role") from None


def _check_dates(start: dt.date | None, end: dt.date | None, field: str = "end_date") -> None:
    if start is not None and end is not None and end < start:
        raise ValidationError(_("The end date cannot be before the start date."), field)


def _get(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise NotFoundError(_("Unknown person (id {id}).").format(id=person_id), "person")
    return person


def _org(session: Session, org_id: int) -> Organisation:
    org = session.get(Organisation, org_id)
    if org is None:
        raise NotFoundError(_("Unknown organisation (id {id}).").format(id=org_id), "organisation")
    return org
