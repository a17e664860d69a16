"""KSM Desktop: registry and printed records for Karama Solidarity Maroc."""

from __future__ import annotations

import importlib
from functools import cache
from pathlib import Path

APP_NAME = "KSM Desktop"
ORG_NAME = "KSM"
DISTRIBUTION = "ksm-desktop"
SOURCE_ROOT = Path(__file__).resolve().parent.parent  # the checkout, or site-packages, or the bundle


def read_version(source_root: Path = SOURCE_ROOT) -> str:
    """The one version number, pyproject's `version`, wherever the program runs from.

    A source tree reads pyproject.toml itself (always current, even with a stale editable install);
    a frozen bundle has no pyproject, so the build writes ksm_desktop/_version.py; an installed
    wheel has its distribution metadata.
    """
    pyproject = source_root / "pyproject.toml"
    if pyproject.is_file():
        import tomllib

        project = tomllib.loads(pyproject.read_text("utf-8")).get("project", {})
        if project.get("name") == DISTRIBUTION:
            return str(project["version"])
    try:
        return str(importlib.import_module("ksm_desktop._version").VERSION)
    except ImportError:
        pass
    from importlib import metadata  # an installed wheel only: not worth its import time elsewhere

    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "0+unknown"


@cache
def version() -> str:
    """This program's version, read once, when first asked for (not at every start-up)."""
    return read_version()


def __getattr__(name: str) -> str:
    """`ksm_desktop.__version__`, computed on first use (PEP 562)."""
    if name == "__version__":
        return version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
