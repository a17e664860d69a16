"""A regular, non-editable install works on its own: the wheel is built (no setuptools deprecation
warning), installed into a fresh virtualenv, and used from a folder outside the checkout — the grant
sheet printed in French and in Arabic with the shipped fonts and catalogs, the window opened.

Offline: the wheel is built without build isolation by the project's own setuptools, and the fresh
virtualenv reaches the dependencies through a .pth naming the project environment's site-packages
(a path added by a .pth does not run that folder's own .pth files: the editable install stays out).
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
SOURCE_FILES = (
    "pyproject.toml",
    "setup.py",
    "MANIFEST.in",
    "README.md",
    "ksm_desktop",
    "resources",
    "translations",
)
BIN = "Scripts" if os.name == "nt" else "bin"
TIMEOUT = 120

pytestmark = pytest.mark.install


def run(
    args: list[str | Path], cwd: Path, env: dict[str, str] | None = None, stdin: str | None = None
) -> str:
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, input=stdin, capture_output=True, text=True, timeout=TIMEOUT
    )
    assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The wheel and the build's output."""
    source = tmp_path_factory.mktemp("source")  # a copy: parallel builds never share build/
    for name in SOURCE_FILES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
        else:
            shutil.copy2(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("wheelhouse")
    code = f"from setuptools import build_meta; build_meta.build_wheel({str(out)!r})"
    log = run([sys.executable, "-W", "default", "-c", code], cwd=source)
    return next(out.glob("*.whl")), log


@pytest.fixture(scope="module")
def venv(wheel: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv holding the wheel; its dependencies come from the project environment."""
    if importlib.util.find_spec("venv") is None:
        pytest.skip("this Python has no venv module (the embeddable CPython for Windows)")
    root = tmp_path_factory.mktemp("venv")
    run([sys.executable, "-m", "venv", "--without-pip", root], cwd=root)
    python = root / BIN / "python"
    site = run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], cwd=root).strip()
    deps = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (Path(site) / "project-deps.pth").write_text("\n".join(sorted(deps)) + "\n", "utf-8")
    run(
        [sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", wheel[0]],
        cwd=root,
    )
    return root


def test_the_build_prints_no_deprecation_warning(wheel: tuple[Path, str]) -> None:
    assert "Deprecat" not in wheel[1], wheel[1]


def test_the_wheel_holds_every_runtime_file(wheel: tuple[Path, str]) -> None:
    import zipfile

    names = set(zipfile.ZipFile(wheel[0]).namelist())
    for lang in ("fr", "ar", "en"):
        assert f"ksm_desktop/translations/{lang}/LC_MESSAGES/messages.mo" in names
    for path in (ROOT / "resources").rglob("*"):
        if path.is_file():
            assert f"ksm_desktop/{path.relative_to(ROOT).as_posix()}" in names


def pdf_text(pdf: Path, cwd: Path) -> str:
    """The PDF's text, Arabic presentation forms normalised to letters: pdftotext's, or pypdf's
    where poppler is not installed (a Windows runner): what is checked here needs no reading order."""
    if shutil.which("pdftotext") is None:
        text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    else:
        text = run(["pdftotext", "-layout", pdf, "-"], cwd=cwd)
    return unicodedata.normalize("NFKC", text)


def test_the_installed_program_prints_in_french_and_arabic_and_opens_its_window(
    venv: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"  # not the checkout: nothing found by accident in the cwd
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "KSM_DB_URL")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    where = run(
        [venv / BIN / "python", "-c", "import ksm_desktop; print(ksm_desktop.__file__)"], elsewhere, env
    )
    assert Path(where.strip()).is_relative_to(venv)  # the installed copy, not the checkout's
    cli = venv / BIN / "ksm-desktop"
    db = ["--db", str(tmp_path / "ksm.sqlite3")]
    run([cli, *db, "demo"], elsewhere, env)
    grants = json.loads(run([cli, *db, "grants", "--programme", "AGR-ERR", "--json"], elsewhere, env))
    number = next(g["number"] for g in grants if "Chems" in g["recipient"])
    for lang in ("fr", "ar"):
        run(
            [cli, *db, "--lang", lang, "print-grant", number, "--out", elsewhere / f"{lang}.pdf"],
            elsewhere,
            env,
        )
    french = pdf_text(elsewhere / "fr.pdf", elsewhere)
    assert "FICHE DE DOTATION" in french and "Bénéficiaire" in french
    arabic = pdf_text(elsewhere / "ar.pdf", elsewhere)
    assert "GRANT SHEET" not in arabic and "FICHE" not in arabic
    assert sum("\u0600" <= c <= "\u06ff" for c in arabic) > 200  # the Arabic catalog and font were used
    assert "usage: ksm-desktop" not in run([cli, "--lang", "fr", "--help"], elsewhere, env)  # "utilisation"
    run(
        [cli, *db, "user-add", "admin", "--role", "admin", "--password-stdin"],
        elsewhere,
        env,
        "a long password\n",
    )
    run([cli, *db, "single-user", "on"], elsewhere, env)  # no sign-in between the start and the window
    run([cli, *db], elsewhere, env | {"KSM_SMOKE_EXIT_AFTER_MS": "10"})  # quits by itself once ready
