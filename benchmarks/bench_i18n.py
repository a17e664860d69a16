"""Translation and formatting costs the user or the lead would notice: table cells, start-up, catalog upkeep."""

from __future__ import annotations

import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

from benchmarks.common import Result, median_ms
from ksm_desktop.i18n import _, load_catalog, set_language
from ksm_desktop.i18n.catalogs import compile_all, problems, update
from ksm_desktop.i18n.formatting import _format_date, format_date, format_money
from ksm_desktop.paths import TRANSLATIONS_DIR

CELLS = 1_000


def table_cells() -> list[Result]:
    """1,000 money cells and 1,000 dates as a table model formats them, against plain str()."""
    import datetime as dt

    amounts = [Decimal(i * 37) / 4 for i in range(CELLS)]
    days = [dt.date(2020, 1, 1) + dt.timedelta(days=i) for i in range(CELLS)]
    baseline = median_ms(lambda: [f"{a:.2f} EUR" for a in amounts])
    results = []
    for lang in ("fr", "ar"):
        set_language(lang)
        money = median_ms(lambda: [format_money(a, "EUR") for a in amounts])
        dates = median_ms(lambda: (_format_date.cache_clear(), [format_date(d) for d in days]))
        labels = median_ms(lambda: [_("Recipient") for _i in range(CELLS)])
        results += [
            Result(f"format 1,000 amounts ({lang})", money, "< 20 ms", money < 20, "f-string", baseline),
            Result(f"format 1,000 different dates, cold cache ({lang})", dates, "< 50 ms", dates < 50),
            Result(f"translate 1,000 labels ({lang})", labels, "< 5 ms", labels < 5),
        ]
    set_language("en")
    return results


def catalog_loading() -> list[Result]:
    """Start-up cost of the Arabic catalog: compiled .mo vs the in-memory .po fallback."""
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        shutil.copytree(TRANSLATIONS_DIR, directory, dirs_exist_ok=True)
        for mo in directory.rglob("*.mo"):
            mo.unlink()

        def load() -> object:
            load_catalog.cache_clear()
            return load_catalog("ar", directory)

        from_po = median_ms(load, repeat=5)
        compile_all(directory)
        from_mo = median_ms(load, repeat=5)
    load_catalog.cache_clear()
    return [
        Result(
            "load the Arabic catalog from .po (no .mo)", from_po, "< 150 ms", from_po < 150, ".mo", from_mo
        )
    ]


def catalog_upkeep() -> list[Result]:
    """What the lead waits for after a merge: update + check on the whole source tree."""
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        shutil.copytree(TRANSLATIONS_DIR, directory, dirs_exist_ok=True)
        ms = median_ms(lambda: (update(directory), problems(directory)), repeat=3, warmup=0)
    return [Result("catalogs update + check", ms, "< 5 s", ms < 5000)]


BENCHMARKS = [table_cells, catalog_loading, catalog_upkeep]
