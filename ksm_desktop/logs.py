"""Rotating log file in the per-user log folder; the error dialog shows its path."""

from __future__ import annotations

import logging
from pathlib import Path

from ksm_desktop.paths import log_dir


def log_file() -> Path:
    return log_dir() / "ksm-desktop.log"


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Log to the rotating file (5 × 1 MB); returns its path, or None if the folder is not writable."""
    import logging.handlers  # with socket and pickle: imported when the window is already up

    path = log_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    return path
