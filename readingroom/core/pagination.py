"""Keyset pagination: every list pages by an indexed, unique, descending key. Never OFFSET."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Generic, TypeVar

T = TypeVar("T")


MAX_ID = 2**63 - 1  # the largest 64-bit signed id; larger values overflow SQLite and PostgreSQL


def parse_cursor(value: str | None) -> int | None:
    """A cursor is a positive integer id; anything else means 'from the start'."""
    if not value or not value.isascii() or not value.isdigit() or len(value) > 19:
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ONE_MICROSECOND = timedelta(microseconds=1)


def moment_key(moment: datetime) -> int:
    """A moment as whole microseconds since 1970 (integer arithmetic, so the key turns back into
    exactly the moment it was made from)."""
    return (moment - EPOCH) // ONE_MICROSECOND


def key_moment(key: int) -> datetime | None:
    """The moment a key stands for; None for one no calendar holds."""
    try:
        return EPOCH + key * ONE_MICROSECOND
    except OverflowError:
        return None


def parse_pair_cursor(value: str | None) -> tuple[int, int] | None:
    """A cursor over a sort value and an id: "<value>.<id>", both non-negative integers in range."""
    if not value or len(value) > 41 or value.count(".") != 1:
        return None
    key, _, pk = value.partition(".")
    if not (key.isascii() and key.isdigit() and pk.isascii() and pk.isdigit()):
        return None
    key_n, pk_n = int(key), int(pk)
    return (key_n, pk_n) if key_n <= MAX_ID and 0 < pk_n <= MAX_ID else None


@dataclass
class Page(Generic[T]):
    items: list[T]
    next_cursor: int | None

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None


def page_from(rows: list[T], *, size: int, key) -> Page[T]:
    """rows must hold up to size + 1 items; the extra one only tells whether a next page exists."""
    if len(rows) > size:
        rows = rows[:size]
        return Page(rows, key(rows[-1]))
    return Page(rows, None)
