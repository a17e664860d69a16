"""Sealed grant sheets: what a validated grant's sheet prints, frozen, and a code that proves it.

At validation the sheet's content (number, dates, recipient as printed, items, totals, currency
and rate, beneficiaries) is frozen in `grant_seal` with a code: HMAC-SHA256 of that content under
a random key that belongs to the database (the `seal.key` setting). HMAC rather than a public-key
signature because only this database ever checks a code (`verify`): it holds the key, the code
fits in a small QR code and a person can type it, and nothing beyond Python's standard library is
needed. Whoever lacks the key cannot make a code for a changed sheet.

While a grant is validated its content may still change: the next print seals the new content,
and the earlier code then reads as "changed since". From delivery on, a sheet prints its frozen
content, so renaming the recipient organisation later changes neither the sheet nor its code.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ksm_desktop.db.models import Grant, GrantSeal, Setting
from ksm_desktop.domain.enums import GrantStatus
from ksm_desktop.domain.errors import NotFoundError, ValidationError
from ksm_desktop.i18n import N_, _
from ksm_desktop.i18n.formatting import format_date
from ksm_desktop.services.base import Service, now
from ksm_desktop.services.dto import GrantDTO, GrantItemDTO
from ksm_desktop.services.grant_view import grant_dto

KEY_SETTING = "seal.key"
SEALED = frozenset({GrantStatus.VALIDATED, GrantStatus.DELIVERED, GrantStatus.CLOSED})
FROZEN = frozenset({GrantStatus.DELIVERED, GrantStatus.CLOSED})
# What a difference is called when a code is checked against the database.
FIELDS = {
    "number": N_("grant number"),
    "grant_date": N_("date of the grant"),
    "programme": N_("programme"),
    "kind": N_("kind of grant"),
    "purpose": N_("purpose"),
    "recipient": N_("recipient"),
    "items": N_("items"),
    "serials": N_("serial numbers"),
    "total": N_("total"),
    "currency": N_("currency"),
    "rate": N_("exchange rate"),
    "beneficiaries": N_("beneficiaries"),
}
RECIPIENT_FIELDS = (
    "code",
    "name",
    "name_ar",
    "kind",
    "registration_number",
    "president_name",
    "president_cin",
    "cin",
    "phone",
)


def printed_content(grant: GrantDTO) -> dict[str, Any]:
    """Everything the sheet prints that a code vouches for, as plain JSON values."""
    r = grant.recipient
    recipient: dict[str, Any] = {name: getattr(r, name) for name in RECIPIENT_FIELDS}
    recipient["location"] = [r.location.path, r.location.path_ar] if r.location else None
    content: dict[str, Any] = {
        "number": grant.number,
        "grant_date": grant.grant_date.isoformat() if grant.grant_date else None,
        "programme": grant.programme_code,
        "kind": grant.kind,
        "purpose": grant.purpose,
        "recipient": recipient,
        "items": [
            [i.position, i.designation, str(i.quantity), i.unit, str(i.unit_price), str(i.total)]
            for i in grant.items
        ],
        "total": str(grant.total),
        "currency": grant.currency,
        "rate": [
            str(grant.eur_mad_rate),
            grant.rate_date.isoformat() if grant.rate_date else None,
            str(grant.equivalent),
            grant.equivalent_currency,
        ],
        "beneficiaries": [grant.women, grant.men, grant.unspecified],
    }
    # Only when there are some: a sheet sealed before serial numbers existed keeps its code.
    serials = [[i.position, list(i.serials)] for i in grant.items if i.serials]
    if serials:
        content["serials"] = serials
    return content


def canonical(content: dict[str, Any]) -> str:
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def as_printed(grant: GrantDTO, content: dict[str, Any]) -> GrantDTO:
    """The grant with the frozen content in place of today's (names, items, totals as printed)."""
    rec = content["recipient"]
    location = grant.recipient.location
    if location is not None and rec["location"]:
        location = replace(location, path=rec["location"][0], path_ar=rec["location"][1])
    recipient = replace(grant.recipient, location=location, **{name: rec[name] for name in RECIPIENT_FIELDS})
    serials = {pos: tuple(numbers) for pos, numbers in content.get("serials", [])}
    items = tuple(
        GrantItemDTO(
            0,
            pos,
            designation,
            Decimal(qty),
            unit,
            Decimal(price),
            None,
            None,
            Decimal(total),
            serials.get(pos, ()),
        )
        for pos, designation, qty, unit, price, total in content["items"]
    )
    rate, rate_date, equivalent, equivalent_currency = content["rate"]
    women, men, unspecified = content["beneficiaries"]
    return replace(
        grant,
        grant_date=dt.date.fromisoformat(content["grant_date"]) if content["grant_date"] else None,
        kind=content["kind"],
        purpose=content["purpose"],
        recipient=recipient,
        items=items,
        total=Decimal(content["total"]),
        currency=content["currency"],
        eur_mad_rate=Decimal(rate),
        rate_date=dt.date.fromisoformat(rate_date) if rate_date else None,
        equivalent=Decimal(equivalent),
        equivalent_currency=equivalent_currency,
        women=women,
        men=men,
        unspecified=unspecified,
    )


def _key(session: Session) -> bytes:
    """The database's key, made on first use. Written without the ORM so that the audit log,
    which records settings' values, never holds it."""
    row = session.get(Setting, KEY_SETTING)
    if row is None:
        value = secrets.token_hex(32)
        session.execute(insert(Setting).values(key=KEY_SETTING, value=value))
        return bytes.fromhex(value)
    return bytes.fromhex(row.value)


