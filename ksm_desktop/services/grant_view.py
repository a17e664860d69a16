"""The read side of grants: a grant and its recipient as the DTO the GUI, CLI and documents use."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ksm_desktop.db.models import (
    Grant,
    Location,
    Membership,
    Person,
)
from ksm_desktop.domain.enums import (
    EDITABLE_GRANT_STATUSES,
    GRANT_TRANSITIONS,
    GrantStatus,
    MemberRole,
    PartyRole,
)
from ksm_desktop.services.dto import (
    GrantDTO,
    GrantEventDTO,
    GrantItemDTO,
    RecipientDTO,
)
from ksm_desktop.services.locations import location_dto
from ksm_desktop.services.money import convert, line_total


def _recipient(session: Session, grant: Grant) -> RecipientDTO:
    org = grant.organisation
    if org is not None:
        president = session.execute(
            select(Person.first_name + " " + Person.last_name, Person.cin)
            .join(Membership, Membership.person_id == Person.id)
            .where(Membership.organisation_id == org.id, Membership.role == MemberRole.PRESIDENT)
            .limit(1)
        ).first()
        return RecipientDTO(
            organisation_id=org.id,
            person_id=None,
            household_id=None,
            code=org.code,
            name=org.name,
            name_ar=org.name_ar,
            kind=org.kind,
            registration_number=org.registration_number,
            location=location_dto(org.location) if org.location else None,
            president_name=president[0] if president else org.president_name,
            president_cin=president[1] if president else None,
            cin=None,
            phone=org.phone,
        )
    household = grant.household
    person = grant.person if household is None else session.get(Person, household.head_id)
    assert person is not None
    location_id = household.location_id if household is not None else person.location_id
    location = session.get(Location, location_id) if location_id else None
    return RecipientDTO(
        organisation_id=None,
        person_id=person.id,
        household_id=household.id if household is not None else None,
        code=household.code if household is not None else None,
        name=f"{person.first_name} {person.last_name}",
        name_ar=person.full_name_ar,
        kind=None,
        registration_number=None,
        location=location_dto(location) if location else None,
        president_name=None,
        president_cin=None,
        cin=person.cin,
        phone=person.phone,
    )


def grant_dto(session: Session, grant: Grant) -> GrantDTO:
    items = tuple(
        GrantItemDTO(
            id=i.id,
            position=i.position,
            designation=i.designation,
            quantity=i.quantity,
            unit=i.unit,
            unit_price=i.unit_price,
            supplier=i.supplier,
            invoice_ref=i.invoice_ref,
            total=line_total(i.quantity, i.unit_price),
            serials=tuple(s.serial for s in i.serials),
        )
        for i in grant.items
    )
    total = sum((i.total for i in items), Decimal("0.00"))
    equivalent, other = convert(total, grant.currency, grant.eur_mad_rate)
    programme = grant.programme
    donors = (
        tuple(p.organisation.name for p in programme.parties if p.role == PartyRole.DONOR)
        if programme
        else ()
    )
    status = GrantStatus(grant.status)
    return GrantDTO(
        id=grant.id,
        number=grant.number,
        programme_id=grant.programme_id,
        programme_code=programme.code if programme else None,
        programme_name=programme.name if programme else None,
        donors=donors,
        recipient=_recipient(session, grant),
        kind=grant.kind,
        purpose=grant.purpose,
        currency=grant.currency,
        eur_mad_rate=grant.eur_mad_rate,
        rate_date=grant.rate_date,
        grant_date=grant.grant_date,
        women=grant.women,
        men=grant.men,
        unspecified=grant.unspecified,
        status=grant.status,
        delivered_on=grant.delivered_on,
        delivery_place=grant.delivery_place,
        received_by_name=grant.received_by_name,
        received_by_cin=grant.received_by_cin,
        received_by_role=grant.received_by_role,
        cancel_reason=grant.cancel_reason,
        notes=grant.notes,
        items=items,
        events=tuple(GrantEventDTO(e.status, e.at, e.user, e.note) for e in grant.events),
        total=total,
        equivalent=equivalent,
        equivalent_currency=other,
        next_steps=tuple(s.value for s in GRANT_TRANSITIONS[status]),
        editable=status in EDITABLE_GRANT_STATUSES,
        version=grant.version,
    )
