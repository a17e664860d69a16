"""Several people saving at the same moment on one database (the shared office on a server):
every save succeeds, grant numbers stay unique and without gaps."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import queue
from decimal import Decimal
from multiprocessing.synchronize import Event
from typing import Any

import pytest
from sqlalchemy import event

from ksm_desktop.db.engine import Database, concurrent_save_message, make_engine
from ksm_desktop.domain.errors import ConcurrentSaveError
from ksm_desktop.i18n import set_language
from ksm_desktop.services import Actor, ListQuery, Services
from ksm_desktop.services.audit import AuditQuery
from ksm_desktop.services.dto import GrantInput, GrantItemInput, OrganisationInput
from ksm_desktop.services.grants import GrantService

PEOPLE = 4
GRANTS_EACH = 50
TIMEOUT_S = 240


def _save_grants(
    url: str, org_id: int, start: Event, results: multiprocessing.Queue[tuple[str, str]]
) -> None:
    """One person: waits for the others, then saves GRANTS_EACH grants as fast as possible."""
    services = Services(Database(make_engine(url)), Actor("agent", "agent"))
    items = [GrantItemInput("Machine à coudre", Decimal(1), Decimal("5200"))]
    start.wait(TIMEOUT_S)
    for _ in range(GRANTS_EACH):
        try:
            grant = services.grants.create(GrantInput(purpose="Atelier", organisation_id=org_id, items=items))
            results.put(("ok", grant.number))
        except Exception as exc:  # every failure is what the test counts
            results.put(("failed", f"{type(exc).__name__}: {exc}"))
    services.db.dispose()


def test_people_saving_grants_at_once_never_fail_and_numbers_stay_contiguous(
    services: Services, db_url: str
) -> None:
    org = services.organisations.create(OrganisationInput(kind="cooperative", name="Coopérative Malika"))
    services.db.dispose()
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    results: multiprocessing.Queue[tuple[str, str]] = context.Queue()
    people = [
        context.Process(target=_save_grants, args=(db_url, org.id, start, results)) for _ in range(PEOPLE)
    ]
    for person in people:
        person.start()
    start.set()
    outcomes = []
    try:
        for _ in range(PEOPLE * GRANTS_EACH):
            outcomes.append(results.get(timeout=TIMEOUT_S))
    except queue.Empty:
        pass
    for person in people:
        person.join(TIMEOUT_S)
        if person.is_alive():
            person.kill()
    failures = [detail for kind, detail in outcomes if kind == "failed"]
    assert failures == []
    numbers = sorted(detail for kind, detail in outcomes if kind == "ok")
    year = dt.date.today().year
    assert numbers == [f"KSM-{year}-{n:04d}" for n in range(1, PEOPLE * GRANTS_EACH + 1)]


def test_a_save_the_server_aborts_is_run_again_then_told_in_the_users_language(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = services.organisations.create(OrganisationInput(kind="cooperative", name="Coopérative Malika"))
    aborts = [ConcurrentSaveError("aborted by the server")] * 2
    real_check = GrantService._check_refs

    def aborted_twice(self: GrantService, session: Any, header: dict[str, Any]) -> None:
        if aborts:
            raise aborts.pop()
        real_check(self, session, header)

    monkeypatch.setattr(GrantService, "_check_refs", aborted_twice)
    grant = services.grants.create(GrantInput(purpose="Atelier", organisation_id=org.id))
    assert grant.number.endswith("-0001") and services.grants.search().total == 1

    def always_aborted(self: GrantService, session: Any, header: dict[str, Any]) -> None:
        raise ConcurrentSaveError(concurrent_save_message())

    monkeypatch.setattr(GrantService, "_check_refs", always_aborted)
    set_language("fr")
    with pytest.raises(ConcurrentSaveError, match="Rien n’a été enregistré"):
        services.grants.create(GrantInput(purpose="Atelier", organisation_id=org.id))
    assert services.grants.search().total == 1


def test_the_number_is_taken_at_the_end_of_the_save_and_shown_everywhere(services: Services) -> None:
    """The year's counter is locked from the moment a number is taken until the save ends: the
    people saving at the same moment wait for that long, so it is the save's last step."""
    org = services.organisations.create(OrganisationInput(kind="cooperative", name="Coopérative Malika"))
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(" ".join(statement.split()[:3]).upper())

    event.listen(services.db.engine, "before_cursor_execute", record)
    items = [GrantItemInput("Machine à coudre", Decimal(2), Decimal("5200"), serials=["SN-1", "SN-2"])]
    grant = services.grants.create(GrantInput(purpose="Atelier", organisation_id=org.id, items=items))
    event.remove(services.db.engine, "before_cursor_execute", record)

    taken = next(n for n, s in enumerate(statements) if s.startswith("INSERT INTO GRANT_COUNTER"))
    assert statements[taken + 1 :] == ["UPDATE GRANTS SET", "UPDATE AUDIT_ENTRY SET"]
    number = f"KSM-{dt.date.today().year}-0001"
    assert grant.number == services.grants.get(grant.id).number == number
    assert [r.number for r in services.grants.search(ListQuery(text=number.lower())).rows] == [number]
    (created,) = Services(services.db, Actor("admin", "admin")).audit.search(
        AuditQuery(entity="grant", entity_id=grant.id)
    )
    assert created.label == number and created.changes["number"] == [None, number]
