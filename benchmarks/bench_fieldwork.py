"""Field work at programme scale: the demo portfolio, one grant for 175 households, the lists."""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path

from benchmarks.common import Result, median_ms, median_trials_ms, timed_ms
from ksm_desktop.db.storage import open_database
from ksm_desktop.demo.portfolio import load_demo
from ksm_desktop.services import Actor, ListQuery, Services
from ksm_desktop.services.dto import GrantInput, GrantItemInput
from ksm_desktop.services.dto_fieldwork import HouseholdAllocation


def demo_and_bulk_grant() -> list[Result]:
    """Loading the whole demo (goal: ~10 s, `ksm-desktop demo`), then one more grant for AQUA-NOOR's
    175 households in one transaction vs 175 single grant creations (the baseline)."""
    with tempfile.TemporaryDirectory() as tmp:

        def demo_trial() -> float:
            services = Services(
                open_database(path=Path(tempfile.mkdtemp(dir=tmp)) / "demo.sqlite3"), Actor("admin", "admin")
            )
            ms = timed_ms(lambda: load_demo(services))
            services.db.dispose()
            return ms

        demo_ms = median_trials_ms(demo_trial)
        services = Services(open_database(path=Path(tmp) / "demo.sqlite3"), Actor("admin", "admin"))
        load_demo(services)
        aqua = services.programmes.get_by_code("AQUA-NOOR").id
        homes = [h.id for h in services.households.search(ListQuery(limit=None)).rows]
        data = GrantInput(
            purpose="Kit de maintenance",
            programme_id=aqua,
            grant_date=dt.date(2022, 5, 1),
            items=[GrantItemInput("Kit", Decimal("1"), Decimal("45"))],
        )
        allocations = [HouseholdAllocation(h, dt.date(2022, 6, 1)) for h in homes]

        def one_by_one() -> None:
            for h in homes:
                data.household_id = h
                services.grants.create(data)

        bulk_ms = median_trials_ms(
            lambda: timed_ms(lambda: services.households.grant_to_households(data, allocations))
        )
        single_ms = median_trials_ms(lambda: timed_ms(one_by_one))
        list_ms = median_ms(lambda: services.households.search(ListQuery(limit=None)), repeat=5)
        services.db.dispose()
    return [
        Result("load the demo portfolio (with 175 households)", demo_ms, "< 10 s", demo_ms < 10_000),
        Result(
            "one grant for 175 households",
            bulk_ms,
            "< 2 s, faster than one by one",
            bulk_ms < 2_000 and bulk_ms < single_ms,
            "175 single creations",
            single_ms,
        ),
        Result("list 175 households with their equipment", list_ms, "< 200 ms", list_ms < 200),
    ]


BENCHMARKS = [demo_and_bulk_grant]
