"""The window's own icons: PNGs rendered from resources/icons/ui/*.svg (packaging/make_icons.py).

Loaded from files rather than from Qt's style: importing QStyle and drawing its standard icons took
a tenth of a bare window's start, before this window could be shown. A QIcon made from a file reads
it only when first painted; NAME@2x.png serves high-density screens.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon

from ksm_desktop.paths import ICONS_DIR

UI_ICONS_DIR = ICONS_DIR / "ui"
UI_ICON_PX = 20  # as packaging/make_icons.py renders them
_PX_IN_NAME = re.compile(r"-(\d+)\.png$")


def ui_icon(name: str) -> QIcon:
    """The icon resources/icons/ui/NAME.png (and NAME@2x.png). Each file is added with its size, so
    Qt need not open it to learn it (a third of a millisecond an icon) before it is painted."""
    icon = QIcon()
    for suffix, scale in (("", 1), ("@2x", 2)):
        icon.addFile(str(UI_ICONS_DIR / f"{name}{suffix}.png"), QSize(UI_ICON_PX * scale, UI_ICON_PX * scale))
    return icon


def app_icon() -> QIcon:
    """The program's icon: one PNG per size (resources/icons/ksm-desktop-SIZE.png, each rendered
    from the SVG so that small ones stay crisp), added with the size its name gives."""
    icon = QIcon()
    for png in sorted(ICONS_DIR.glob("ksm-desktop-*.png")):
        px = _PX_IN_NAME.search(png.name)
        icon.addFile(str(png), QSize(int(px[1]), int(px[1])) if px else QSize())
    return icon
