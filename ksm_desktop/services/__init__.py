"""Use cases: one transaction each, validated, returning plain DTOs. The GUI and the CLI both call these."""

from __future__ import annotations

from ksm_desktop.db.engine import Database
from ksm_desktop.services.activities import ActivityService
from ksm_desktop.services.attachments import AttachmentService
from ksm_desktop.services.audit import AuditService
from ksm_desktop.services.base import Actor, ListQuery, Page
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


class Services:
    """Every service bound to one database and one acting user."""

    def __init__(self, db: Database, actor: Actor) -> None:
        """Who acts is always said: no default account silently acting as administrator."""
        self.db = db
        self.actor = actor
        self.locations = LocationService(db, self.actor)
        self.organisations = OrganisationService(db, self.actor)
        self.persons = PersonService(db, self.actor)
        self.programmes = ProgrammeService(db, self.actor)
        self.grants = GrantService(db, self.actor)
        self.figures = FigureService(db, self.actor)
        self.settings = SettingService(db, self.actor)
        self.users = UserService(db, self.actor)
        self.audit = AuditService(db, self.actor)
        self.privacy = PrivacyService(db, self.actor)
        self.households = HouseholdService(db, self.actor)
        self.activities = ActivityService(db, self.actor)
        self.results = ResultService(db, self.actor)
        self.visits = VisitService(db, self.actor)
        self.imports = ImportService(db, self.actor)
        self.dashboard = DashboardService(db, self.actor)
        self.seals = SealService(db, self.actor)
        self.duplicates = DuplicateService(db, self.actor)
        self.double_dipping = DoubleDippingService(db, self.actor)
        self.attachments = AttachmentService(db, self.actor)


__all__ = ["Actor", "ListQuery", "Page", "Services"]
