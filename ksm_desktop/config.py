"""Per-user preferences (language, backup folder) in a small JSON file, readable without Qt so the
command line and the GUI agree. Window geometry and the like stay in QSettings (GUI only)."""

from __future__ import annotations

import logging
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import platformdirs

from ksm_desktop import APP_NAME, ORG_NAME
from ksm_desktop.paths import default_database_path

log = logging.getLogger(__name__)


def config_path() -> Path:
    override = os.environ.get("KSM_CONFIG_DIR")
    base = Path(override) if override else Path(platformdirs.user_config_dir(APP_NAME, ORG_NAME))
    return base / "preferences.json"


@dataclass
class Preferences:
    language: str = ""  # empty: follow the system (fr, ar or en), else French
    backup_dir: str = ""  # empty: the "backups" folder next to the database
    database_path: str = ""  # empty: the default file in the user's data folder

    @classmethod
    def load(cls) -> Preferences:
        path = config_path()
        try:
            text = path.read_text("utf-8")
            import json  # only once there is a file: no JSON module before a first start's window

            data = json.loads(text)
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            log.warning("ignoring unreadable preferences %s: %s", path, exc)
            return cls()
        known = {f.name for f in fields(cls)}
        return cls(**{k: str(v) for k, v in data.items() if k in known}) if isinstance(data, dict) else cls()

    def save(self) -> None:
        import json

        path = config_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=2), "utf-8")
        os.replace(tmp, path)


def database_file(given: str | None = None) -> Path:
    """The SQLite file to open: the one given (`--db`), else the one chosen in the preferences,
    else the default file in the user's data folder (the GUI and the command line agree on it)."""
    if given:
        return Path(given).expanduser().resolve()
    chosen = Preferences.load().database_path
    if chosen:
        return Path(chosen)
    return default_database_path()


def backup_dir_for(db_path: Path) -> Path:
    """Where copies of the SQLite file at `db_path` go: the folder chosen in the preferences, else
    "backups" next to the database (the GUI and the command line agree on it)."""
    chosen = Preferences.load().backup_dir
    return Path(chosen) if chosen else db_path.parent / "backups"
