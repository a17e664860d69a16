"""Field work beyond grants: households, activities, results framework, AGR follow-up visits.

Imported at the bottom of db/models.py so that Base.metadata (and Alembic) sees these tables.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ksm_desktop.db.base import NEVER_REUSED_IDS, Base, Money, Quantity


class Household(Base):
    """A family receiving grants as a whole (nomad families of AQUA-NOOR), headed by one person."""

    __tablename__ = "household"
    __table_args__ = (CheckConstraint("size >= 1", name="size_positive"), NEVER_REUSED_IDS)
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("programme.id", ondelete="RESTRICT"), index=True
    )
    head_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), unique=True)
    size: Mapped[int] = mapped_column(Integer)
    # A tribe or a douar; the commune is its parent.
    location_id: Mapped[int] = mapped_column(ForeignKey("location.id", ondelete="RESTRICT"), index=True)
    notes: Mapped[str | None] = mapped_column(Text)
    search: Mapped[str] = mapped_column(Text, default="")


class Activity(Base):
    """A training, workshop or campaign: who came, who they represent, who was reached through them."""

    __tablename__ = "activity"
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates_ordered"),
        CheckConstraint(
            "unlisted_participants >= 0 AND indirect_women >= 0 AND indirect_men >= 0"
            " AND indirect_unspecified >= 0",
            name="counts_not_negative",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("programme.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20), index=True)
    campaign: Mapped[str | None] = mapped_column(String(30))
    topic: Mapped[str] = mapped_column(String(300))
    start_date: Mapped[dt.date] = mapped_column(Date, index=True)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    place: Mapped[str | None] = mapped_column(String(200))
    location_id: Mapped[int | None] = mapped_column(ForeignKey("location.id", ondelete="RESTRICT"))
    trainer: Mapped[str | None] = mapped_column(String(200))
    # Direct participants not listed by name (a campaign's crowd); listed ones are rows below.
    unlisted_participants: Mapped[int] = mapped_column(Integer, default=0)
    indirect_women: Mapped[int] = mapped_column(Integer, default=0)
    indirect_men: Mapped[int] = mapped_column(Integer, default=0)
    indirect_unspecified: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[str | None] = mapped_column(Text)
    search: Mapped[str] = mapped_column(Text, default="")
    partners: Mapped[list[ActivityPartner]] = relationship(
        cascade="all, delete-orphan", order_by="ActivityPartner.id"
    )
    participants: Mapped[list[ActivityParticipant]] = relationship(
        cascade="all, delete-orphan", order_by="ActivityParticipant.id"
    )


class ActivityPartner(Base):
    __tablename__ = "activity_partner"
    __table_args__ = (UniqueConstraint("activity_id", "organisation_id", name="activity_organisation"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )


class ActivityParticipant(Base):
    __tablename__ = "activity_participant"
    __table_args__ = (UniqueConstraint("activity_id", "person_id", name="activity_person"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), index=True)
    # The organisation the person represents there (TAMKIN: their association).
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )


class ExpectedResult(Base):
    """One expected result of a programme's logical framework (Ensemble Avançons R1…R6)."""

    __tablename__ = "expected_result"
    __table_args__ = (UniqueConstraint("programme_id", "code", name="programme_code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programme.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    statement: Mapped[str] = mapped_column(Text)
    indicators: Mapped[list[Indicator]] = relationship(cascade="all, delete-orphan", order_by="Indicator.id")


class Indicator(Base):
    __tablename__ = "indicator"
    __table_args__ = (UniqueConstraint("result_id", "code", name="result_code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    result_id: Mapped[int] = mapped_column(ForeignKey("expected_result.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(String(40))
    baseline: Mapped[Decimal] = mapped_column(Quantity)
    target: Mapped[Decimal] = mapped_column(Quantity)
    # Set both for an indicator counted by sex; then they add up to the target.
    target_women: Mapped[Decimal | None] = mapped_column(Quantity)
    target_men: Mapped[Decimal | None] = mapped_column(Quantity)
    measurements: Mapped[list[Measurement]] = relationship(
        cascade="all, delete-orphan", order_by="Measurement.measured_on"
    )


class Measurement(Base):
    __tablename__ = "measurement"
    __table_args__ = (UniqueConstraint("indicator_id", "measured_on", name="indicator_date"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"), index=True)
    measured_on: Mapped[dt.date] = mapped_column(Date)
    value: Mapped[Decimal] = mapped_column(Quantity)
    women: Mapped[Decimal | None] = mapped_column(Quantity)
    men: Mapped[Decimal | None] = mapped_column(Quantity)
    note: Mapped[str | None] = mapped_column(Text)


class Visit(Base):
    """A follow-up visit to an AGR or cooperative: what was seen, earned and produced."""

    __tablename__ = "visit"
    __table_args__ = (
        CheckConstraint("monthly_revenue IS NULL OR monthly_revenue >= 0", name="revenue_not_negative"),
        CheckConstraint(
            "production_quantity IS NULL OR production_quantity >= 0", name="production_not_negative"
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    visited_on: Mapped[dt.date] = mapped_column(Date)
    visitor: Mapped[str] = mapped_column(String(200))
    observations: Mapped[str | None] = mapped_column(Text)
    monthly_revenue: Mapped[Decimal | None] = mapped_column(Money)  # MAD
    production_quantity: Mapped[Decimal | None] = mapped_column(Quantity)
    production_unit: Mapped[str | None] = mapped_column(String(40))
    problems: Mapped[str | None] = mapped_column(Text)
    pieces: Mapped[list[VisitPiece]] = relationship(cascade="all, delete-orphan", order_by="VisitPiece.id")


class VisitPiece(Base):
    """The condition a visit found delivered equipment in: one piece by its serial number, or a
    count of an item's pieces that carry none (`serial_id` empty). The row keeps its id while the
    visit is edited, so a photo of the piece (an attachment on "visit_piece") stays with it."""

    __tablename__ = "visit_piece"
    __table_args__ = (
        CheckConstraint("count > 0", name="count_positive"),
        UniqueConstraint("visit_id", "serial_id", name="visit_serial"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("grant_item.id", ondelete="CASCADE"), index=True)
    serial_id: Mapped[int | None] = mapped_column(
        ForeignKey("grant_item_serial.id", ondelete="CASCADE"), index=True
    )
    condition: Mapped[str] = mapped_column(String(20))
    count: Mapped[int] = mapped_column(Integer, default=1)
