"""The header's unread badge, counted only when a page's template shows it (one indexed query)."""

from __future__ import annotations

from functools import cached_property

from django.conf import settings

from readingroom.notifications import queries


class UnreadBadge:
    def __init__(self, user):
        self.user = user

    @cached_property
    def count(self) -> int:
        return queries.unread_count(self.user)

    @property
    def label(self) -> str:
        return queries.badge_label(self.count)

    @property
    def poll_seconds(self) -> int:
        return settings.RR_NOTIFICATIONS_POLL_SECONDS


def unread_badge(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notification_badge": UnreadBadge(user)}
