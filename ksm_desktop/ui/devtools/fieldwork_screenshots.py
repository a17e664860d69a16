"""Render the field dialogs to PNG on the demo portfolio (French, and the activity's
participants in Arabic), with a few follow-up visits added so the trend chart has a line.

python -m ksm_desktop.ui.devtools.fieldwork_screenshots docs/screenshots
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QWidget

from ksm_desktop.db.storage import open_database
from ksm_desktop.demo.portfolio import load_demo
from ksm_desktop.domain.enums import AccountRole, PieceCondition
from ksm_desktop.services import Actor, ListQuery, Services
from ksm_desktop.services.dto import DeliveryInput, GrantInput, GrantItemInput
from ksm_desktop.services.dto_fieldwork import PieceDTO, PieceInput, VisitInput
from ksm_desktop.ui.devtools import output_folder
from ksm_desktop.ui.devtools.screenshots import settle
from ksm_desktop.ui.language import apply_language
from ksm_desktop.ui.qt_checked import application

VISITS = (  # (date, revenue MAD, production kg, problems)
    (dt.date(2024, 1, 15), "3200", "90", None),
    (dt.date(2024, 4, 10), "4100", "120", "Panne du séchoir"),
    (dt.date(2024, 7, 8), "5200", "150", None),
    (dt.date(2024, 10, 14), "4800", "140", "Emballages en retard"),
)


def add_visits(services: Services, folder: Path) -> int:
    """Four visits of AGHRUM, the last with two photos and the condition of its equipment (a photo
    of the first serial-numbered piece); returns the organisation's id."""
    org_id = services.organisations.get_by_code("AGHRUM").id
    photos = []
    for name, colour in (
        ("atelier-sechage.png", "#c98b3c"),
        ("champ.png", "#6a9b4d"),
        ("piece.png", "#4d7a9b"),
    ):
        image = QImage(160, 120, QImage.Format.Format_RGB32)
        image.fill(QColor(colour))
        image.save(str(folder / name))
        photos.append(folder / name)
    _deliver_dryers(services, org_id)
    equipment = services.visits.equipment_of(org_id)
    for n, (day, revenue, quantity, problems) in enumerate(VISITS):
        last = n == len(VISITS) - 1
        visit = services.visits.create(
            VisitInput(
                org_id,
                day,
                "Samira Ouali",
                "Production régulière, registre tenu.",
                Decimal(revenue),
                Decimal(quantity),
                "kg",
                problems,
                pieces=[_seen(p, k) for k, p in enumerate(equipment)] if last else None,
            )
        )
    services.attachments.add_many("visit", visit.id, photos[:2], "photo")
    serial = next((p for p in visit.pieces if p.serial_id is not None), None)
    if serial is not None:
        services.attachments.add("visit_piece", serial.id, photos[2], "photo")
    return org_id


def _deliver_dryers(services: Services, org_id: int) -> None:
    """Two solar dryers by serial number and a scale, delivered before the first visit."""
    day = dt.date(2023, 12, 20)
    items = [
        GrantItemInput(
            "Séchoir solaire", Decimal(2), Decimal("6400.00"), serials=["SCH-23-014", "SCH-23-015"]
        ),
        GrantItemInput("Balance électronique", Decimal(1), Decimal("900.00")),
    ]
    grant = services.grants.create(
        GrantInput("Séchage des plantes", organisation_id=org_id, grant_date=day, items=items)
    )
    services.grants.transition(grant.id, "validated")
    services.grants.transition(grant.id, "delivered", delivery=DeliveryInput(day, "Tinghir", "Samira Ouali"))


def _seen(piece: PieceDTO, n: int) -> PieceInput:
    """The last visit finds the second serial-numbered piece broken, the rest in service."""
    condition = PieceCondition.BROKEN if n == 1 and piece.serial_id else PieceCondition.IN_SERVICE
    return PieceInput(piece.item_id, condition.value, piece.serial_id, piece.pieces)


def main(argv: list[str]) -> int:
    from ksm_desktop.ui.fieldwork.activity_dialog import ActivityDialog
    from ksm_desktop.ui.fieldwork.bulk_grant import BulkGrantDialog, ProgressDialog
    from ksm_desktop.ui.fieldwork.household_dialog import HouseholdDialog
    from ksm_desktop.ui.fieldwork.visits_tab import VisitDialog
    from ksm_desktop.ui.forms.organisation_dialog import OrganisationDialog

    out = output_folder(
        argv,
        "python -m ksm_desktop.ui.devtools.fieldwork_screenshots",
        "Render the fieldwork dialogs (activities, households, visits) to PNG files.",
    )
    out.mkdir(parents=True, exist_ok=True)
    app = application()

    def grab(widget: QWidget, name: str, size: tuple[int, int] | None = None) -> None:
        if size:
            widget.resize(*size)
        widget.show()
        settle(app)
        widget.grab().save(str(out / f"{name}.png"))
        print(out / f"{name}.png")
        widget.dirty = False  # type: ignore[attr-defined]
        widget.close()

    with tempfile.TemporaryDirectory() as tmp:
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tmp)
        services = Services(
            open_database(path=Path(tmp) / "demo.sqlite3"), Actor("f.ouhaddou", AccountRole.ADMIN)
        )
        load_demo(services)
        org_id = add_visits(services, Path(tmp))
        activity = next(
            r.id for r in services.activities.search(ListQuery(limit=None)).rows if r.participants
        )
        household = next(r.id for r in services.households.search(ListQuery(limit=None)).rows if r.equipment)
        aqua = services.programmes.get_by_code("AQUA-NOOR").id
        for lang, suffix in (("fr", ""), ("ar", "-ar-rtl")):
            apply_language(app, lang)  # the pages themselves: main-*.png (ui/devtools/screenshots.py)
            dialog = ActivityDialog(services, activity)
            dialog.tabs.setCurrentIndex(1)
            grab(dialog, f"field-activity-participants{suffix}", (760, 640))
            visit = services.visits.visits_of(org_id)[-1].id
            grab(VisitDialog(services, org_id, visit), f"field-visit{suffix}", (1000, 860))
        apply_language(app, "fr")
        grab(HouseholdDialog(services, household), "field-household", (680, 640))
        grab(ActivityDialog(services, activity), "field-activity", (760, 700))
        grab(BulkGrantDialog(services, aqua), "field-bulk-grant", (860, 760))
        grab(ProgressDialog(services, aqua), "field-equipment-progress")
        org = OrganisationDialog(services, org_id)
        org.tabs.setCurrentWidget(org.visits_tab)
        grab(org, "field-visits", (780, 640))
        services.db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
