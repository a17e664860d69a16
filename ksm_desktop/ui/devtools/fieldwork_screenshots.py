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
from ksm_desktop.domain.enums import AccountRole
from ksm_desktop.services import Actor, ListQuery, Services
from ksm_desktop.services.dto_fieldwork import VisitInput
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
    """Four visits of AGHRUM, the last with two photos; returns the organisation's id."""
    org_id = services.organisations.get_by_code("AGHRUM").id
    photos = []
    for name, colour in (("atelier-sechage.png", "#c98b3c"), ("champ.png", "#6a9b4d")):
        image = QImage(160, 120, QImage.Format.Format_RGB32)
        image.fill(QColor(colour))
        image.save(str(folder / name))
        photos.append(folder / name)
    for n, (day, revenue, quantity, problems) in enumerate(VISITS):
        services.visits.create(
            VisitInput(
                org_id,
                day,
                "Samira Ouali",
                "Production régulière, registre tenu.",
                Decimal(revenue),
                Decimal(quantity),
                "kg",
                problems,
                photos=photos if n == len(VISITS) - 1 else [],
            )
        )
    return org_id


def main(argv: list[str]) -> int:
    from ksm_desktop.ui.fieldwork.activity_dialog import ActivityDialog
    from ksm_desktop.ui.fieldwork.bulk_grant import BulkGrantDialog, ProgressDialog
    from ksm_desktop.ui.fieldwork.household_dialog import HouseholdDialog
    from ksm_desktop.ui.fieldwork.visits_tab import VisitDialog
    from ksm_desktop.ui.forms.organisation_dialog import OrganisationDialog

    out = Path(argv[0] if argv else "docs/screenshots")
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
        apply_language(app, "fr")
        grab(HouseholdDialog(services, household), "field-household", (680, 640))
        grab(ActivityDialog(services, activity), "field-activity", (760, 700))
        grab(BulkGrantDialog(services, aqua), "field-bulk-grant", (860, 760))
        grab(ProgressDialog(services, aqua), "field-equipment-progress")
        org = OrganisationDialog(services, org_id)
        org.tabs.setCurrentWidget(org.visits_tab)
        grab(org, "field-visits", (780, 640))
        grab(
            VisitDialog(services, org_id, services.visits.visits_of(org_id)[-1].id), "field-visit", (640, 620)
        )
        services.db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
