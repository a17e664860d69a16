"""KSM Desktop: registry and printed records for Karama Solidarity Maroc."""

from __future__ import annotations

from importlib import metadata

APP_NAME = "KSM Desktop"
ORG_NAME = "KSM"

try:
    __version__ = metadata.version("ksm-desktop")
except metadata.PackageNotFoundError:  # running from a source tree or a frozen bundle
    __version__ = "0.1.0"
