"""Keyset pagination: every list pages by an indexed, unique, descending key. Never OFFSET."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


MAX_ID = 2**63 - 1  # the largest 64-bit signed id; larger values overflow SQLite and PostgreSQL


def parse_cursor(value: str | None) -> int | None:
    """A cursor is a positive integer id; anything else means 'from the start'."""
    if not value or not value.isascii() or not value.isdigit() or len(value) > 19:
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


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
