"""Groups, and the notification kinds they plug into the notifications app: a join request for
the group's moderators, and an approved request or new role for the member."""

from __future__ import annotations

from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "readingroom.groups"
    label = "groups"

    def ready(self) -> None:
        from readingroom.groups import notifications

        notifications.register_kinds()
