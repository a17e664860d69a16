"""The window's own icons: PNGs rendered from resources/icons/ui/*.svg (packaging/make_icons.py).

Loaded from files rather than from Qt's style: importing QStyle and drawing its standard icons took
a tenth of a bare window's start, before this window could be shown. A QIcon made from a file reads
it only when first painted; NAME@2x.png serves high-density screens.
"""

from __future__ import annotations

from PySide6.QtGui import QIcon

from ksm_desktop.paths import ICONS_DIR

UI_ICONS_DIR = ICONS_DIR / "ui"


def ui_icon(name: str) -> QIcon:
    """The icon resources/icons/ui/NAME.png (and NAME@2x.png)."""
    icon = QIcon()
    for suffix in ("", "@2x"):
        icon.addFile(str(UI_ICONS_DIR / f"{name}{suffix}.png"))
    return icon
