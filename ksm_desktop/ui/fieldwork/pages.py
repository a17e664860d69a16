"""The Households and Activities list pages: the shared `ListPage` with field specs, and tools
of their own (the same grant for many households, equipment progress)."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QWidget

from ksm_desktop.domain.enums import ActivityKind, LocationLevel
from ksm_desktop.i18n import _, ngettext
from ksm_desktop.i18n.formatting import format_date, format_decimal
from ksm_desktop.services import Services
from ksm_desktop.ui.list_page import ListPage
from ksm_desktop.ui.list_specs import (
    FilterSpec,
    ListSpec,
    Options,
    _enum_options,
    _label,
    _number,
    _programmes,
)
from ksm_desktop.ui.table_model import Column


def _tribes(services: Services) -> Options:
    places = services.locations.by_level(LocationLevel.TRIBE.value) + services.locations.by_level(
        LocationLevel.DOUAR.value
    )
    return [(loc.name, loc.id) for loc in sorted(places, key=lambda loc: loc.name)]


def _equipment(row) -> str:  # type: ignore[no-untyped-def]
    return ", ".join(
        f"{e.number} ({format_date(e.installed_on)})" if e.installed_on else e.number for e in row.equipment
    )


HOUSEHOLDS = ListSpec(
    name="households",
    editor_kind="household",
    export_kind="households",
    search=lambda s: s.households.search,
    columns=lambda: [
        Column(_("Code"), lambda r: r.code, "code"),
        Column(_("Head of household"), lambda r: r.head_name, "head_name", wide=True),
        Column(_("Tribe / douar"), lambda r: r.location_name, "location_name"),
        Column(_("Commune"), lambda r: r.commune or "", "commune"),
        Column(_("Size"), lambda r: _number(r.size), "size", numeric=True),
        Column(_("Equipment"), _equipment),
        Column(_("Programme"), lambda r: r.programme or "", "programme"),
    ],
    filters=lambda: [
        FilterSpec("programme_id", _("Programme"), _programmes),
        FilterSpec("location_id", _("Tribe / douar"), _tribes),
    ],
    count_text=lambda n: ngettext("{count} household", "{count} households", n).format(
        count=format_decimal(n)
    ),
    search_hint=lambda: _("Search by head, CIN, tribe…"),
)

ACTIVITIES = ListSpec(
    name="activities",
    editor_kind="activity",
    export_kind="activities",
    search=lambda s: s.activities.search,
    columns=lambda: [
        Column(_("Date"), lambda r: format_date(r.start_date), "start_date"),
        Column(_("Type"), lambda r: _label(ActivityKind, r.kind), "kind"),
        Column(_("Topic"), lambda r: r.topic, "topic", wide=True),
        Column(_("Place"), lambda r: r.place or "", "place"),
        Column(_("Direct"), lambda r: _number(r.direct), "direct", numeric=True),
        Column(_("Indirect"), lambda r: _number(r.indirect), "indirect", numeric=True),
        Column(_("Programme"), lambda r: r.programme or "", "programme"),
    ],
    filters=lambda: [
        FilterSpec("programme_id", _("Programme"), _programmes),
        FilterSpec("kind", _("Type"), _enum_options(ActivityKind)),
    ],
    count_text=lambda n: ngettext("{count} activity", "{count} activities", n).format(
        count=format_decimal(n)
    ),
    search_hint=lambda: _("Search by topic, place, trainer, partner…"),
)


class FieldListPage(ListPage):
    """A list page whose rows open the field forms."""

    def _edit(self, entity_id: int | None) -> None:
        from ksm_desktop.ui.fieldwork import open_field_editor

        if open_field_editor(self.spec.editor_kind, self.services, entity_id, self):
            self.refresh()


class HouseholdsPage(FieldListPage):
    """Households, with the bulk grant and the equipment progress one click away."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(HOUSEHOLDS, services, parent)
        bar = self.tool_bar
        self.bulk_button = QPushButton(_("Same grant for many households…"))
        self.bulk_button.clicked.connect(self.open_bulk_grant)
        self.progress_button = QPushButton(_("Equipment progress…"))
        self.progress_button.clicked.connect(self.open_progress)
        bar.insertWidget(bar.count() - 1, self.bulk_button)
        bar.insertWidget(bar.count() - 1, self.progress_button)

    def _programme_filter(self) -> int | None:
        value = self.filter_combos["programme_id"].currentData()
        return None if value is None else int(value)

    def open_bulk_grant(self) -> None:
        from ksm_desktop.ui.fieldwork.bulk_grant import BulkGrantDialog

        dialog = BulkGrantDialog(self.services, self._programme_filter(), self)
        if dialog.exec():
            self.refresh()

    def open_progress(self) -> None:
        from ksm_desktop.ui.fieldwork.bulk_grant import ProgressDialog

        ProgressDialog(self.services, self._programme_filter(), self).exec()


def activities_page(services: Services) -> FieldListPage:
    return FieldListPage(ACTIVITIES, services)
