"""Discussions: a group's forum of topics and numbered replies, and the notification kinds they
plug into the notifications app."""

from __future__ import annotations

from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    name = "readingroom.discussions"
    label = "discussions"

    def ready(self) -> None:
        from readingroom.discussions import notifications
        from readingroom.discussions.actions import delete_group_topics
        from readingroom.groups import hooks

        notifications.register_kinds()
        hooks.on_group_deleting(delete_group_topics)
