"""Smoke test of a built bundle: the frozen program finds its resources, catalogs and migrations.

    python packaging/smoke_test.py [dist/ksm-desktop]        (make bundle-test)

Slow (it starts the frozen program a dozen times), so it is not part of the pytest suite. It runs
every command with the console executable `ksm-desktop-cli` (a windowed Windows .exe has no stdout),
offscreen, against a temporary database and temporary user folders, and compares the frozen
program's output with the source tree's (same messages, same formatting, same data). Exit code 0
when every step passed; it prints the bundle size and the frozen start times.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "packaging"), str(ROOT)]

import bundle_support  # noqa: E402

from ksm_desktop import read_version  # noqa: E402

EXE_SUFFIX = ".exe" if os.name == "nt" else ""
TIMEOUT = 120
GUI_EXIT_AFTER_MS = 200


class SmokeFailure(Exception):
    """A step of the smoke test failed."""


class Runner:
    """Runs the frozen program and the source tree in an isolated environment."""

    def __init__(self, bundle: Path, scratch: Path) -> None:
        self.cli = bundle / f"ksm-desktop-cli{EXE_SUFFIX}"
        self.gui = bundle / f"ksm-desktop{EXE_SUFFIX}"
        self.scratch = scratch
        home = scratch / "home"
        # Preferences and (on Linux) data folders go to the scratch folder; every command gets --db.
        self.env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "KSM_CONFIG_DIR": str(home / "config"),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_STATE_HOME": str(home / "state"),
            "XDG_CONFIG_HOME": str(home / "xdg-config"),
            "PYTHONIOENCODING": "utf-8",
            "PYTHONUTF8": "1",
        }
        self.env.pop("KSM_DB_URL", None)
        self.env.pop("KSM_SMOKE_EXIT_AFTER_MS", None)

    def run(
        self, command: Sequence[str], *, extra_env: dict[str, str] | None = None, stdin: str | None = None
    ) -> tuple[str, float]:
        """stdout of `command` (which must exit 0) and its wall time in seconds."""
        start = time.perf_counter()
        done = subprocess.run(
            list(command),
            input=stdin.encode("utf-8") if stdin is not None else None,
            capture_output=True,
            env={**self.env, **(extra_env or {})},
            cwd=self.scratch,
            timeout=TIMEOUT,
            check=False,
        )
        elapsed = time.perf_counter() - start
        if done.returncode != 0:
            raise SmokeFailure(
                f"{' '.join(command)} exited {done.returncode}\n"
                f"stdout: {done.stdout.decode('utf-8', 'replace')}\nstderr: {done.stderr.decode('utf-8', 'replace')}"
            )
        return done.stdout.decode("utf-8"), elapsed

    def frozen(self, *args: str) -> str:
        return self.run([str(self.cli), *args])[0]

    def source(self, *args: str) -> str:
        """The same command run by the source tree, for comparison."""
        return self.run([sys.executable, "-m", "ksm_desktop", *args], extra_env={"PYTHONPATH": str(ROOT)})[0]


def check_contents(bundle: Path) -> None:
    """Every data file of the source tree is in the bundle, where paths.py looks for it."""
    internal = bundle / "_internal"
    missing = [
        f"{dest}/{Path(src).name}"
        for src, dest in bundle_support.data_files(ROOT)
        if not (internal / dest / Path(src).name).is_file()
    ]
    missing += [
        f"PySide6/.../translations/qtbase_{lang}.qm"
        for lang in bundle_support.QT_LANGUAGES
        if not list((internal / "PySide6").glob(f"**/translations/qtbase_{lang}.qm"))
    ]
    if not list((internal / "translations").glob("*/LC_MESSAGES/messages.mo")):
        missing.append("translations/*/LC_MESSAGES/messages.mo (compile the catalogs before building)")
    if missing:
        raise SmokeFailure("missing from the bundle: " + ", ".join(missing))


def check_version(runner: Runner) -> float:
    out, elapsed = runner.run([str(runner.cli), "--version"])
    expected = f"KSM Desktop {read_version(ROOT)}"
    if out.strip() != expected:
        raise SmokeFailure(f"--version printed {out.strip()!r}, expected {expected!r}")
    return elapsed


def check_demo_and_data(runner: Runner, db: Path) -> None:
    runner.frozen("--lang", "en", "--db", str(db), "demo")
    if not db.is_file():
        raise SmokeFailure(f"demo did not create {db}")
    cooperatives = json.loads(runner.frozen("--db", str(db), "grants", "--programme", "AGR-ERR", "--json"))
    totals = sorted(g["total"] for g in cooperatives)
    if totals != ["14200.00", "36000.00", "7000.00", "8000.00"]:
        raise SmokeFailure(f"expected the 4 cooperatives' grants of the seed, got {totals}")
    grants = json.loads(runner.frozen("--db", str(db), "grants", "--json"))
    source_db = runner.scratch / "source.sqlite3"
    runner.source("--lang", "en", "--db", str(source_db), "demo")
    source_grants = json.loads(runner.source("--db", str(source_db), "grants", "--json"))
    if grants != source_grants:
        raise SmokeFailure("the frozen program's demo grants differ from the source tree's")


def check_schema(runner: Runner, db: Path) -> None:
    from ksm_desktop.db.migrate import head_revision

    head = head_revision()
    out = runner.frozen("--lang", "en", "--db", str(db), "check")
    if f"Schema version: {head} (this version of KSM Desktop expects {head})" not in out:
        raise SmokeFailure(f"check did not report schema {head}:\n{out}")


def check_languages(runner: Runner, db: Path) -> None:
    """Catalogs and Babel's locale data: each language's output is the source tree's, word for word."""
    for lang in ("fr", "ar", "en"):
        for command in (["check"], ["grants"], ["--help"]):
            args = ["--lang", lang, "--db", str(db), *command]
            frozen, source = runner.frozen(*args), runner.source(*args)
            if frozen != source:
                raise SmokeFailure(f"{' '.join(args)}: frozen output differs from the source tree's")


