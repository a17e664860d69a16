"""The command line writes UTF-8 whatever the console's encoding: Windows gives a pipe or a file its
ANSI code page (cp1252), which garbled "é" and "€" and made `--lang ar` die with UnicodeEncodeError.
Reproduced here by forcing cp1252 and the C locale on the child process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    env = os.environ | {"PYTHONIOENCODING": "cp1252", "LC_ALL": "C", "LANG": "C"}
    return subprocess.run(
        [sys.executable, "-m", "ksm_desktop", *args], capture_output=True, env=env, timeout=120
    )


def test_output_is_utf8_on_a_cp1252_console(tmp_path: Path) -> None:
    db = str(tmp_path / "ksm.sqlite3")
    demo = run_cli("--db", db, "--lang", "ar", "demo")
    assert demo.returncode == 0, demo.stderr.decode("utf-8", "replace")
    assert "تمت الإضافة إلى" in demo.stdout.decode("utf-8")  # "Added to", in Arabic
    grants = run_cli("--db", db, "--lang", "fr", "grants")
    assert grants.returncode == 0
    text = grants.stdout.decode("utf-8")  # strict: any cp1252 byte would fail here
    assert "Bénéficiaire" in text and "Livrée" in text and "780,00\xa0€" in text
    refused = run_cli(
        "--db", db, "--lang", "ar", "print-grant", "KSM-2099-0042", "--out", str(tmp_path / "x.pdf")
    )
    assert refused.returncode == 1
    message = refused.stderr.decode("utf-8")
    assert "KSM-2099-0042" in message and any("\u0600" <= c <= "\u06ff" for c in message)
