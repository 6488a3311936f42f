"""The header's Messages link and its unread total: one indexed query, run only when a page's
template shows it, and nothing for anonymous visitors."""

from __future__ import annotations

from functools import cached_property

from readingroom.messaging import queries


class UnreadMessages:
    def __init__(self, user):
        self.user = user

    @cached_property
    def count(self) -> int:
        return queries.unread_total(self.user)


def unread_messages(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"messages_badge": UnreadMessages(user)}
