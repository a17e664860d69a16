"""Files as phones, scanners and users produce them, for the attachment tests and benchmarks."""

from __future__ import annotations

import io
import os

import pypdfium2 as pdfium
from PIL import Image

GPS_IFD, MAKE, MODEL, ORIENTATION, EXIF_IFD, DATE_TAKEN = 0x8825, 0x010F, 0x0110, 0x0112, 0x8769, 0x9003


def phone_photo(
    width: int = 640, height: int = 480, *, orientation: int = 1, noise: bool = False, fmt: str = "JPEG"
) -> bytes:
    """A photo with the EXIF a phone writes: GPS position, make and model, date taken, orientation."""
    if noise:
        image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    else:
        image = Image.new("RGB", (width, height), (200, 120, 40))
        image.paste((20, 60, 200), (0, 0, width // 2, height // 4))  # a mark that shows the way up
    exif = Image.Exif()
    exif[MAKE], exif[MODEL], exif[ORIENTATION] = "Samsung", "Galaxy A14", orientation
    exif.get_ifd(EXIF_IFD)[DATE_TAKEN] = "2025:06:14 10:32:05"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (32.0, 29.0, 12.5), 3: "W", 4: (1.0, 57.0, 3.2)})
    out = io.BytesIO()
    image.save(out, fmt, quality=95, exif=exif.tobytes())
    return out.getvalue()


def scanned_pdf() -> bytes:
    """A one-page A4 PDF, like a scanned signed PV."""
    document = pdfium.PdfDocument.new()
    document.new_page(595, 842)
    out = io.BytesIO()
    document.save(out)
    document.close()
    return out.getvalue()
