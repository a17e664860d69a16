"""What a file becomes before it is attached: its type from its first bytes, decoded once to prove
it is whole, a photo's date taken, its location and camera details removed, and a thumbnail.

Everything here runs before the transaction: a refused file has written nothing.

HEIC (iPhone photos) is read through pillow-heif, whose wheels exist for Linux, Windows and macOS;
the stored copy is a JPEG, which every system viewer in the office opens.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import struct
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

from ksm_desktop.domain.errors import ValidationError
from ksm_desktop.i18n import _

register_heif_opener()

MAX_BYTES = 25 * 1024 * 1024
THUMBNAIL_PX = 256
PDF, JPEG, PNG, HEIC = "application/pdf", "image/jpeg", "image/png", "image/heic"
HEIC_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"})
# EXIF tags: DateTimeOriginal (in the Exif sub-directory), DateTime, and the sub-directory itself.
EXIF_IFD, DATE_TAKEN, DATE_CHANGED = 0x8769, 0x9003, 0x0132
# JPEG segments that carry EXIF (GPS, camera, serial numbers), XMP or IPTC: APP1 and APP13.
METADATA_SEGMENTS = frozenset({0xE1, 0xED})


@dataclass(frozen=True)
class Prepared:
    """A file as it will be stored."""

    data: bytes
    sha256: str
    media_type: str
    filename: str
    thumbnail: bytes | None
    taken_on: dt.date | None


def media_type(data: bytes) -> str | None:
    """The type of `data` from its first bytes (never from the file name), or None."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[4:8] == b"ftyp" and data[8:12] in HEIC_BRANDS:
        return HEIC
    return None


def read_source(source: Path | bytes, filename: str | None) -> tuple[bytes, str]:
    """The bytes and file name of what the user chose; refused beyond the size limit before
    a large file is read into memory."""
    limit_mb = MAX_BYTES // (1024 * 1024)
    if isinstance(source, Path):
        if not source.is_file():
            raise ValidationError(_("No file at {path}.").format(path=source), "file")
        name = filename or source.name
        if source.stat().st_size > MAX_BYTES:
            raise ValidationError(_too_large(name, source.stat().st_size, limit_mb), "file")
        data = source.read_bytes()
    else:
        data, name = bytes(source), filename or "document"
    if len(data) > MAX_BYTES:
        raise ValidationError(_too_large(name, len(data), limit_mb), "file")
    if not data:
        raise ValidationError(_("{name} is empty.").format(name=name), "file")
    return data, name


def _too_large(name: str, size: int, limit_mb: int) -> str:
    return _("{name} is too large ({size} MB); the limit is {limit} MB.").format(
        name=name, size=round(size / 1048576, 1), limit=limit_mb
    )


def prepare_all(sources: Sequence[tuple[Path | bytes, str | None]], keep_location: bool) -> list[Prepared]:
    """`prepare` for each (source, file name), decoded side by side on the machine's cores (the
    decoders release the GIL): ten phone photos dropped together take the time of five. The
    first refused file raises, and then nothing is stored."""

    def one(source: tuple[Path | bytes, str | None]) -> Prepared:
        return prepare(*read_source(*source), keep_location)

    if len(sources) == 1:
        return [one(sources[0])]
    with ThreadPoolExecutor(max_workers=min(len(sources), os.cpu_count() or 1)) as pool:
        return list(pool.map(one, sources))


def prepare(data: bytes, filename: str, keep_location: bool) -> Prepared:
    """The stored form of `data`, or a ValidationError saying why it is refused."""
    kind = media_type(data)
    if kind is None:
        raise ValidationError(
            _("{name} is not a PDF, JPEG, PNG or HEIC file; scan or export it in one of these.").format(
                name=filename
            ),
            "file",
        )
    if kind == PDF:
        return _stored(data, PDF, filename, _pdf_thumbnail(data, filename), None)
    try:
        image = Image.open(io.BytesIO(data))
        taken_on = _date_taken(image)
        if kind == JPEG:  # every byte is decoded, at the smallest scale the thumbnail allows
            scale = THUMBNAIL_PX / max(image.size)
            image.draft("RGB", (max(1, int(image.width * scale)), max(1, int(image.height * scale))))
        image.load()
    except (OSError, SyntaxError, ValueError, UnidentifiedImageError, Image.DecompressionBombError):
        raise ValidationError(
            _("{name} is damaged: it cannot be read as an image. Nothing was attached.").format(
                name=filename
            ),
            "file",
        ) from None
    thumbnail = _thumbnail(image)
    if kind == HEIC:
        data, kind, filename = (
            _heic_as_jpeg(image, keep_location),
            JPEG,
            str(Path(filename).with_suffix(".jpg")),
        )
    elif not keep_location:
        data = _without_metadata(data, kind, image)
    return _stored(data, kind, filename, thumbnail, taken_on)


