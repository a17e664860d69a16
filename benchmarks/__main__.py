"""`make bench`: run every benchmark module, print a table, write docs/benchmarks.md.

python -m benchmarks                    # all, compared with benchmarks/baseline.json
python -m benchmarks storage            # only modules whose name contains "storage"
python -m benchmarks --save-baseline    # all, then record them as the new baseline
python -m benchmarks million            # a module marked ON_REQUEST (too long for every run)

Each figure is compared with the committed baseline: its same-run ratio when it has a baseline
measured in the same run (that is what survives a noisy machine), else its time. A figure more
than 25 % worse than its baseline is flagged.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import os
import platform
import sys
from pathlib import Path

from benchmarks.common import Result

ROOT = Path(__file__).resolve().parent.parent
BASELINE = Path(__file__).resolve().parent / "baseline.json"
SLOWER = 1.25  # a figure this much worse than its baseline is flagged
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _fmt(value: float | None, suffix: str = "") -> str:
    return "" if value is None else f"{value:,.1f}{suffix}"


def key(r: Result) -> str:
    """One name per figure: a benchmark compared with two baselines gives two figures."""
    return f"{r.name} [{r.baseline_name}]" if r.baseline_name else r.name


def figure(r: Result) -> float:
    """What is compared across runs: the same-run ratio when there is one, else the time."""
    return r.ratio if r.ratio is not None else r.measured_ms


def machine() -> dict[str, str]:
    return {
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "machine": platform.machine(),
        "processor": platform.processor() or "unknown",
        "cores": str(os.cpu_count()),
    }


def load_baseline() -> dict[str, float]:
    if not BASELINE.exists():
        return {}
    return {name: float(value) for name, value in json.loads(BASELINE.read_text("utf-8"))["figures"].items()}


def save_baseline(results: list[Result]) -> None:
    data = {
        "recorded": dt.date.today().isoformat(),
        "machine": machine(),
        "figures": {key(r): round(figure(r), 3) for r in results},
    }
    BASELINE.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "utf-8")


def change(r: Result, baseline: dict[str, float]) -> tuple[str, bool]:
    """The figure's change against the baseline as text, and whether it is flagged as slower."""
    old = baseline.get(key(r))
    if not old:
        return "new", False
    ratio = figure(r) / old
    slower = ratio > SLOWER
    text = f"{(ratio - 1) * 100:+.0f} %"
    return (f"**{text} slower**" if slower else text), slower


def table(results: list[Result], baseline: dict[str, float]) -> list[str]:
    lines = [
        "| benchmark | measured | baseline | ratio | goal | ok | vs last baseline |",
        "| --- | ---: | --- | ---: | --- | :---: | ---: |",
    ]
    for r in results:
        same_run = f"{r.baseline_name}: {_fmt(r.baseline_ms, ' ms')}" if r.baseline_ms else ""
        lines.append(
            f"| {r.name} | {_fmt(r.measured_ms, r.unit)} | {same_run} | {_fmt(r.ratio, '×')} | {r.goal} "
            f"| {'yes' if r.passed else '**no**'} | {change(r, baseline)[0]} |"
        )
    return lines


def written_sections(text: str) -> str:
    """The sections written by hand below the generated table (from the first "## " heading on),
    kept when the table is generated again: figures that take too long for every run."""
    start = text.find("\n## ")
    return "" if start < 0 else text[start:]


def main(argv: list[str]) -> int:
    save = "--save-baseline" in argv
    argv = [a for a in argv if a != "--save-baseline"]
    modules = sorted(p.stem for p in Path(__file__).parent.glob("bench_*.py"))
    if argv:
        modules = [m for m in modules if any(a in m for a in argv)]
    results: list[Result] = []
    for name in modules:
        module = importlib.import_module(f"benchmarks.{name}")
        if getattr(module, "ON_REQUEST", False) and not argv:
            print(f"… {name}: only when named (python -m benchmarks {name})", file=sys.stderr, flush=True)
            continue
        for bench in module.BENCHMARKS:
            print(f"… {name}.{bench.__name__}", file=sys.stderr, flush=True)
            results.extend(bench())
    baseline = load_baseline()
    lines = table(results, baseline)
    flagged = [key(r) for r in results if change(r, baseline)[1]]
    print("\n".join(lines))
    for name in flagged:
        print(f"slower than its baseline by more than {SLOWER - 1:.0%}: {name}", file=sys.stderr)
    if not argv:
        header = [
            "# Benchmarks",
            "",
            f"Run on {dt.date.today().isoformat()} with `make bench` (Python {platform.python_version()}, "
            f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores). Ratios compare with a baseline "
            "measured in the same run, so they hold on a shared, noisy machine. The last column compares each "
            "figure (its ratio, or its time when it has no same-run baseline) with `benchmarks/baseline.json` "
            f"(recorded {json.loads(BASELINE.read_text('utf-8'))['recorded'] if BASELINE.exists() else 'never'}); "
            f"more than {SLOWER - 1:.0%} worse is flagged.",
            "",
        ]
        (ROOT / "docs").mkdir(exist_ok=True)
        path = ROOT / "docs" / "benchmarks.md"
        kept = written_sections(path.read_text("utf-8")) if path.exists() else ""
        path.write_text("\n".join(header + lines) + "\n" + kept, "utf-8")
        if save:
            save_baseline(results)
    return 0 if all(r.passed for r in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
