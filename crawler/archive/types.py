"""Column types shared by both backends."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime, String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class AwareDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime, returned in Asia/Ho_Chi_Minh (+07:00).

    PostgreSQL keeps it as ``timestamptz``. SQLite has no such type, so it is kept as ISO
    8601 text in +07:00: one fixed offset makes text order the same as time order.
    Naive datetimes are refused rather than guessed.
    """

    impl = String(32)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(DateTime(timezone=True))
        return dialect.type_descriptor(String(32))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime refused by the archive: {value!r}")
        local = value.astimezone(LOCAL_TZ)
        return local if dialect.name == "postgresql" else local.isoformat(timespec="seconds")

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return value.astimezone(LOCAL_TZ)


def no_nul(value: Any) -> Any:
    """``value`` without NUL characters: PostgreSQL text cannot hold them (and they mean
    nothing in an article), so both backends store the same text."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, list):
        return [no_nul(item) for item in value]
    return value
