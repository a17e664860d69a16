"""Normalisation and validation of the values people type: CIN, phone numbers, money, names."""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ksm_desktop.domain.errors import ValidationError
from ksm_desktop.i18n import _, ngettext

CENT = Decimal("0.01")
THOUSANDTH = Decimal("0.001")
_CIN_RE = re.compile(r"^[A-Z]{1,2}[0-9]{1,6}$")
_SPACES = re.compile(r"[\s\-._/]+")
_GRANT_NUMBER_RE = re.compile(r"^KSM-(\d{4})-(\d{4})$")


def normalize_cin(raw: str | None, field: str = "cin") -> str | None:
    """'ab 123456' → 'AB123456'; empty → None; anything else that is not 1-2 letters + 1-6 digits fails."""
    if raw is None:
        return None
    cin = _SPACES.sub("", raw).upper()
    if not cin:
        return None
    if not _CIN_RE.match(cin):
        raise ValidationError(
            _("“{cin}” is not a valid CIN: one or two letters followed by 1 to 6 digits.").format(
                cin=raw.strip()
            ),
            field,
        )
    return cin


_PHONE_SEPARATORS = str.maketrans("", "", " \t-.()/\u00a0\u202f")
_INTERNATIONAL_MOROCCAN = re.compile(r"^\+212[5-8][0-9]{8}$")


def normalize_phone(raw: str | None, field: str = "phone") -> str | None:
    """Moroccan numbers to +212XXXXXXXXX ('06 61 23 45 67', '00212661234567', '+212 5 35…').

    Foreign numbers written with a leading + or 00 are kept in international form.
    """
    if raw is None:
        return None
    text = raw.strip()
    if not text:
        return None
    digits = text.translate(_PHONE_SEPARATORS)
    if _INTERNATIONAL_MOROCCAN.match(digits):
        return digits
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if digits.startswith("+212"):
        national = digits[4:]
        if national.startswith("0"):
            national = national[1:]
    elif digits.startswith("+"):
        if digits[1:].isdigit() and 8 <= len(digits) - 1 <= 15:
            return digits
        national = ""
    elif digits.startswith("0"):
        national = digits[1:]
    elif len(digits) == 9 and digits.isdigit() and digits[0] in "5678":
        national = digits
    else:
        national = ""
    if len(national) == 9 and national.isdigit() and national[0] in "5678":
        return "+212" + national
    raise ValidationError(
        _("“{phone}” is not a valid phone number (expected e.g. 06 61 23 45 67).").format(phone=text),
        field,
    )


_PHONE_QUERY = re.compile(r"^\+?[0-9]{4,15}$")


def phone_search_digits(text: str) -> str | None:
    """What to look for in stored numbers (+212…) when a search is a phone number as people type
    it: '06 61 23 45 67' → '661234567', '+212661234567' → '661234567'; None for other text."""
    digits = text.strip().translate(_PHONE_SEPARATORS)
    if not _PHONE_QUERY.match(digits):
        return None
    for prefix in ("+212", "00212", "0"):
        if digits.startswith(prefix) and len(digits) > len(prefix):
            return digits[len(prefix) :]
    return digits.lstrip("+")


MAX_AMOUNT = Decimal(10) ** 13  # far above any grant; keeps stored cents inside a 64-bit integer


def cents_to_decimal(cents: int | None) -> Decimal:
    """Integer cents as stored and summed in SQL → an amount (None: no amount, 0.00)."""
    return (Decimal(int(cents or 0)) / 100).quantize(CENT)


def to_money(value: Decimal | int | str, field: str = "amount") -> Decimal:
    """A Decimal with exactly two places; floats are refused so binary rounding never sneaks in."""
    if isinstance(value, float):
        raise TypeError("money must not be a float")
    try:
        amount = Decimal(value)
    except (InvalidOperation, ValueError):
        raise ValidationError(_("“{value}” is not a valid amount.").format(value=value), field) from None
    if not amount.is_finite():
        raise ValidationError(_("“{value}” is not a valid amount.").format(value=value), field)
    if abs(amount) >= MAX_AMOUNT:
        raise ValidationError(_("“{value}” is too large for an amount.").format(value=value), field)
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def to_figure(value: Decimal | int | str, field: str, invalid: str) -> Decimal:
    """A quantity or measured figure with three places; floats are refused, and so is anything
    that is not a finite number a 64-bit column holds in thousandths (`invalid`, translated, names
    `{value}`)."""
    if isinstance(value, float):
        raise TypeError("figures must not be floats")
    try:
        number = Decimal(value)
    except (InvalidOperation, ValueError):
        raise ValidationError(invalid.format(value=value), field) from None
    if not number.is_finite() or abs(number) >= MAX_AMOUNT:
        raise ValidationError(invalid.format(value=value), field)
    return number.quantize(THOUSANDTH, rounding=ROUND_HALF_UP)


