"""Where the program finds its files: a source checkout, a regular install (wheel, pipx) or a
frozen (PyInstaller) bundle, and the per-user folders it writes to."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs

from ksm_desktop import APP_NAME, ORG_NAME

PACKAGE_DIR = Path(__file__).resolve().parent


def data_root(package_dir: Path = PACKAGE_DIR, frozen_root: str | None = None) -> Path:
    """The folder holding resources/ and translations/: the bundle's root when frozen; the package
    itself in a regular install (setup.py maps them into it); else the checkout beside the package.
    """
    frozen_root = frozen_root or getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    if (package_dir / "resources").is_dir():
        return package_dir
    return package_dir.parent


ROOT = data_root()
RESOURCES_DIR = ROOT / "resources"
FONTS_DIR = RESOURCES_DIR / "fonts"
ICONS_DIR = RESOURCES_DIR / "icons"
TRANSLATIONS_DIR = ROOT / "translations"
# Alembic reads env.py and the revisions as source files: the bundle ships them at the same place.
MIGRATIONS_DIR = PACKAGE_DIR / "db" / "migrations"


def data_dir() -> Path:
    """Per-user data folder (%LOCALAPPDATA%\\KSM\\KSM Desktop on Windows)."""
    return Path(platformdirs.user_data_dir(APP_NAME, ORG_NAME))


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, ORG_NAME))


def default_database_path() -> Path:
    return data_dir() / "ksm.sqlite3"


def default_backup_dir() -> Path:
    return data_dir() / "backups"
