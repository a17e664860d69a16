"""What every benchmark shares: timing, results, and a populated database."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ksm_desktop.services.dto import PersonInput

DATA_DIR = Path(__file__).parent / ".data"


@dataclass(frozen=True)
class Result:
    name: str
    measured_ms: float
    goal: str
    passed: bool
    baseline_name: str = ""
    baseline_ms: float | None = None
    unit: str = " ms"  # "" for a count

    @property
    def ratio(self) -> float | None:
        return self.measured_ms / self.baseline_ms if self.baseline_ms else None


def median_ms(fn: Callable[[], object], repeat: int = 7, warmup: int = 1) -> float:
    """Median wall time of `fn` in milliseconds (garbage collection paused while timing)."""
    for _ in range(warmup):
        fn()
    return statistics.median(timed_ms(fn) for _ in range(repeat))


def median_trials_ms(trial: Callable[[], float], repeat: int = 3) -> float:
    """Median of `repeat` trials that each set up fresh state and return the milliseconds of the
    part they time: for what cannot run twice on the same data (an import, a first load)."""
    return statistics.median(trial() for _ in range(repeat))


def timed_ms(fn: Callable[[], object]) -> float:
    """Wall time of one call of `fn` in milliseconds, garbage collection paused (and left as it
    was: the GUI benchmarks run with the application's collector, which keeps it off)."""
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter()
        fn()
        return (time.perf_counter() - start) * 1000
    finally:
        if was_enabled:
            gc.enable()


FIRST = ["Fatima", "Khadija", "Aicha", "Naima", "Mohamed", "Ahmed", "Hassan", "Brahim", "Youssef", "Zineb"]
LAST = ["Alaoui", "Ouhaddou", "Amrani", "Bennani", "Idrissi", "Tazi", "Ait Ali", "Oubella", "Naciri", "Azizi"]


def people(n: int) -> list[PersonInput]:
    """n distinct, valid, fictitious people (CIN prefix ZZ never issued)."""
    return [
        PersonInput(
            first_name=FIRST[i % 10],
            last_name=f"{LAST[(i // 10) % 10]} {i // 100}",
            sex="F" if i % 2 else "M",
            cin=f"Z{i:06d}",
            phone=f"06{i % 100000000:08d}",
            birth_year=1960 + i % 45,
        )
        for i in range(n)
    ]
