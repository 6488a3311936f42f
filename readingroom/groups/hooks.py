"""What higher apps do when a membership ends or a group goes. `posts` owns the group's posts and
the home timelines they sit in, and registers here in its ready(), as learning sections do in
learning.hub: groups knows nothing of posts."""

from __future__ import annotations

from collections.abc import Callable

_membership_ended: list[Callable[[int, int], None]] = []
_group_deleting: list[Callable[[int], None]] = []
_privacy_changed: list[Callable[[int, str], None]] = []


def on_membership_ended(listener: Callable[[int, int], None]) -> None:
    """`listener(group_id, user_id)` runs in the transaction that ends the membership, or that
    turns off the group's posts in the member's home timeline."""
    if listener not in _membership_ended:
        _membership_ended.append(listener)


def on_group_deleting(listener: Callable[[int], None]) -> None:
    """`listener(group_id)` runs in the deleting transaction, before the group's row goes."""
    if listener not in _group_deleting:
        _group_deleting.append(listener)


def on_privacy_changed(listener: Callable[[int, str], None]) -> None:
    """`listener(group_id, privacy)` runs in the transaction that changes the group's privacy."""
    if listener not in _privacy_changed:
        _privacy_changed.append(listener)


def privacy_changed(group_id: int, privacy: str) -> None:
    for listener in _privacy_changed:
        listener(group_id, privacy)


def membership_ended(group_id: int, user_id: int) -> None:
    for listener in _membership_ended:
        listener(group_id, user_id)


def group_deleting(group_id: int) -> None:
    for listener in _group_deleting:
        listener(group_id)
