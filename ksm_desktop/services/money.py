"""Grant arithmetic, shared by Python code and SQL aggregates so both give the same cents."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import BigInteger, cast, func, select, type_coerce
from sqlalchemy.sql.elements import ColumnElement

from ksm_desktop.db.models import GrantItem
from ksm_desktop.domain.enums import Currency
from ksm_desktop.domain.values import CENT


def line_total(quantity: Decimal, unit_price: Decimal) -> Decimal:
    return (quantity * unit_price).quantize(CENT, rounding=ROUND_HALF_UP)


def convert(amount: Decimal, currency: str, eur_mad_rate: Decimal) -> tuple[Decimal, str]:
    """The amount in the other currency: EUR → MAD multiplies by the rate, MAD → EUR divides."""
    if currency == Currency.EUR:
        return (amount * eur_mad_rate).quantize(CENT, rounding=ROUND_HALF_UP), Currency.MAD.value
    return (amount / eur_mad_rate).quantize(CENT, rounding=ROUND_HALF_UP), Currency.EUR.value


def line_total_cents_sql() -> ColumnElement[Any]:
    """Integer cents of quantity × unit price in SQL (quantity is stored in thousandths,
    the price in cents), rounded half up like `line_total`."""
    quantity = type_coerce(GrantItem.quantity, BigInteger)
    price = type_coerce(GrantItem.unit_price, BigInteger)
    return (quantity * price + 500) // 1000


def grant_totals_subquery() -> Any:
    """A subquery of (grant_id, cents): each grant's total in integer cents (cast: PostgreSQL's
    sum of bigints is a numeric, which later integer divisions would keep fractional)."""
    cents = cast(func.sum(line_total_cents_sql()), BigInteger)
    return (
        select(GrantItem.grant_id.label("grant_id"), cents.label("cents"))
        .group_by(GrantItem.grant_id)
        .subquery()
    )
