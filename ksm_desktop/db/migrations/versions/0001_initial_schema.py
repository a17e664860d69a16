"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25 10:35:23.572330
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "grant_counter",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_grant_counter")),
    )
    op.create_table(
        "ksm_schema_info",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_ksm_schema_info")),
    )
    op.create_table(
        "location",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("name_ar", sa.String(length=120), nullable=True),
        sa.Column("code", sa.String(length=20), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("province_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["location.id"],
            name=op.f("fk_location_parent_id_location"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["province_id"],
            ["location.id"],
            name=op.f("fk_location_province_id_location"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_location")),
        sa.UniqueConstraint("code", name=op.f("uq_location_code")),
        sa.UniqueConstraint("parent_id", "level", "name", name="parent_level_name"),
    )
    with op.batch_alter_table("location", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_location_level"), ["level"], unique=False)
        batch_op.create_index(batch_op.f("ix_location_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_location_province_id"), ["province_id"], unique=False)

    op.create_table(
        "programme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_ar", sa.String(length=200), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("budget", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("target_women", sa.Integer(), nullable=True),
        sa.Column("target_men", sa.Integer(), nullable=True),
        sa.Column("search", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme")),
        sa.UniqueConstraint("code", name=op.f("uq_programme_code")),
    )
    op.create_table(
        "setting",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_setting")),
    )
    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_ar", sa.String(length=200), nullable=True),
        sa.Column("sector", sa.String(length=120), nullable=True),
        sa.Column("location_id", sa.Integer(), nullable=True),
        sa.Column("registration_number", sa.String(length=60), nullable=True),
        sa.Column("created_on", sa.Date(), nullable=True),
        sa.Column("president_name", sa.String(length=200), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("search", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["location.id"],
            name=op.f("fk_organisation_location_id_location"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
        sa.UniqueConstraint("code", name=op.f("uq_organisation_code")),
    )
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organisation_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_organisation_location_id"), ["location_id"], unique=False)

    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("full_name_ar", sa.String(length=200), nullable=True),
        sa.Column("cin", sa.String(length=8), nullable=True),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("vulnerabilities", sa.String(length=200), nullable=False),
        sa.Column("household_size", sa.Integer(), nullable=True),
        sa.Column("location_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("search", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "household_size IS NULL OR household_size >= 1",
            name=op.f("ck_person_household_size_positive"),
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["location.id"],
            name=op.f("fk_person_location_id_location"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint("cin", name=op.f("uq_person_cin")),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_location_id"), ["location_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_sex"), ["sex"], unique=False)

    op.create_table(
        "programme_zone",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=120), nullable=True),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["location.id"],
            name=op.f("fk_programme_zone_location_id_location"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_programme_zone_programme_id_programme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_zone")),
        sa.UniqueConstraint("programme_id", "location_id", name="programme_location"),
    )
    with op.batch_alter_table("programme_zone", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_programme_zone_location_id"), ["location_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_programme_zone_programme_id"), ["programme_id"], unique=False)

    op.create_table(
        "grants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("eur_mad_rate", sa.BigInteger(), nullable=False),
        sa.Column("rate_date", sa.Date(), nullable=True),
        sa.Column("grant_date", sa.Date(), nullable=True),
        sa.Column("women", sa.Integer(), nullable=False),
        sa.Column("men", sa.Integer(), nullable=False),
        sa.Column("unspecified", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("delivered_on", sa.Date(), nullable=True),
        sa.Column("delivery_place", sa.String(length=200), nullable=True),
        sa.Column("received_by_name", sa.String(length=200), nullable=True),
        sa.Column("received_by_cin", sa.String(length=8), nullable=True),
        sa.Column("received_by_role", sa.String(length=100), nullable=True),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("search", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=60), nullable=False),
        sa.CheckConstraint(
            "(organisation_id IS NULL) <> (person_id IS NULL)", name=op.f("ck_grants_one_recipient")
        ),
        sa.CheckConstraint(
            "women >= 0 AND men >= 0 AND unspecified >= 0",
            name=op.f("ck_grants_beneficiaries_positive"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_grants_organisation_id_organisation"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_grants_person_id_person"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_grants_programme_id_programme"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grants")),
        sa.UniqueConstraint("number", name=op.f("uq_grants_number")),
    )
    with op.batch_alter_table("grants", schema=None) as batch_op:
        batch_op.create_index("ix_grant_programme_status", ["programme_id", "status"], unique=False)
        batch_op.create_index(batch_op.f("ix_grants_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_grants_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_grants_status"), ["status"], unique=False)

    op.create_table(
        "membership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_membership_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_membership_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_membership")),
        sa.UniqueConstraint("person_id", "organisation_id", name="person_organisation"),
    )
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.create_index("ix_membership_organisation_role", ["organisation_id", "role"], unique=False)
        batch_op.create_index(batch_op.f("ix_membership_person_id"), ["person_id"], unique=False)

    op.create_table(
        "programme_party",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_programme_party_organisation_id_organisation"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_programme_party_programme_id_programme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_party")),
        sa.UniqueConstraint("programme_id", "organisation_id", "role", name="programme_org_role"),
    )
    with op.batch_alter_table("programme_party", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_programme_party_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_programme_party_programme_id"), ["programme_id"], unique=False)

    op.create_table(
        "grant_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("grant_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user", sa.String(length=60), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["grant_id"],
            ["grants.id"],
            name=op.f("fk_grant_event_grant_id_grants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grant_event")),
    )
    with op.batch_alter_table("grant_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_grant_event_grant_id"), ["grant_id"], unique=False)

    op.create_table(
        "grant_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("grant_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("designation", sa.String(length=300), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("unit", sa.String(length=30), nullable=True),
        sa.Column("unit_price", sa.BigInteger(), nullable=False),
        sa.Column("supplier", sa.String(length=200), nullable=True),
        sa.Column("invoice_ref", sa.String(length=60), nullable=True),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_grant_item_quantity_positive")),
        sa.CheckConstraint("unit_price >= 0", name=op.f("ck_grant_item_unit_price_not_negative")),
        sa.ForeignKeyConstraint(
            ["grant_id"],
            ["grants.id"],
            name=op.f("fk_grant_item_grant_id_grants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grant_item")),
    )
    with op.batch_alter_table("grant_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_grant_item_grant_id"), ["grant_id"], unique=False)
    op.bulk_insert(
        sa.table("ksm_schema_info", sa.column("key", sa.String), sa.column("value", sa.String)),
        [{"key": "application", "value": "ksm-desktop"}],
    )


def downgrade() -> None:
    with op.batch_alter_table("grant_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grant_item_grant_id"))

    op.drop_table("grant_item")
    with op.batch_alter_table("grant_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grant_event_grant_id"))

    op.drop_table("grant_event")
    with op.batch_alter_table("programme_party", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programme_party_programme_id"))
        batch_op.drop_index(batch_op.f("ix_programme_party_organisation_id"))

    op.drop_table("programme_party")
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_membership_person_id"))
        batch_op.drop_index("ix_membership_organisation_role")

    op.drop_table("membership")
    with op.batch_alter_table("grants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grants_status"))
        batch_op.drop_index(batch_op.f("ix_grants_person_id"))
        batch_op.drop_index(batch_op.f("ix_grants_organisation_id"))
        batch_op.drop_index("ix_grant_programme_status")

    op.drop_table("grants")
    with op.batch_alter_table("programme_zone", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programme_zone_programme_id"))
        batch_op.drop_index(batch_op.f("ix_programme_zone_location_id"))

    op.drop_table("programme_zone")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_sex"))
        batch_op.drop_index(batch_op.f("ix_person_location_id"))

    op.drop_table("person")
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_organisation_location_id"))
        batch_op.drop_index(batch_op.f("ix_organisation_kind"))

    op.drop_table("organisation")
    op.drop_table("setting")
    op.drop_table("programme")
    with op.batch_alter_table("location", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_location_province_id"))
        batch_op.drop_index(batch_op.f("ix_location_parent_id"))
        batch_op.drop_index(batch_op.f("ix_location_level"))

    op.drop_table("location")
    op.drop_table("ksm_schema_info")
    op.drop_table("grant_counter")
