from __future__ import annotations

from readingroom.core.pagination import parse_cursor

MAX_DB_INT = 2**63 - 1


def read_cursor(request, name: str) -> int | None:
    """A keyset cursor from the query string. core.parse_cursor accepts 19-digit values past the
    64-bit range, which the database driver rejects, so those also mean 'from the start'."""
    cursor = parse_cursor(request.GET.get(name))
    return cursor if cursor is not None and cursor <= MAX_DB_INT else None