def _code(key: bytes, number: str, content: str) -> str:
    """26 letters and digits (128 bits of HMAC-SHA256, base32): short enough for a person to type."""
    digest = hmac.new(key, f"ksm-grant-seal-1\n{number}\n{content}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:16]).decode("ascii").rstrip("=")


def _latest(session: Session, grant_id: int) -> GrantSeal | None:
    return session.scalars(
        select(GrantSeal).where(GrantSeal.grant_id == grant_id).order_by(GrantSeal.id.desc()).limit(1)
    ).first()


def seal_grant(session: Session, grant: Grant, user: str) -> GrantSeal | None:
    """Seal the grant's content as its sheet prints it now (validated grants), unless the latest
    seal already holds it; a delivered or closed grant keeps its seal. None for other grants."""
    status = GrantStatus(grant.status)
    if status not in SEALED:
        return None
    latest = _latest(session, grant.id)
    if latest is not None and status in FROZEN:
        return latest
    content = canonical(printed_content(grant_dto(session, grant)))
    if latest is not None and latest.content == content:
        return latest
    seal = GrantSeal(
        grant_id=grant.id,
        code=_code(_key(session), grant.number, content),
        content=content,
        sealed_at=now(),
        user=user,
    )
    session.add(seal)
    session.flush()
    return seal


def format_code(code: str) -> str:
    """The code in groups of four or five, as printed under the QR code."""
    return " ".join(code[i : i + 5] for i in range(0, len(code), 5))


@dataclass(frozen=True)
class SealedSheet:
    """A grant as its sheet prints it, and the code of that content (None: not a valid grant)."""

    grant: GrantDTO
    code: str | None

    @property
    def payload(self) -> str:
        """What the QR code holds: 'KSM-2026-0001 ABCDE…' (QR alphanumeric characters only)."""
        return f"{self.grant.number} {self.code}"


@dataclass(frozen=True)
class SheetCheck:
    """The answer to 'is this sheet genuine?': `outcome` is authentic, changed or forged."""

    outcome: str
    number: str
    message: str
    differences: tuple[str, ...] = ()


class SealService(Service):
    def sheet(self, number: str) -> SealedSheet:
        """The grant to print: validated ones sealed (a new seal if their content changed since),
        delivered ones as frozen. A read-only account prints an unsealed change without a code."""
        from ksm_desktop.services.grants import get_by_number

        with self.db.reading() as session:
            grant = get_by_number(session, number)
            dto = grant_dto(session, grant)
            if GrantStatus(grant.status) not in SEALED:
                return SealedSheet(dto, None)
            latest = _latest(session, grant.id)
            current = latest is not None and (
                GrantStatus(grant.status) in FROZEN or latest.content == canonical(printed_content(dto))
            )
            if latest is not None and current:
                return SealedSheet(as_printed(dto, json.loads(latest.content)), latest.code)
        if not self.actor.can_write:
            return SealedSheet(dto, None)
        with self._write() as session:
            grant = get_by_number(session, number)
            seal = seal_grant(session, grant, self.actor.username)
            dto = grant_dto(session, grant)
            if seal is None:
                return SealedSheet(dto, None)
            return SealedSheet(as_printed(dto, json.loads(seal.content)), seal.code)

    def verify(self, text: str) -> SheetCheck:
        """Check the text of a sheet's QR code, or the number and code typed from the paper."""
        from ksm_desktop.services.grants import get_by_number

        parts = text.strip().upper().split(maxsplit=1)
        if len(parts) != 2:
            raise ValidationError(_("Type the grant number then the code printed under the QR code."), "code")
        number = parts[0]
        code = "".join(c for c in parts[1] if c.isalnum())
        with self.db.reading() as session:
            try:
                grant = get_by_number(session, number)
            except NotFoundError:
                message = _("Not authentic: there is no grant {number} in this database.")
                return SheetCheck("forged", number, message.format(number=number))
            seal = session.scalars(
                select(GrantSeal).where(GrantSeal.grant_id == grant.id, GrantSeal.code == code)
            ).first()
            key_row = session.get(Setting, KEY_SETTING)
            forged = SheetCheck(
                "forged",
                grant.number,
                _("Not authentic: this database never issued sheet {number} with this code.").format(
                    number=grant.number
                ),
            )
            if seal is None or key_row is None:
                return forged
            if not hmac.compare_digest(_code(bytes.fromhex(key_row.value), grant.number, seal.content), code):
                return forged  # the stored content itself was altered
            latest = _latest(session, grant.id)
            dto = grant_dto(session, grant)
            status = GrantStatus(grant.status)
        if latest is not None and (status in FROZEN or latest.id != seal.id):
            today = json.loads(latest.content)
        else:
            today = printed_content(dto)
        printed = json.loads(seal.content)
        differences = tuple(
            _(label) for name, label in FIELDS.items() if printed.get(name) != today.get(name)
        )
        issued = format_date(seal.sealed_at.date(), fmt="long")
        if differences:
            message = _(
                "Authentic sheet {number}, issued on {date}, but the grant has changed since: {fields}."
            ).format(number=grant.number, date=issued, fields=", ".join(differences))
            return SheetCheck("changed", grant.number, message, differences)
        message = _("Authentic: sheet {number}, issued on {date}, matches the database.").format(
            number=grant.number, date=issued
        )
        if status == GrantStatus.CANCELLED:
            message += " " + _("The grant has since been cancelled: {reason}").format(
                reason=grant.cancel_reason or "—"
            )
            return SheetCheck("changed", grant.number, message, (_("status"),))
        return SheetCheck("authentic", grant.number, message)
