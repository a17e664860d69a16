"""The QR code on a grant sheet: the grant number and the code that proves the sheet's content
(see ksm_desktop.services.seals), e.g. 'KSM-2026-0001 ABCDE…'."""

from __future__ import annotations

from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel
from reportlab.platypus import Flowable


class QrFlowable(Flowable):  # type: ignore[misc]
    """A square QR code of `size` points, quiet zone included."""

    QUIET = 2  # modules of white margin; the box around the code on the sheet adds more

    def __init__(self, payload: str, size: float) -> None:
        super().__init__()
        self.payload = payload
        self.size = size
        code = QRCode(None, QRErrorCorrectLevel.M)
        code.addData(payload)
        code.version = code.calculate_version()
        # Any of the 8 masks gives a valid code; scoring all of them (reportlab's default) costs
        # about 20 ms per sheet, so the first one is used.
        code.makeImpl(False, 0)
        self.modules: list[list[bool]] = code.modules

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        count = len(self.modules)
        box = self.size / (count + 2 * self.QUIET)
        canvas = self.canv
        canvas.setFillColorRGB(0, 0, 0)
        for r, row in enumerate(self.modules):
            y = self.size - (r + 1 + self.QUIET) * box
            c = 0
            while c < count:
                if row[c]:
                    start = c
                    while c < count and row[c]:
                        c += 1
                    canvas.rect((start + self.QUIET) * box, y, (c - start) * box, box, stroke=0, fill=1)
                else:
                    c += 1
