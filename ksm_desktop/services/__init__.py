"""Use cases: one transaction each, validated, returning plain DTOs. The GUI and the CLI both call these."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from ksm_desktop.db.engine import Database
from ksm_desktop.services.base import Actor, ListQuery, Page, Service

if TYPE_CHECKING:
    from ksm_desktop.services.activities import ActivityService
    from ksm_desktop.services.attachments import AttachmentService
    from ksm_desktop.services.audit import AuditService
    from ksm_desktop.services.dashboard import DashboardService
    from ksm_desktop.services.double_dipping import DoubleDippingService
    from ksm_desktop.services.duplicates import DuplicateService
    from ksm_desktop.services.figures import FigureService
    from ksm_desktop.services.grants import GrantService
    from ksm_desktop.services.households import HouseholdService
    from ksm_desktop.services.imports import ImportService
    from ksm_desktop.services.locations import LocationService
    from ksm_desktop.services.organisations import OrganisationService
    from ksm_desktop.services.persons import PersonService
    from ksm_desktop.services.privacy import PrivacyService
    from ksm_desktop.services.programmes import ProgrammeService
    from ksm_desktop.services.results import ResultService
    from ksm_desktop.services.seals import SealService
    from ksm_desktop.services.settings import SettingService
    from ksm_desktop.services.users import UserService
    from ksm_desktop.services.visits import VisitService

S = TypeVar("S", bound=Service)


class OnFirstUse(Generic[S]):
    """A service of `Services` made, and its module imported, the first time it is used: the window
    opens on the dashboard, and a command runs, without importing what the other use cases need
    (spreadsheets, photos, PDF, fuzzy matching)."""

    def __init__(self, module: str, name: str) -> None:
        self.module = module
        self.name = name
        self.attribute = ""

    def __set_name__(self, owner: type, attribute: str) -> None:
        self.attribute = attribute

    @overload
    def __get__(self, services: None, owner: type) -> OnFirstUse[S]: ...
    @overload
    def __get__(self, services: Services, owner: type) -> S: ...
    def __get__(self, services: Services | None, owner: type) -> Any:
        if services is None:
            return self
        made = getattr(importlib.import_module(f"ksm_desktop.services.{self.module}"), self.name)
        service = services.__dict__[self.attribute] = made(services.db, services.actor)
        return service  # kept in the instance: later uses no longer come here


class Services:
    """Every service bound to one database and one acting user."""

    locations: OnFirstUse[LocationService] = OnFirstUse("locations", "LocationService")
    organisations: OnFirstUse[OrganisationService] = OnFirstUse("organisations", "OrganisationService")
    persons: OnFirstUse[PersonService] = OnFirstUse("persons", "PersonService")
    programmes: OnFirstUse[ProgrammeService] = OnFirstUse("programmes", "ProgrammeService")
    grants: OnFirstUse[GrantService] = OnFirstUse("grants", "GrantService")
    figures: OnFirstUse[FigureService] = OnFirstUse("figures", "FigureService")
    settings: OnFirstUse[SettingService] = OnFirstUse("settings", "SettingService")
    users: OnFirstUse[UserService] = OnFirstUse("users", "UserService")
    audit: OnFirstUse[AuditService] = OnFirstUse("audit", "AuditService")
    privacy: OnFirstUse[PrivacyService] = OnFirstUse("privacy", "PrivacyService")
    households: OnFirstUse[HouseholdService] = OnFirstUse("households", "HouseholdService")
    activities: OnFirstUse[ActivityService] = OnFirstUse("activities", "ActivityService")
    results: OnFirstUse[ResultService] = OnFirstUse("results", "ResultService")
    visits: OnFirstUse[VisitService] = OnFirstUse("visits", "VisitService")
    imports: OnFirstUse[ImportService] = OnFirstUse("imports", "ImportService")
    dashboard: OnFirstUse[DashboardService] = OnFirstUse("dashboard", "DashboardService")
    seals: OnFirstUse[SealService] = OnFirstUse("seals", "SealService")
    duplicates: OnFirstUse[DuplicateService] = OnFirstUse("duplicates", "DuplicateService")
    double_dipping: OnFirstUse[DoubleDippingService] = OnFirstUse("double_dipping", "DoubleDippingService")
    attachments: OnFirstUse[AttachmentService] = OnFirstUse("attachments", "AttachmentService")

    def __init__(self, db: Database, actor: Actor) -> None:
        """Who acts is always said: no default account silently acting as administrator."""
        self.db = db
        self.actor = actor


__all__ = ["Actor", "ListQuery", "Page", "Services"]
