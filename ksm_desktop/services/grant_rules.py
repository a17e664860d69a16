"""What a grant must hold to be saved: one recipient, a kind and currency, beneficiaries, and
line items with quantities and serial numbers (shared by single and household grants)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ksm_desktop.db.models import GrantItem, GrantItemSerial
from ksm_desktop.domain.enums import Currency, GrantKind
from ksm_desktop.domain.errors import ValidationError
from ksm_desktop.domain.values import (
    normalize_serials,
    optional_text,
    required_text,
    to_figure,
    to_money,
    to_rate,
)
from ksm_desktop.i18n import N_, _
from ksm_desktop.services.dto import GrantInput, GrantItemInput


def _quantity(value: Decimal | int | str, field: str) -> Decimal:
    qty = to_figure(value, field, _("“{value}” is not a valid quantity."))
    if qty <= 0:
        raise ValidationError(_("The quantity must be greater than zero."), field)
    return qty


def validate_items(items: list[GrantItemInput]) -> list[dict[str, Any]]:
    rows = []
    for n, item in enumerate(items, start=1):
        prefix = f"items.{n - 1}."
        designation = required_text(item.designation, prefix + "designation", N_("Designation"))
        price = to_money(item.unit_price, prefix + "unit_price")
        if price < 0:
            raise ValidationError(
                _("Line {n}: the unit price cannot be negative.").format(n=n), prefix + "unit_price"
            )
        try:
            quantity = _quantity(item.quantity, prefix + "quantity")
        except ValidationError as exc:
            raise ValidationError(
                _("Line {n}: {message}").format(n=n, message=exc.message), exc.field
            ) from exc
        try:
            serials = normalize_serials(item.serials, int(quantity), prefix + "serials")
        except ValidationError as exc:
            raise ValidationError(
                _("Line {n}: {message}").format(n=n, message=exc.message), exc.field
            ) from exc
        rows.append(
            {
                "position": n,
                "designation": designation,
                "quantity": quantity,
                "unit": optional_text(item.unit),
                "unit_price": price,
                "supplier": optional_text(item.supplier),
                "invoice_ref": optional_text(item.invoice_ref),
                "serials": serials,
            }
        )
    return rows


def new_item(row: dict[str, Any]) -> GrantItem:
    """A grant item from a row of `validate_items`, with its serial numbers."""
    item = GrantItem(**{key: value for key, value in row.items() if key != "serials"})
    item.serials = serial_rows(row["serials"])
    return item


def serial_rows(serials: list[str]) -> list[GrantItemSerial]:
    return [GrantItemSerial(position=n, serial=s) for n, s in enumerate(serials, start=1)]


def validate_grant(data: GrantInput) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The header values and item rows to store for `data`, or the first ValidationError."""
    recipients = (data.organisation_id, data.person_id, data.household_id)
    if sum(r is not None for r in recipients) != 1:
        raise ValidationError(
            _("Choose the recipient: one organisation, one person or one household."), "recipient"
        )
    try:
        kind = GrantKind(data.kind).value
    except ValueError:
        raise ValidationError(_("Unknown grant kind “{kind}”.").format(kind=data.kind), "kind") from None
    try:
        currency = Currency(data.currency).value
    except ValueError:
        raise ValidationError(_("The currency must be EUR or MAD."), "currency") from None
    for field, value in (
        ("women", data.women),
        ("men", data.men),
        ("unspecified", data.unspecified),
    ):
        if value is None or value < 0:
            raise ValidationError(_("A number of beneficiaries cannot be negative."), field)
    header = {
        "purpose": required_text(data.purpose, "purpose", N_("Purpose")),
        "kind": kind,
        "programme_id": data.programme_id,
        "organisation_id": data.organisation_id,
        "person_id": data.person_id,
        "household_id": data.household_id,
        "currency": currency,
        "eur_mad_rate": to_rate(data.eur_mad_rate, "eur_mad_rate"),
        "rate_date": data.rate_date,
        "grant_date": data.grant_date or dt.date.today(),
        "women": data.women,
        "men": data.men,
        "unspecified": data.unspecified,
        "notes": optional_text(data.notes),
    }
    return header, validate_items(data.items)