def to_rate(value: Decimal | int | str, field: str = "rate") -> Decimal:
    """An exchange rate (MAD per EUR) with four places, strictly positive."""
    if isinstance(value, float):
        raise TypeError("rates must not be floats")
    try:
        rate = Decimal(value)
        if not rate.is_finite() or abs(rate) >= MAX_AMOUNT:
            raise InvalidOperation
        rate = rate.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        raise ValidationError(_("“{value}” is not a valid rate.").format(value=value), field) from None
    if rate <= 0:
        raise ValidationError(_("The exchange rate must be greater than zero."), field)
    return rate


# Characters no text field may hold: control characters other than tab and line breaks (NUL is
# refused by PostgreSQL, the others are invisible), and lone surrogates (not valid UTF-8).
_FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def _preview(text: str, size: int = 30) -> str:
    shown = _FORBIDDEN_CHARACTERS.sub("\N{REPLACEMENT CHARACTER}", text[:size])
    return shown + "…" if len(text) > size else shown


def check_text(value: str, field: str, max_length: int | None = None) -> str:
    """`value` if every database accepts it the same way, else a ValidationError on `field`:
    no control character (tab and line breaks allowed) and at most `max_length` characters."""
    bad = _FORBIDDEN_CHARACTERS.search(value)
    if bad is not None:
        raise ValidationError(
            _(
                "“{text}” contains an invisible control character (U+{code:04X}) that cannot be "
                "stored. Remove it and save again."
            ).format(text=_preview(value), code=ord(bad.group())),
            field,
        )
    if max_length is not None and len(value) > max_length:
        raise ValidationError(
            _("“{text}” is too long: {count} characters, at most {limit}.").format(
                text=_preview(value), count=len(value), limit=max_length
            ),
            field,
        )
    return value


def required_text(value: str | None, field: str, label: str) -> str:
    """Stripped text; raises when empty. `label` is the field's msgid (marked with N_),
    translated only when the error is raised."""
    text = (value or "").strip()
    if not text:
        raise ValidationError(_("{label} is required.").format(label=_(label)), field)
    return text


def optional_text(value: str | None) -> str | None:
    text = (value or "").strip()
    return text or None


def search_key(*parts: str | None) -> str:
    """Lower-cased, accent-free text used for search ('École' and 'ecole' match; Arabic kept)."""
    joined = " ".join(p for p in parts if p)
    if joined.isascii():
        return joined.lower()
    decomposed = unicodedata.normalize("NFKD", joined.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def format_grant_number(year: int, sequence: int) -> str:
    return f"KSM-{year:04d}-{sequence:04d}"


def parse_grant_number(text: str) -> tuple[int, int] | None:
    match = _GRANT_NUMBER_RE.match(text.strip().upper())
    return (int(match.group(1)), int(match.group(2))) if match else None


SERIAL_MAX_LENGTH = 60
_SERIAL_SEPARATORS = re.compile(r"[\n\r\t,;]+")


def split_serials(text: str) -> list[str]:
    """Serial numbers as typed or pasted: one per line, or separated by commas, semicolons or tabs
    (a column copied from a spreadsheet); spaces inside a number are kept ('SN 4471')."""
    return [part.strip() for part in _SERIAL_SEPARATORS.split(text) if part.strip()]


def normalize_serials(values: list[str], pieces: int, field: str) -> list[str]:
    """Trimmed serial numbers of an item of `pieces` pieces: at most one per piece, each once
    (case ignored, 'sn-1' is 'SN-1'), none longer than the column."""
    serials = [v.strip() for v in values if v and v.strip()]
    seen: set[str] = set()
    for serial in serials:
        if len(serial) > SERIAL_MAX_LENGTH:
            raise ValidationError(
                _("The serial number “{serial}” is longer than {limit} characters.").format(
                    serial=serial[:20] + "…", limit=SERIAL_MAX_LENGTH
                ),
                field,
            )
        if serial.casefold() in seen:
            raise ValidationError(
                _("The serial number “{serial}” is given twice.").format(serial=serial), field
            )
        seen.add(serial.casefold())
    if len(serials) > pieces:
        raise ValidationError(
            ngettext(
                "{count} serial numbers for {pieces} piece: one serial number per piece at most.",
                "{count} serial numbers for {pieces} pieces: one serial number per piece at most.",
                pieces,
            ).format(count=len(serials), pieces=pieces),
            field,
        )
    return serials
