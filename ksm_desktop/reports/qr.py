"""The QR code on a grant sheet: the grant number and a checksum of what the sheet says.

Anyone holding a paper sheet can scan it and compare the checksum with the one KSM Desktop
computes from the database (`grant_checksum`): if the items, recipient or total were changed
after printing, the codes differ.
"""

from __future__ import annotations

import hashlib

from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel
from reportlab.platypus import Flowable

from ksm_desktop.services.dto import GrantDTO


def canonical_text(grant: GrantDTO) -> str:
    """The sheet's content in one stable text: number, recipient, items and total."""
    recipient = grant.recipient
    lines = [
        f"number={grant.number}",
        f"recipient={recipient.code or recipient.cin or ''}|{recipient.name}",
        *(
            f"item={i.position}|{i.designation}|{i.quantity}|{i.unit or ''}|{i.unit_price}"
            for i in grant.items
        ),
        f"total={grant.total} {grant.currency}",
    ]
    return "\n".join(lines)


def grant_checksum(grant: GrantDTO) -> str:
    """First 12 hexadecimal digits (upper case) of the SHA-256 of `canonical_text`."""
    return hashlib.sha256(canonical_text(grant).encode("utf-8")).hexdigest()[:12].upper()


def grant_payload(grant: GrantDTO) -> str:
    """What the QR code holds, e.g. 'KSM-2026-0001 3F2A9C0B1D4E' (QR alphanumeric mode: compact)."""
    return f"{grant.number} {grant_checksum(grant)}"


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
