"""Declarative base, naming convention and exact decimal column types.

SQLite has no exact decimal type (NUMERIC becomes a float), so money, rates and quantities are
stored as scaled integers and read back as Decimal: sums in SQL stay exact on SQLite and PostgreSQL.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import BigInteger, Dialect, MetaData
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Records whose id leaves the program (exports, audit log, printed records): a deleted one's id is
# never handed out again, so nothing kept under that id can be taken for a newcomer's. SQLite needs
# AUTOINCREMENT for that; PostgreSQL's sequences never go back anyway.
NEVER_REUSED_IDS = {"sqlite_autoincrement": True}


class ScaledDecimal(TypeDecorator[Decimal]):
    """A Decimal with a fixed number of places, stored as an integer count of the smallest unit."""

    impl = BigInteger
    cache_ok = True

    def __init__(self, places: int = 2) -> None:
        super().__init__()
        self.places = places
        self._quantum = Decimal(1).scaleb(-places)
        self._factor = Decimal(10) ** places

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("exact decimal columns do not accept floats")
        scaled = (Decimal(value) * self._factor).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return int(scaled)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(int(value)) / self._factor).quantize(self._quantum)


Money = ScaledDecimal(2)
Rate = ScaledDecimal(4)
Quantity = ScaledDecimal(3)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
