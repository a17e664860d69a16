"""Régions and provinces (reference data), communes, douars and tribes (added by users)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ksm_desktop.db.models import Location
from ksm_desktop.domain.enums import LocationLevel
from ksm_desktop.domain.errors import NotFoundError, ValidationError
from ksm_desktop.domain.values import optional_text, required_text
from ksm_desktop.i18n import N_, _
from ksm_desktop.services.base import Service
from ksm_desktop.services.dto import LocationDTO

# Which level may sit under which: douars and tribes under a commune.
_PARENT_LEVEL = {
    LocationLevel.PROVINCE: LocationLevel.REGION,
    LocationLevel.COMMUNE: LocationLevel.PROVINCE,
    LocationLevel.DOUAR: LocationLevel.COMMUNE,
    LocationLevel.TRIBE: LocationLevel.COMMUNE,
}


def location_dto(location: Location) -> LocationDTO:
    names, names_ar = [], []
    node: Location | None = location
    while node is not None:
        names.append(node.name)
        names_ar.append(node.name_ar or node.name)
        node = node.parent
    return LocationDTO(
        id=location.id,
        level=location.level,
        name=location.name,
        name_ar=location.name_ar,
        parent_id=location.parent_id,
        path=", ".join(names),
        path_ar="، ".join(names_ar),
    )


class LocationService(Service):
    def children(self, parent_id: int | None, level: str | None = None) -> list[LocationDTO]:
        """Locations directly under `parent_id` (the régions when None), by name."""
        with self.db.reading() as session:
            stmt = select(Location).where(
                Location.parent_id.is_(None) if parent_id is None else Location.parent_id == parent_id
            )
            if level:
                stmt = stmt.where(Location.level == level)
            return [location_dto(loc) for loc in session.scalars(stmt.order_by(Location.name))]

    def by_level(self, level: str) -> list[LocationDTO]:
        with self.db.reading() as session:
            stmt = select(Location).where(Location.level == level).order_by(Location.name)
            return [location_dto(loc) for loc in session.scalars(stmt)]

    def get(self, location_id: int) -> LocationDTO:
        with self.db.reading() as session:
            return location_dto(_get(session, location_id))

    def find(self, name: str, level: str | None = None) -> LocationDTO | None:
        """A location by exact name (case-insensitive), e.g. the province 'Errachidia'."""
        with self.db.reading() as session:
            stmt = select(Location).where(Location.name.ilike(name.strip()))
            if level:
                stmt = stmt.where(Location.level == level)
            loc = session.scalars(stmt.limit(1)).first()
            return location_dto(loc) if loc else None

    def add(self, level: str, name: str, parent_id: int, name_ar: str | None = None) -> LocationDTO:
        """Add a commune (under a province) or a douar/tribe (under a commune); returns the existing
        one if the same name is already there."""
        try:
            lvl = LocationLevel(level)
        except ValueError:
            raise ValidationError(
                _("Unknown location level “{level}”.").format(level=level), "level"
            ) from None
        if lvl not in (LocationLevel.COMMUNE, LocationLevel.DOUAR, LocationLevel.TRIBE):
            raise ValidationError(_("Regions and provinces are reference data and cannot be added."), "level")
        clean = required_text(name, "name", N_("Name"))
        with self._write() as session:
            parent = _get(session, parent_id)
            if parent.level != _PARENT_LEVEL[lvl]:
                raise ValidationError(
                    _("A location of type “{level}” must be placed under a “{parent}”.").format(
                        level=lvl.label, parent=_PARENT_LEVEL[lvl].label
                    ),
                    "parent",
                )
            existing = session.scalars(
                select(Location).where(
                    Location.parent_id == parent_id, Location.level == lvl, Location.name == clean
                )
            ).first()
            if existing:
                return location_dto(existing)
            loc = Location(
                level=lvl,
                name=clean,
                name_ar=optional_text(name_ar),
                parent=parent,
                province_id=parent.province_id,
            )
            session.add(loc)
            session.flush()
            return location_dto(loc)


def _get(session: Session, location_id: int) -> Location:
    loc = session.get(Location, location_id)
    if loc is None:
        raise NotFoundError(_("Unknown location (id {id}).").format(id=location_id), "location")
    return loc