def check_print_grant(runner: Runner, db: Path) -> str:
    """The grant sheet in French and Arabic, if this build has the `print-grant` command."""
    if "print-grant" not in runner.frozen("--help"):
        return "skipped (no print-grant command in this build)"
    usage = runner.frozen("print-grant", "--help")
    number = json.loads(runner.frozen("--db", str(db), "grants", "--programme", "AGR-ERR", "--json"))[0][
        "number"
    ]
    for lang in ("fr", "ar"):
        pdf = runner.scratch / f"grant-{lang}.pdf"
        out_args = ["--out", str(pdf)] if "--out" in usage else []
        before = set(runner.scratch.glob("*.pdf"))
        runner.frozen("--lang", lang, "--db", str(db), "print-grant", number, *out_args)
        written = [pdf] if pdf.is_file() else sorted(set(runner.scratch.glob("*.pdf")) - before)
        if not written or not written[0].read_bytes().startswith(b"%PDF"):
            raise SmokeFailure(f"print-grant in {lang} wrote no PDF")
    return "fr and ar PDFs written"


def check_backup_and_restore(runner: Runner, db: Path) -> None:
    """A verified copy, then the database replaced by it (Windows will not replace an open file)."""
    copy = runner.scratch / "copie de sauvegarde.sqlite3"
    runner.frozen("--lang", "en", "--db", str(db), "backup", "--out", str(copy))
    out = runner.frozen("--lang", "en", "--db", str(db), "restore", str(copy))
    if "kept as" not in out:
        raise SmokeFailure(f"restore printed {out!r}")
    check_schema(runner, db)


def check_gui(runner: Runner, db: Path) -> float:
    """The windowed executable opens the main window and quits by itself (exit code 0).

    An administrator and single-user mode are set up first, so no sign-in dialog stands between
    the start and the main window."""
    runner.run(
        [str(runner.cli), "--db", str(db), "user-add", "admin", "--role", "admin", "--password-stdin"],
        stdin="smoke-test-password\n",
    )
    runner.frozen("--db", str(db), "single-user", "on")
    _, elapsed = runner.run(
        [str(runner.gui), "--db", str(db)], extra_env={"KSM_SMOKE_EXIT_AFTER_MS": str(GUI_EXIT_AFTER_MS)}
    )
    return elapsed - GUI_EXIT_AFTER_MS / 1000


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def main(argv: Sequence[str]) -> int:
    bundle = Path(argv[0]) if argv else ROOT / "dist" / "ksm-desktop"
    if not (bundle / f"ksm-desktop-cli{EXE_SUFFIX}").is_file():
        print(f"no bundle at {bundle}: build it first (make bundle)", file=sys.stderr)
        return 2
    failures = 0
    with tempfile.TemporaryDirectory(prefix="ksm-smoke-") as tmp:
        scratch = Path(tmp)
        runner = Runner(bundle.resolve(), scratch)
        db = scratch / "ksm.sqlite3"
        steps = [
            ("bundle contents", lambda: check_contents(bundle)),
            ("--version", lambda: f"{check_version(runner):.2f} s"),
            ("demo + grants --json", lambda: check_demo_and_data(runner, db)),
            ("check (schema version)", lambda: check_schema(runner, db)),
            ("fr/ar/en output = source tree", lambda: check_languages(runner, db)),
            ("print-grant fr/ar", lambda: check_print_grant(runner, db)),
            ("backup + restore", lambda: check_backup_and_restore(runner, db)),
            ("main window opens", lambda: f"started in {check_gui(runner, db):.2f} s"),
        ]
        for name, step in steps:
            try:
                detail = step()
            except (SmokeFailure, subprocess.TimeoutExpired, OSError, ValueError) as exc:
                failures += 1
                print(f"FAIL  {name}: {exc}")
            else:
                print(f"ok    {name}" + (f": {detail}" if detail else ""))
    print(f"bundle: {bundle} ({folder_size(bundle) / 2**20:.0f} MiB)")
    print("smoke test passed" if not failures else f"smoke test FAILED ({failures} step(s))")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
