"""Where the program finds its files, from a source tree or a frozen (PyInstaller) bundle."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs

from ksm_desktop import APP_NAME, ORG_NAME

PACKAGE_DIR = Path(__file__).resolve().parent


def _bundle_root() -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)
    return Path(frozen_root) if frozen_root else PACKAGE_DIR.parent


ROOT = _bundle_root()
RESOURCES_DIR = ROOT / "resources"
FONTS_DIR = RESOURCES_DIR / "fonts"
ICONS_DIR = RESOURCES_DIR / "icons"
HELP_DIR = RESOURCES_DIR / "help"  # the user guide (F1), one HTML page per language
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
