"""Direct messages, and the notification kind they plug into the notifications app."""

from __future__ import annotations

from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "readingroom.messaging"
    label = "messaging"

    def ready(self) -> None:
        from readingroom.core import settings_nav
        from readingroom.messaging import notifications

        notifications.register_kinds()
        settings_nav.register(key="messages", label="Messages", url_name="messaging:preference", order=45)
