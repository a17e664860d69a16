"""The donor report of AQUA-NOOR (359 grants, about 10 pages, 3 charts): reading its figures
from the services, and writing the PDF in French and in Arabic."""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.common import Result, median_ms
from ksm_desktop.db.storage import open_database
from ksm_desktop.demo.portfolio import load_demo
from ksm_desktop.reports.layout import Doc
from ksm_desktop.reports.programme_report import collect, programme_report_pdf
from ksm_desktop.services import Actor, Services


def programme_report() -> list[Result]:
    with tempfile.TemporaryDirectory() as tmp:
        services = Services(open_database(path=Path(tmp) / "bench.sqlite3"), Actor("admin", "admin"))
        load_demo(services)
        reading = median_ms(lambda: collect(services, "AQUA-NOOR"), repeat=5)
        data = collect(services, "AQUA-NOOR")
        profile = services.settings.profile()
        services.db.dispose()
    results = [
        Result("programme report AQUA-NOOR: figures from the services", reading, "<= 300 ms", reading <= 300)
    ]
    for lang in ("fr", "ar"):
        doc = Doc.create(profile, lang)
        ms = median_ms(lambda d=doc: programme_report_pdf(d, data), repeat=5)
        results.append(
            Result(f"programme report AQUA-NOOR ({lang}): PDF of 359 grants", ms, "<= 1500 ms", ms <= 1500)
        )
    return results


BENCHMARKS = [programme_report]
