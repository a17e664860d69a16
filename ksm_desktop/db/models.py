"""The database schema: KSM's organisations, people, programmes and equipment grants."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ksm_desktop.db.base import NEVER_REUSED_IDS, Base, Money, Quantity, Rate

if TYPE_CHECKING:
    from ksm_desktop.db.models_fieldwork import Household


class SchemaInfo(Base):
    """Marks a database as KSM's (a foreign SQLite file has no such row)."""

    __tablename__ = "ksm_schema_info"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class Location(Base):
    """Région → province/préfecture → commune → douar or tribe, in one self-referencing table."""

    __tablename__ = "location"
    __table_args__ = (UniqueConstraint("parent_id", "level", "name", name="parent_level_name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    level: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(120))
    name_ar: Mapped[str | None] = mapped_column(String(120))
    code: Mapped[str | None] = mapped_column(String(20), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("location.id", ondelete="RESTRICT"), index=True)
    # The province a location lies in (itself for a province), set once when it is added:
    # lists filter and show organisations by province without walking the tree.
    province_id: Mapped[int | None] = mapped_column(
        ForeignKey("location.id", ondelete="RESTRICT"), index=True
    )
    parent: Mapped[Location | None] = relationship(remote_side=[id], foreign_keys=[parent_id])


class Organisation(Base):
    __tablename__ = "organisation"
    __table_args__ = NEVER_REUSED_IDS
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_ar: Mapped[str | None] = mapped_column(String(200))
    sector: Mapped[str | None] = mapped_column(String(120))
    location_id: Mapped[int | None] = mapped_column(
        ForeignKey("location.id", ondelete="RESTRICT"), index=True
    )
    registration_number: Mapped[str | None] = mapped_column(String(60))
    created_on: Mapped[dt.date | None] = mapped_column(Date)
    president_name: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), default="active")
    notes: Mapped[str | None] = mapped_column(Text)
    search: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[Location | None] = relationship()
    # Bumped by every UPDATE of the row (the ORM adds "AND version = <read>" to it): a save based
    # on an older reading is refused, never lost.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}


class Person(Base):
    __tablename__ = "person"
    __table_args__ = (
        CheckConstraint("household_size IS NULL OR household_size >= 1", name="household_size_positive"),
        # The members list's order. Migration 0014 adds what its search checks (PostgreSQL: INCLUDE,
        # SQLite: at the end of the key); `postgresql_include` here would load SQLAlchemy's
        # PostgreSQL dialect (with asyncpg's) at every start, on SQLite too.
        Index("ix_person_name", "last_name", "first_name", "id"),
        Index("ix_person_name_key", "name_key"),
        Index("ix_person_phone", "phone"),  # the same phone is a reason two entries are one person
        NEVER_REUSED_IDS,
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    full_name_ar: Mapped[str | None] = mapped_column(String(200))
    cin: Mapped[str | None] = mapped_column(String(8), unique=True)
    sex: Mapped[str] = mapped_column(String(1), index=True)
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    birth_year: Mapped[int | None] = mapped_column(Integer)
    phone: Mapped[str | None] = mapped_column(String(20))
    vulnerabilities: Mapped[str] = mapped_column(String(200), default="")
    household_size: Mapped[int | None] = mapped_column(Integer)
    location_id: Mapped[int | None] = mapped_column(
        ForeignKey("location.id", ondelete="RESTRICT"), index=True
    )
    notes: Mapped[str | None] = mapped_column(Text)
    search: Mapped[str] = mapped_column(Text, default="")
    # Every spelling of the name in either script reduced to one key (domain.names.name_key).
    name_key: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Law 09-08: when and for what the person agreed to be registered; when they were anonymised.
    consent_date: Mapped[dt.date | None] = mapped_column(Date)
    consent_purpose: Mapped[str | None] = mapped_column(Text)
    anonymised_on: Mapped[dt.date | None] = mapped_column(Date)
    # Bumped by every UPDATE of the row (the ORM adds "AND version = <read>" to it): a save based
    # on an older reading is refused, never lost.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    __mapper_args__ = {"version_id_col": version}


class DifferentPersons(Base):
    """Two persons a user declared not the same: duplicate checks never propose the pair again
    (smaller id first; the decision goes with either person when they are deleted)."""

    __tablename__ = "different_persons"
    __table_args__ = (CheckConstraint("person_a < person_b", name="ordered_pair"),)
    person_a: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    person_b: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime)
    user: Mapped[str] = mapped_column(String(60))


class Membership(Base):
    __tablename__ = "membership"
    __table_args__ = (
        UniqueConstraint("person_id", "organisation_id", name="person_organisation"),
        Index("ix_membership_organisation_role", "organisation_id", "role"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20), default="member")
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    person: Mapped[Person] = relationship()
    organisation: Mapped[Organisation] = relationship()


class Programme(Base):
    __tablename__ = "programme"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_ar: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="ongoing")
    budget: Mapped[Decimal | None] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    target_women: Mapped[int | None] = mapped_column(Integer)
    target_men: Mapped[int | None] = mapped_column(Integer)
    search: Mapped[str] = mapped_column(Text, default="")
    parties: Mapped[list[ProgrammeParty]] = relationship(
        cascade="all, delete-orphan", order_by="ProgrammeParty.id"
    )
    zones: Mapped[list[ProgrammeZone]] = relationship(
        cascade="all, delete-orphan", order_by="ProgrammeZone.id"
    )


