"""`make bench`: run every benchmark module, print a table, write docs/benchmarks.md.

python -m benchmarks            # all
python -m benchmarks storage    # only modules whose name contains "storage"
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import platform
import sys
from pathlib import Path

from benchmarks.common import Result

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _fmt(value: float | None, suffix: str = "") -> str:
    return "" if value is None else f"{value:,.1f}{suffix}"


def table(results: list[Result]) -> list[str]:
    lines = [
        "| benchmark | measured | baseline | ratio | goal | ok |",
        "| --- | ---: | --- | ---: | --- | :---: |",
    ]
    for r in results:
        baseline = f"{r.baseline_name}: {_fmt(r.baseline_ms, ' ms')}" if r.baseline_ms else ""
        lines.append(
            f"| {r.name} | {_fmt(r.measured_ms, r.unit)} | {baseline} | {_fmt(r.ratio, '×')} | {r.goal} "
            f"| {'yes' if r.passed else '**no**'} |"
        )
    return lines


def main(argv: list[str]) -> int:
    modules = sorted(p.stem for p in Path(__file__).parent.glob("bench_*.py"))
    if argv:
        modules = [m for m in modules if any(a in m for a in argv)]
    results: list[Result] = []
    for name in modules:
        module = importlib.import_module(f"benchmarks.{name}")
        for bench in module.BENCHMARKS:
            print(f"… {name}.{bench.__name__}", file=sys.stderr, flush=True)
            results.extend(bench())
    lines = table(results)
    print("\n".join(lines))
    if not argv:
        header = [
            "# Benchmarks",
            "",
            f"Run on {dt.date.today().isoformat()} with `make bench` (Python {platform.python_version()}, "
            f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores). Ratios compare with a baseline "
            "measured in the same run, so they hold on a shared, noisy machine.",
            "",
        ]
        (ROOT / "docs").mkdir(exist_ok=True)
        (ROOT / "docs" / "benchmarks.md").write_text("\n".join(header + lines) + "\n", "utf-8")
    return 0 if all(r.passed for r in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
