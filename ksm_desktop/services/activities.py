"""Trainings, workshops and campaigns: who took part, for which organisation, and who was reached."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from ksm_desktop.db.models import Location, Organisation, Person, Programme
from ksm_desktop.db.models_fieldwork import Activity, ActivityParticipant, ActivityPartner
from ksm_desktop.domain.enums import ActivityKind, Campaign, Sex
from ksm_desktop.domain.errors import ConflictError, NotFoundError, ValidationError
from ksm_desktop.domain.values import optional_text, required_text, search_key
from ksm_desktop.i18n import _
from ksm_desktop.services.base import ListQuery, Page, Service, check_query, paginate, text_filter
from ksm_desktop.services.dto_fieldwork import (
    ActivityDTO,
    ActivityInput,
    ActivityRow,
    ParticipantDTO,
    Reach,
)

# The filters its list accepts (ListQuery.filters keys).
LIST_FILTERS = ("programme_id", "kind", "campaign", "year")


def validate_activity(data: ActivityInput) -> dict[str, Any]:
    """The row to store for `data`, or a ValidationError naming the first bad field."""
    try:
        kind = ActivityKind(data.kind)
    except ValueError:
        raise ValidationError(_("Unknown activity kind “{kind}”.").format(kind=data.kind), "kind") from None
    campaign = None
    if kind == ActivityKind.CAMPAIGN:
        try:
            campaign = Campaign(data.campaign or "").value
        except ValueError:
            raise ValidationError(_("Choose which seasonal campaign this is."), "campaign") from None
    elif data.campaign:
        raise ValidationError(_("Only a campaign has a campaign type."), "campaign")
    if data.start_date is None:
        raise ValidationError(_("The start date is required."), "start_date")
    if data.end_date is not None and data.end_date < data.start_date:
        raise ValidationError(_("The end date cannot be before the start date."), "end_date")
    for name in ("unlisted_participants", "indirect_women", "indirect_men", "indirect_unspecified"):
        value = getattr(data, name)
        if value is None or value < 0:
            raise ValidationError(_("A number of participants cannot be negative."), name)
    if len(set(data.partner_ids)) != len(data.partner_ids):
        raise ValidationError(_("An association is listed twice among the partners."), "partners")
    return {
        "kind": kind.value,
        "campaign": campaign,
        "topic": required_text(data.topic, "topic", _("Topic")),
        "start_date": data.start_date,
        "end_date": data.end_date,
        "programme_id": data.programme_id,
        "place": optional_text(data.place),
        "location_id": data.location_id,
        "trainer": optional_text(data.trainer),
        "unlisted_participants": data.unlisted_participants,
        "indirect_women": data.indirect_women,
        "indirect_men": data.indirect_men,
        "indirect_unspecified": data.indirect_unspecified,
        "notes": optional_text(data.notes),
    }


def _get(session: Session, activity_id: int) -> Activity:
    activity = session.get(Activity, activity_id)
    if activity is None:
        raise NotFoundError(_("Unknown activity (id {id}).").format(id=activity_id), "activity")
    return activity


def _org(session: Session, org_id: int, field: str) -> Organisation:
    org = session.get(Organisation, org_id)
    if org is None:
        raise NotFoundError(_("Unknown organisation (id {id}).").format(id=org_id), field)
    return org


def activity_dto(session: Session, a: Activity) -> ActivityDTO:
    programme = session.get(Programme, a.programme_id) if a.programme_id else None
    partners = tuple(
        session.execute(
            select(Organisation.id, Organisation.code, Organisation.name)
            .join(ActivityPartner, ActivityPartner.organisation_id == Organisation.id)
            .where(ActivityPartner.activity_id == a.id)
            .order_by(ActivityPartner.id)
        ).tuples()
    )
    participants = tuple(
        ParticipantDTO(
            id=pid,
            person_id=person_id,
            name=f"{first} {last}",
            name_ar=name_ar,
            cin=cin,
            sex=sex,
            organisation_id=org_id,
            organisation_code=org_code,
            organisation_name=org_name,
        )
        for pid, person_id, first, last, name_ar, cin, sex, org_id, org_code, org_name in session.execute(
            select(
                ActivityParticipant.id,
                Person.id,
                Person.first_name,
                Person.last_name,
                Person.full_name_ar,
                Person.cin,
                Person.sex,
                Organisation.id,
                Organisation.code,
                Organisation.name,
            )
            .join(Person, Person.id == ActivityParticipant.person_id)
            .outerjoin(Organisation, Organisation.id == ActivityParticipant.organisation_id)
            .where(ActivityParticipant.activity_id == a.id)
            .order_by(ActivityParticipant.id)
        )
    )
    return ActivityDTO(
        id=a.id,
        kind=a.kind,
        campaign=a.campaign,
        topic=a.topic,
        start_date=a.start_date,
        end_date=a.end_date,
        programme_id=a.programme_id,
        programme_code=programme.code if programme else None,
        place=a.place,
        location_id=a.location_id,
        trainer=a.trainer,
        partners=partners,
        participants=participants,
        unlisted_participants=a.unlisted_participants,
        indirect_women=a.indirect_women,
        indirect_men=a.indirect_men,
        indirect_unspecified=a.indirect_unspecified,
        notes=a.notes,
    )


class ActivityService(Service):
    def create(self, data: ActivityInput) -> ActivityDTO:
        values = validate_activity(data)
        with self._write() as session:
            activity = Activity(**values)
            self._apply(session, activity, data)
            session.add(activity)
            session.flush()
            return activity_dto(session, activity)

    def update(self, activity_id: int, data: ActivityInput) -> ActivityDTO:
        values = validate_activity(data)
        with self._write() as session:
            activity = _get(session, activity_id)
            for key, value in values.items():
                setattr(activity, key, value)
            self._apply(session, activity, data)
            session.flush()
            return activity_dto(session, activity)

    def get(self, activity_id: int) -> ActivityDTO:
        with self.db.reading() as session:
            return activity_dto(session, _get(session, activity_id))

    def delete(self, activity_id: int) -> None:
        """An activity goes with its participant list (the people themselves stay)."""
        with self._write() as session:
            session.delete(_get(session, activity_id))

    def add_participant(
        self, activity_id: int, person_id: int, organisation_id: int | None = None
    ) -> ActivityDTO:
        """Register a person at an activity, with the organisation they represent there."""
        return self.add_participants(activity_id, [(person_id, organisation_id)])

    def add_participants(self, activity_id: int, people: list[tuple[int, int | None]]) -> ActivityDTO:
        """Register several (person id, organisation id or None) at once: all or none."""
        with self._write() as session:
            activity = _get(session, activity_id)
            registered = {p.person_id for p in activity.participants}
            for person_id, organisation_id in people:
                person = session.get(Person, person_id)
                if person is None:
                    raise NotFoundError(_("Unknown person (id {id}).").format(id=person_id), "person")
                if organisation_id is not None:
                    _org(session, organisation_id, "organisation")
                if person_id in registered:
                    raise ConflictError(
                        _("{name} is already a participant.").format(
                            name=f"{person.first_name} {person.last_name}"
                        ),
                        "person",
                    )
                registered.add(person_id)
                activity.participants.append(
                    ActivityParticipant(person_id=person_id, organisation_id=organisation_id)
                )
            session.flush()
            return activity_dto(session, activity)

    def remove_participant(self, activity_id: int, person_id: int) -> ActivityDTO:
        with self._write() as session:
            activity = _get(session, activity_id)
            row = next((p for p in activity.participants if p.person_id == person_id), None)
            if row is None:
                raise NotFoundError(_("This person is not a participant of the activity."), "person")
            activity.participants.remove(row)
            session.flush()
            return activity_dto(session, activity)

    def search(self, query: ListQuery = ListQuery()) -> Page[ActivityRow]:
        """Activities, newest first by default; filters: programme_id, kind, campaign, year."""
        with self.db.reading() as session:
            rows, total = paginate(session, self._list_stmt(query), query)
            return Page([ActivityRow(**r) for r in rows], total)

    def reach(self, programme_id: int | None = None) -> Reach:
        """Direct participants (each person once over all activities) by sex, organisations they
        represent, and declared indirect beneficiaries (TAMKIN: 22 from 11 associations, 132)."""
        with self.db.reading() as session:
            acts = select(Activity.id)
            if programme_id is not None:
                acts = acts.where(Activity.programme_id == programme_id)
            people = (
                select(Person.id, Person.sex)
                .join(ActivityParticipant, ActivityParticipant.person_id == Person.id)
                .where(ActivityParticipant.activity_id.in_(acts))
                .distinct()
                .subquery()
            )
            women, men = session.execute(
                select(
                    func.coalesce(func.sum(case((people.c.sex == Sex.FEMALE, 1), else_=0)), 0),
                    func.coalesce(func.sum(case((people.c.sex == Sex.MALE, 1), else_=0)), 0),
                )
            ).one()
            orgs = session.scalar(
                select(func.count(func.distinct(ActivityParticipant.organisation_id))).where(
                    ActivityParticipant.activity_id.in_(acts)
                )
            )
            declared = select(
                func.coalesce(func.sum(Activity.unlisted_participants), 0),
                func.coalesce(func.sum(Activity.indirect_women), 0),
                func.coalesce(func.sum(Activity.indirect_men), 0),
                func.coalesce(func.sum(Activity.indirect_unspecified), 0),
            )
            if programme_id is not None:
                declared = declared.where(Activity.programme_id == programme_id)
            unlisted, iw, im, iu = session.execute(declared).one()
            return Reach(int(women), int(men), int(unlisted), int(orgs or 0), int(iw), int(im), int(iu))

    def _list_stmt(self, query: ListQuery) -> Select[Any]:
        counts = (
            select(ActivityParticipant.activity_id, func.count().label("n"))
            .group_by(ActivityParticipant.activity_id)
            .subquery()
        )
        listed = func.coalesce(counts.c.n, 0)
        columns = {
            "kind": Activity.kind,
            "campaign": Activity.campaign,
            "topic": Activity.topic,
            "start_date": Activity.start_date,
            "end_date": Activity.end_date,
            "programme": Programme.code,
            "place": Activity.place,
            "participants": listed,
            "direct": listed + Activity.unlisted_participants,
            "indirect": Activity.indirect_women + Activity.indirect_men + Activity.indirect_unspecified,
        }
        stmt = (
            select(Activity.id, *[c.label(k) for k, c in columns.items()])
            .outerjoin(counts, counts.c.activity_id == Activity.id)
            .outerjoin(Programme, Programme.id == Activity.programme_id)
        )
        condition = text_filter(Activity.search, query.text)
        if condition is not None:
            stmt = stmt.where(condition)
        for key, column in (
            ("programme_id", Activity.programme_id),
            ("kind", Activity.kind),
            ("campaign", Activity.campaign),
        ):
            if query.filters.get(key):
                stmt = stmt.where(column == query.filters[key])
        if query.filters.get("year"):
            stmt = stmt.where(func.extract("year", Activity.start_date) == query.filters["year"])
        check_query(query, LIST_FILTERS, columns)
        sort = columns.get(query.sort or "start_date", Activity.start_date)
        descending = query.descending if query.sort else True
        return stmt.order_by(sort.desc() if descending else sort, Activity.id)

    def _apply(self, session: Session, activity: Activity, data: ActivityInput) -> None:
        """Check the references and set partners and the search key."""
        if data.programme_id is not None and session.get(Programme, data.programme_id) is None:
            raise NotFoundError(_("Unknown programme (id {id}).").format(id=data.programme_id), "programme")
        if data.location_id is not None and session.get(Location, data.location_id) is None:
            raise NotFoundError(_("Unknown location (id {id}).").format(id=data.location_id), "location")
        names = [_org(session, oid, "partners").name for oid in data.partner_ids]
        kept = {p.organisation_id: p for p in activity.partners}  # reuse rows: no unique clash
        activity.partners = [
            kept.get(oid) or ActivityPartner(organisation_id=oid) for oid in data.partner_ids
        ]
        activity.search = search_key(activity.topic, activity.place, activity.trainer, *names)
