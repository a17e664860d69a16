"""A sewing workshop delivered to a cooperative: serial-numbered machines and overlockers without
serial numbers, the equipment the serial-number tests visit and print."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ksm_desktop.services import Services
from ksm_desktop.services.dto import (
    DeliveryInput,
    GrantInput,
    GrantItemInput,
    OrganisationInput,
    ProgrammeInput,
)

DELIVERED_ON = dt.date.today() - dt.timedelta(days=30)


def delivered_workshop(services: Services, serials: list[str], overlockers: int) -> tuple[int, int]:
    """(organisation id, programme id) of Coopérative Malika, which received in programme AGR-ERR
    one sewing machine per serial number and `overlockers` overlockers without serial numbers."""
    org = services.organisations.create(
        OrganisationInput(kind="cooperative", name="Coopérative Malika", name_ar="تعاونية مليكة")
    ).id
    programme = services.programmes.create(ProgrammeInput(code="AGR-ERR", name="AGR Errachidia")).id
    grant = services.grants.create(
        GrantInput(
            purpose="Atelier de couture",
            organisation_id=org,
            programme_id=programme,
            grant_date=DELIVERED_ON,
            items=[
                GrantItemInput("Machine à coudre", Decimal(len(serials)), Decimal("520.00"), serials=serials),
                GrantItemInput("Surjeteuse", Decimal(overlockers), Decimal("380.00")),
            ],
        )
    )
    services.grants.transition(grant.id, "validated")
    services.grants.transition(
        grant.id, "delivered", delivery=DeliveryInput(DELIVERED_ON, "Errachidia", "Rachida Ait Baha")
    )
    return org, programme
