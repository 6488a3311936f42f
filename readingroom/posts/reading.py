"""Who read how much: timeline views report the posts they showed, and higher apps that care
(pln's balance panel) listen. A registry, so posts never imports the apps above it."""

from __future__ import annotations

from collections.abc import Callable

_LISTENERS: list[Callable[[int, int], None]] = []


def add_listener(fn: Callable[[int, int], None]) -> None:
    """fn(member_id, posts_shown) is called for each timeline page a signed-in member opens."""
    if fn not in _LISTENERS:
        _LISTENERS.append(fn)


def note_read(member_id: int, posts_shown: int) -> None:
    for listener in _LISTENERS:
        listener(member_id, posts_shown)
