"""Field work at programme scale: the demo portfolio, one grant for 175 households, the lists."""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from benchmarks.common import Result, median_ms
from ksm_desktop.db.storage import open_database
from ksm_desktop.services import ListQuery, Services
from ksm_desktop.services.demo import load_demo
from ksm_desktop.services.dto import GrantInput, GrantItemInput
from ksm_desktop.services.dto_field import HouseholdAllocation


def demo_and_bulk_grant() -> list[Result]:
    """Loading the whole demo (goal: ~10 s, `ksm-desktop demo`), then one more grant for AQUA-NOOR's
    175 households in one transaction vs 175 single grant creations (the baseline)."""
    with tempfile.TemporaryDirectory() as tmp:
        services = Services(open_database(path=Path(tmp) / "demo.sqlite3"))
        start = time.perf_counter()
        load_demo(services)
        demo_ms = (time.perf_counter() - start) * 1000
        aqua = services.programmes.get_by_code("AQUA-NOOR").id
        homes = [h.id for h in services.households.search(ListQuery(limit=None)).rows]
        data = GrantInput(
            purpose="Kit de maintenance",
            programme_id=aqua,
            grant_date=dt.date(2022, 5, 1),
            items=[GrantItemInput("Kit", Decimal("1"), Decimal("45"))],
        )
        start = time.perf_counter()
        services.households.grant_to_households(
            data, [HouseholdAllocation(h, dt.date(2022, 6, 1)) for h in homes]
        )
        bulk_ms = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        for h in homes:
            data.household_id = h
            services.grants.create(data)
        single_ms = (time.perf_counter() - start) * 1000
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
