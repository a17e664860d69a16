"""Serial numbers on the grant sheet and the handover certificate, and equipment in service in the
programme report, read back from the PDFs in French and Arabic."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ksm_desktop.reports import render_grant_sheet, render_handover
from ksm_desktop.reports.programme_report import render_programme_report
from ksm_desktop.services import Services
from ksm_desktop.services.dto_fieldwork import PieceInput, VisitInput
from tests.reports.conftest import logical_text
from tests.serials_support import DELIVERED_ON, delivered_workshop

D = Decimal


@pytest.fixture
def delivered(services: Services) -> Services:
    """Three sewing machines with serial numbers and two overlockers without, delivered; one visit
    found two machines in service and the third out of order; the overlockers were never seen."""
    org, _programme = delivered_workshop(services, ["SN-4471", "SN-4472", "SN-4473"], 2)
    machines = [p for p in services.visits.equipment_of(org) if p.serial]
    services.visits.create(
        VisitInput(
            org,
            DELIVERED_ON + dt.timedelta(days=10),
            "Naima",
            pieces=[
                PieceInput(machines[0].item_id, "in_service", machines[0].serial_id),
                PieceInput(machines[1].item_id, "in_service", machines[1].serial_id),
                PieceInput(machines[2].item_id, "broken", machines[2].serial_id),
            ],
        )
    )
    return services


def test_serials_on_the_sheet_and_the_certificate(delivered: tuple[Services, str]) -> None:
    services = delivered
    number = services.grants.search().rows[0].number
    for pdf in (render_grant_sheet(services, number, "fr"), render_handover(services, number, "fr")):
        text = logical_text(pdf)
        assert "Numéros de série : SN-4471, SN-4472, SN-4473" in text
    for pdf in (render_grant_sheet(services, number, "ar"), render_handover(services, number, "ar")):
        text = logical_text(pdf)
        assert "الأرقام التسلسلية" in text
        assert all(serial in text for serial in ("SN-4471", "SN-4472", "SN-4473"))


def test_programme_report_counts_equipment_in_service(delivered: tuple[Services, str]) -> None:
    services = delivered
    text = logical_text(render_programme_report(services, "AGR-ERR", "fr"))
    assert "Équipements en service : 2 sur 5 pièces livrées, à leur dernière visite de suivi." in text
    assert "En panne 1" in text
    assert "Livrées, pas encore vues en visite 2" in text
    assert "une pièce jamais vue en visite compte comme livrée, non comme en service" in text
    arabic = logical_text(render_programme_report(services, "AGR-ERR", "ar"))
    assert "المعدات العاملة" in arabic