class ProgrammeParty(Base):
    """A donor or partner organisation of a programme."""

    __tablename__ = "programme_party"
    __table_args__ = (UniqueConstraint("programme_id", "organisation_id", "role", name="programme_org_role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    role: Mapped[str] = mapped_column(String(20))
    organisation: Mapped[Organisation] = relationship()


class ProgrammeZone(Base):
    __tablename__ = "programme_zone"
    __table_args__ = (UniqueConstraint("programme_id", "location_id", name="programme_location"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id", ondelete="RESTRICT"), index=True)
    label: Mapped[str | None] = mapped_column(String(120))
    location: Mapped[Location] = relationship()


class GrantCounter(Base):
    """Last grant number handed out per year: numbers are never reused, even after deletion."""

    __tablename__ = "grant_counter"
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, default=0)


# Exactly one of the three recipient columns is set (portable: SQLite and PostgreSQL).
ONE_RECIPIENT = (
    "(CASE WHEN organisation_id IS NULL THEN 0 ELSE 1 END"
    " + CASE WHEN person_id IS NULL THEN 0 ELSE 1 END"
    " + CASE WHEN household_id IS NULL THEN 0 ELSE 1 END) = 1"
)


class Grant(Base):
    """A dotation: equipment, works or money handed to an organisation, a person or a household."""

    __tablename__ = "grants"
    __table_args__ = (
        CheckConstraint(ONE_RECIPIENT, name="one_recipient"),
        CheckConstraint("women >= 0 AND men >= 0 AND unspecified >= 0", name="beneficiaries_positive"),
        Index("ix_grant_programme_status", "programme_id", "status"),
        NEVER_REUSED_IDS,
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programme.id", ondelete="RESTRICT"))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), index=True)
    household_id: Mapped[int | None] = mapped_column(
        ForeignKey("household.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    purpose: Mapped[str] = mapped_column(Text)
    currency: Mapped[str] = mapped_column(String(3))
    eur_mad_rate: Mapped[Decimal] = mapped_column(Rate)
    rate_date: Mapped[dt.date | None] = mapped_column(Date)
    grant_date: Mapped[dt.date | None] = mapped_column(Date)
    women: Mapped[int] = mapped_column(Integer, default=0)
    men: Mapped[int] = mapped_column(Integer, default=0)
    # Beneficiaries declared without a split by sex (the seed's "400 personnes" for WEAM).
    unspecified: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    delivered_on: Mapped[dt.date | None] = mapped_column(Date)
    delivery_place: Mapped[str | None] = mapped_column(String(200))
    received_by_name: Mapped[str | None] = mapped_column(String(200))
    received_by_cin: Mapped[str | None] = mapped_column(String(8))
    received_by_role: Mapped[str | None] = mapped_column(String(100))
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    search: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(60))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")  # see Organisation
    __mapper_args__ = {"version_id_col": version}
    programme: Mapped[Programme | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    person: Mapped[Person | None] = relationship()
    household: Mapped[Household | None] = relationship()
    items: Mapped[list[GrantItem]] = relationship(cascade="all, delete-orphan", order_by="GrantItem.position")
    events: Mapped[list[GrantEvent]] = relationship(cascade="all, delete-orphan", order_by="GrantEvent.id")


class GrantItem(Base):
    __tablename__ = "grant_item"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price >= 0", name="unit_price_not_negative"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("grants.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    designation: Mapped[str] = mapped_column(String(300))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    unit: Mapped[str | None] = mapped_column(String(30))
    unit_price: Mapped[Decimal] = mapped_column(Money)
    supplier: Mapped[str | None] = mapped_column(String(200))
    invoice_ref: Mapped[str | None] = mapped_column(String(60))
    serials: Mapped[list[GrantItemSerial]] = relationship(
        cascade="all, delete-orphan", order_by="GrantItemSerial.position"
    )


class GrantItemSerial(Base):
    """The serial number or inventory tag of one piece of an item (an item of quantity 3 carries up
    to 3): what a follow-up visit finds again on the spot, and what the handover certificate lists."""

    __tablename__ = "grant_item_serial"
    __table_args__ = (UniqueConstraint("item_id", "serial", name="item_serial"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("grant_item.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    serial: Mapped[str] = mapped_column(String(60))


class GrantEvent(Base):
    """One step of the workflow, stamped with date and user."""

    __tablename__ = "grant_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("grants.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    user: Mapped[str] = mapped_column(String(60))
    note: Mapped[str | None] = mapped_column(Text)


class GrantSeal(Base):
    """The content of a grant sheet as printed, frozen when the grant is validated (again after a
    change while validated), with the code that proves it: an HMAC of the content under the
    database's own key. Old seals stay, so the code of an earlier print can still be checked."""

    __tablename__ = "grant_seal"
    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("grants.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    content: Mapped[str] = mapped_column(Text)  # canonical JSON of what the sheet prints
    sealed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    user: Mapped[str] = mapped_column(String(60))


class Setting(Base):
    """Settings shared by everyone using this database (organisation profile printed on documents)."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# The field-work tables (households, activities, results, visits), the accounts and audit log
# and the attached files, live in their own modules.
from ksm_desktop.db import models_attachments, models_fieldwork, models_security  # noqa: E402, F401
