"""Render the icons from their SVG sources: the application icon's PNGs (16…256 px) and multi-size
Windows .ico, and the window's navigation and toolbar icons (resources/icons/ui/, Tabler Icons under
the MIT licence) at 20 px and 40 px for high-density screens, drawn in the window's ink colour.

The window loads PNGs rather than asking Qt's style for its standard icons: importing QStyle and
drawing its icons cost a tenth of the time to a bare window, before the window could be shown.

Run after editing an SVG and commit the outputs:
    QT_QPA_PLATFORM=offscreen python packaging/make_icons.py
Each size is rendered from the vector source (not scaled down from 256 px) so small icons stay crisp.
Uses Qt's QSvgRenderer (PySide6, already a dependency) and Pillow (already pulled in by reportlab).
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SOURCE = ICONS / "ksm-desktop.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICO_SIZES = PNG_SIZES
UI_ICONS = ICONS / "ui"
UI_SIZE = 20  # the navigation's and toolbar's icon size (ui/icons.py), and twice that as name@2x.png
UI_INK = "#34506b"  # readable on light and dark window backgrounds alike


def render(renderer: QSvgRenderer, size: int) -> Image.Image:
    """One square RGBA rendering of the SVG at `size` pixels."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return Image.open(io.BytesIO(bytes(data.data()))).convert("RGBA")


def render_ui_icons() -> int:
    """Each resources/icons/ui/NAME.svg as NAME.png and NAME@2x.png (Qt picks the @2x on a
    high-density screen), its `currentColor` strokes in the ink colour."""
    count = 0
    for svg in sorted(UI_ICONS.glob("*.svg")):
        renderer = QSvgRenderer(QByteArray(svg.read_bytes().replace(b"currentColor", UI_INK.encode())))
        if not renderer.isValid():
            raise SystemExit(f"invalid SVG: {svg}")
        for scale, suffix in ((1, ""), (2, "@2x")):
            render(renderer, UI_SIZE * scale).save(UI_ICONS / f"{svg.stem}{suffix}.png", optimize=True)
            count += 1
    return count


def main() -> int:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv)
    print(f"wrote {render_ui_icons()} PNGs to {UI_ICONS}")
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        print(f"invalid SVG: {SOURCE}", file=sys.stderr)
        return 1
    images = {size: render(renderer, size) for size in PNG_SIZES}
    for size, image in images.items():
        image.save(ICONS / f"ksm-desktop-{size}.png", optimize=True)
    largest = images[max(ICO_SIZES)]
    largest.save(
        ICONS / "ksm-desktop.ico",
        format="ICO",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[images[s] for s in ICO_SIZES if s != max(ICO_SIZES)],
    )
    print(f"wrote {len(images)} PNGs and ksm-desktop.ico to {ICONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