def _stored(
    data: bytes, kind: str, filename: str, thumbnail: bytes | None, taken: dt.date | None
) -> Prepared:
    return Prepared(data, hashlib.sha256(data).hexdigest(), kind, filename, thumbnail, taken)


def _date_taken(image: Image.Image) -> dt.date | None:
    exif = image.getexif()
    text = exif.get_ifd(EXIF_IFD).get(DATE_TAKEN) or exif.get(DATE_CHANGED)
    try:
        return dt.datetime.strptime(str(text).strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S").date()
    except ValueError:
        return None


def _thumbnail(image: Image.Image) -> bytes:
    small = ImageOps.exif_transpose(image.copy())
    small.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
    out = io.BytesIO()
    small.convert("RGB").save(out, "JPEG", quality=80)
    return out.getvalue()


def _pdf_thumbnail(data: bytes, filename: str) -> bytes:
    """Page 1 drawn small; a PDF that PDFium cannot open is refused as damaged."""
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        raise ValidationError(
            _("{name} is damaged: it cannot be read as a PDF. Nothing was attached.").format(name=filename),
            "file",
        ) from None
    try:
        if len(document) == 0:
            raise ValidationError(_("{name} has no page.").format(name=filename), "file")
        page = document[0]
        width, height = page.get_size()
        image = page.render(scale=(THUMBNAIL_PX - 2) / max(width, height, 1.0)).to_pil()
        return _thumbnail(ImageOps.expand(image, border=1, fill="#9a9a9a"))  # a white page shows as one
    finally:
        document.close()


def _heic_as_jpeg(image: Image.Image, keep_location: bool) -> bytes:
    """An iPhone photo as a JPEG upright; its EXIF (location included) only when asked to keep it."""
    exif = image.getexif()
    upright = ImageOps.exif_transpose(image).convert("RGB")
    out = io.BytesIO()
    if keep_location:
        exif[0x0112] = 1  # already turned upright
        upright.save(out, "JPEG", quality=92, exif=exif.tobytes())
    else:
        upright.save(out, "JPEG", quality=92)
    return out.getvalue()


def _without_metadata(data: bytes, kind: str, image: Image.Image) -> bytes:
    """The photo without EXIF (GPS position, camera and its serial number) nor XMP/IPTC.

    A photo taken sideways is turned upright first (its orientation is an EXIF tag that goes);
    otherwise a JPEG keeps its compressed pixels byte for byte: only the metadata segments go.
    """
    orientation = image.getexif().get(0x0112, 1)
    if kind == JPEG and orientation in (None, 1):
        return _jpeg_without_segments(data)
    full = Image.open(io.BytesIO(data))
    upright = ImageOps.exif_transpose(full)
    out = io.BytesIO()
    if kind == JPEG:
        upright.save(out, "JPEG", quality=95, icc_profile=full.info.get("icc_profile"))
    elif not full.getexif() and not any(k in full.info for k in ("exif", "XML:com.adobe.xmp")):
        return data  # a PNG without metadata stays as it was
    else:
        upright.save(out, "PNG", icc_profile=full.info.get("icc_profile"))
    return out.getvalue()


def _jpeg_without_segments(data: bytes) -> bytes:
    """`data` without its APP1 (EXIF, XMP) and APP13 (IPTC) segments; the rest untouched."""
    parts = [data[:2]]
    at = 2
    while at + 4 <= len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        if marker == 0xDA:  # start of scan: the compressed image follows, to the end
            break
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        if marker not in METADATA_SEGMENTS:
            parts.append(data[at : at + 2 + length])
        at += 2 + length
    parts.append(data[at:])
    return b"".join(parts)
